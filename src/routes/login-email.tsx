import { Hono } from 'hono'
import { ConfirmLoginEmailPage, LoginEmailLinkPage } from '../../views/pages/login-email'
import type { AppContext, AppEnv } from '../http/env'
import { render } from '../http/render'
import { confirmLoginEmailChange, findLoginEmailChange } from '../login-email/confirm-login-email'
import type { LoginEmailLinkState } from '../login-email/login-email'

const UNAVAILABLE = 'This address cannot be used for a login. Ask your practice admin for help.'

const linkProblem = (c: AppContext, state: Exclude<LoginEmailLinkState, 'valid'>) =>
  render(c, <LoginEmailLinkPage state={state} />, { status: state === 'unknown' ? 404 : 410 })

// Opening the link changes nothing: mail scanners that prefetch it must not use it up.
async function showConfirm(c: AppContext) {
  const token = c.req.param('token') ?? ''
  const found = await findLoginEmailChange(c.get('deps'), token)
  if (found.state !== 'valid') return linkProblem(c, found.state)
  return render(c, <ConfirmLoginEmailPage token={token} {...found} />)
}

async function confirm(c: AppContext) {
  const token = c.req.param('token') ?? ''
  const result = await confirmLoginEmailChange(c.get('deps'), { token, ip: c.get('ip') })
  if (result.ok) return c.redirect(`/login?login_email_changed&email=${encodeURIComponent(result.email)}`, 303)
  if (result.reason === 'link') return linkProblem(c, result.state)
  if (result.reason === 'used') return linkProblem(c, 'used')
  return render(c, <ConfirmLoginEmailPage token={token} {...result.change} error={UNAVAILABLE} />, { status: 409 })
}

/** The verification link of Change Login Email, as its owner opens it. */
export function loginEmailRoutes() {
  const app = new Hono<AppEnv>()
  app.get('/:token', showConfirm)
  app.post('/:token', confirm)
  return app
}
