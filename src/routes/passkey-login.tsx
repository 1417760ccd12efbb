import { Hono } from 'hono'
import { LoginPage } from '../../views/pages/login'
import { keepSignedIn, loginBrowser } from '../http/login-browser'
import { redirectAfterLogin } from '../http/after-login'
import type { AppContext, AppEnv } from '../http/env'
import { messagesOf } from '../http/locale'
import { readForm } from '../http/form'
import { deletePasskeyLoginCookie, getPasskeyLoginCookie, setPasskeyLoginCookie } from '../http/passkey-login-cookie'
import { render } from '../http/render'
import { safeReturnPath } from '../http/return-path'
import { logInWithPasskey, startPasskeyLogin } from '../two-step/passkey-login'

// Fetched by public/passkey.js as a form post, so the CSRF check (Origin) applies to it.
async function postOptions(c: AppContext) {
  const browserSecret = getPasskeyLoginCookie(c) ?? setPasskeyLoginCookie(c)
  const started = await startPasskeyLogin(c.get('deps'), { browserSecret, ip: c.get('ip') })
  if (!started.ok) {
    c.header('Retry-After', '60')
    return c.json({ error: 'busy' }, 429)
  }
  return c.json(started.options)
}

async function postPasskey(c: AppContext) {
  const browserSecret = getPasskeyLoginCookie(c)
  const form = await readForm(c)
  const response = (form.passkeyResponse ?? '').slice(0, 32_768)
  const next = safeReturnPath(form.next)
  const t = messagesOf(c)
  const result = browserSecret
    ? await logInWithPasskey(c.get('deps'), { browserSecret, response, ...loginBrowser(c) })
    : ({ ok: false, reason: 'failed' } as const)
  deletePasskeyLoginCookie(c)
  if (result.ok) {
    keepSignedIn(c, result)
    return redirectAfterLogin(c, result, next)
  }
  if (result.reason === 'throttled') {
    c.header('Retry-After', String(Math.ceil(result.retryAfterMs / 1000)))
    return render(c, <LoginPage t={t} error={t.login.throttled(result.retryAfterMs)} next={next} />, { status: 429 })
  }
  return render(c, <LoginPage t={t} error={result.reason === 'locked' ? t.login.passkeyLocked : t.login.passkeyFailed} next={next} />, {
    status: result.reason === 'locked' ? 429 : 401,
  })
}

/** "Log In with a Passkey" on the login page: a discoverable, user-verified passkey alone. */
export function passkeyLoginRoutes() {
  const app = new Hono<AppEnv>()
  app.post('/options', postOptions)
  app.post('/', postPasskey)
  return app
}
