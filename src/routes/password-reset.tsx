import { Hono } from 'hono'
import { ForgotPasswordPage, ResetLinkPage, ResetLinkProblemPage, VerifyCodePage } from '../../views/pages/password-reset'
import { deleteResetRequestCookie, getDeviceCookie, getResetRequestCookie, setResetRequestCookie } from '../auth/cookie'
import { readKnownDevices } from '../auth/devices'
import { newPasswordProblems, PASSWORD_RULES } from '../auth/password-policy'
import { generateSecret } from '../auth/tokens'
import type { Defer } from '../http/defer'
import type { AppContext, AppEnv } from '../http/env'
import { fieldErrors, readForm } from '../http/form'
import { render } from '../http/render'
import { CODE_TTL_MS, requestResetCode, resetEmailSchema, resetWithCode, verifyCodeSchema } from '../password-reset/reset-code'
import { findResetLinkByToken, resetWithLink } from '../password-reset/reset-link'

const afterReset = (email: string) => `/login?reset&email=${encodeURIComponent(email)}`

const linkProblem = (c: AppContext, state: 'expired' | 'used' | 'revoked' | 'replaced' | 'unknown') =>
  render(c, <ResetLinkProblemPage state={state} />, { status: state === 'unknown' ? 404 : 410 })

const showForgotPassword = (c: AppContext) => render(c, <ForgotPasswordPage errors={{}} />)

// Known address or not, the answer is the same redirect: it must not tell who has an account.
const sendCode = (defer: Defer) => async (c: AppContext) => {
  const form = await readForm(c)
  const parsed = resetEmailSchema.safeParse(form.email)
  if (!parsed.success)
    return render(c, <ForgotPasswordPage email={form.email?.slice(0, 254)} errors={{ email: parsed.error.issues[0]?.message }} />, {
      status: 422,
    })
  const email = parsed.data
  // A browser keeps its secret while it has one: its requests, limits and tries are its own.
  const browserSecret = getResetRequestCookie(c) ?? generateSecret()
  const deps = c.get('deps')
  // A browser its owner logged in with before is never held back by what other browsers did.
  const devices = readKnownDevices(deps.config.DEVICE_COOKIE_SECRET, getDeviceCookie(c), deps.clock.now())
  const deviceAccountIds = devices.map((device) => device.accountId)
  const result = await requestResetCode(deps, { email, ip: c.get('ip'), browserSecret, deviceAccountIds })
  if (!result.accepted) {
    const status = 'Too many codes were requested for this address. Wait a few minutes, then try again.'
    return render(c, <ForgotPasswordPage email={email} errors={{}} status={status} />, { status: 429 })
  }
  defer(c, result.delivery)
  // Set for every accepted request, account or not: its presence tells nothing.
  setResetRequestCookie(c, browserSecret, CODE_TTL_MS)
  return c.redirect(`/forgot-password/verify?email=${encodeURIComponent(email)}`, 303)
}

function showVerifyCode(c: AppContext) {
  const email = resetEmailSchema.safeParse(c.req.query('email'))
  if (!email.success) return c.redirect('/forgot-password', 303)
  return render(c, <VerifyCodePage email={email.data} rules={PASSWORD_RULES} errors={{}} />)
}

async function resetByCode(c: AppContext) {
  const form = await readForm(c)
  const email = resetEmailSchema.safeParse(form.email)
  if (!email.success) return c.redirect('/forgot-password', 303)
  // What was typed stays in the form, passwords included: retyping two long passwords on a
  // phone because of a mistyped code is what made people give up (the page is never cached).
  const typed = {
    code: form.code?.slice(0, 8),
    password: form.password?.slice(0, 1024),
    confirmPassword: form.confirmPassword?.slice(0, 1024),
  }
  const again = (errors: Record<string, string>) =>
    render(c, <VerifyCodePage email={email.data} {...typed} rules={PASSWORD_RULES} errors={errors} />, { status: 422 })
  const parsed = verifyCodeSchema.safeParse(form)
  if (!parsed.success) return again(fieldErrors(parsed.error))
  const browserSecret = getResetRequestCookie(c)
  if (!browserSecret) return again({ code: 'Enter the code in the browser where you asked for it, or send a new code from this one.' })
  const { code, password } = parsed.data
  const result = await resetWithCode(c.get('deps'), { email: email.data, code, browserSecret, password, ip: c.get('ip') })
  if (result.ok) {
    deleteResetRequestCookie(c)
    return c.redirect(afterReset(email.data), 303)
  }
  switch (result.reason) {
    case 'weak-password':
      return again({ password: result.message })
    case 'expired':
      return again({ code: 'This code has expired, was used, or was tried too many times. Send a new code.' })
    case 'invalid':
      return again({
        code:
          result.triesLeft > 0
            ? `That code is not right. ${result.triesLeft} ${result.triesLeft === 1 ? 'try' : 'tries'} left.`
            : 'That code is not right, and it has been tried too many times. Send a new code.',
      })
  }
}

// Opening the link changes nothing; only the form's post uses it.
async function showResetLink(c: AppContext) {
  const found = await findResetLinkByToken(c.get('deps'), c.req.param('token') ?? '')
  if (found.state !== 'valid') return linkProblem(c, found.state)
  return render(c, <ResetLinkPage token={c.req.param('token') ?? ''} firstName={found.firstName} rules={PASSWORD_RULES} errors={{}} />)
}

async function resetByLink(c: AppContext) {
  const token = c.req.param('token') ?? ''
  const found = await findResetLinkByToken(c.get('deps'), token)
  if (found.state !== 'valid') return linkProblem(c, found.state)
  const form = await readForm(c)
  const typed = { password: form.password?.slice(0, 1024) ?? '', confirmPassword: form.confirmPassword?.slice(0, 1024) ?? '' }
  const again = (errors: Record<string, string | undefined>) =>
    render(c, <ResetLinkPage token={token} firstName={found.firstName} {...typed} rules={PASSWORD_RULES} errors={errors} />, {
      status: 422,
    })
  const problems = newPasswordProblems(typed.password, typed.confirmPassword)
  if (problems.password || problems.confirmPassword) return again(problems)
  const result = await resetWithLink(c.get('deps'), {
    linkId: found.linkId,
    accountId: found.accountId,
    password: typed.password,
    ip: c.get('ip'),
  })
  if (result.ok) return c.redirect(afterReset(result.email), 303)
  return result.reason === 'weak-password' ? again({ password: result.message }) : linkProblem(c, result.reason)
}

/** Forgot Password (an emailed code) and the admin's reset link. */
export function passwordResetRoutes(defer: Defer) {
  const app = new Hono<AppEnv>()
  app.get('/forgot-password', showForgotPassword)
  app.post('/forgot-password', sendCode(defer))
  app.get('/forgot-password/verify', showVerifyCode)
  app.post('/forgot-password/verify', resetByCode)
  app.get('/reset/:token', showResetLink)
  app.post('/reset/:token', resetByLink)
  return app
}
