import { Hono } from 'hono'
import { ForgotPasswordPage, ResetLinkPage, ResetLinkProblemPage, VerifyCodePage } from '../../views/pages/password-reset'
import { deleteResetRequestCookie, getDeviceCookie, getResetRequestCookie, setResetRequestCookie } from '../auth/cookie'
import { readKnownDevices } from '../auth/devices'
import { describePasswordProblem, newPasswordProblems, PASSWORD_RULES } from '../auth/password-policy'
import { generateSecret } from '../auth/tokens'
import type { Defer } from '../http/defer'
import type { AppContext, AppEnv } from '../http/env'
import { fieldErrors, readForm } from '../http/form'
import { messagesOf } from '../http/locale'
import { render } from '../http/render'
import { resetWithCode, verifyCodeSchema } from '../password-reset/redeem-reset-code'
import { CODE_TTL_MS, requestResetCode, resetEmailSchema } from '../password-reset/reset-code'
import { findResetLinkByToken, findResetLinkForPost, resetWithLink } from '../password-reset/redeem-reset-link'
import { errorText } from '../text/messages'

const afterReset = (email: string) => `/login?reset&email=${encodeURIComponent(email)}`

const linkProblem = (c: AppContext, state: 'expired' | 'used' | 'revoked' | 'replaced' | 'unknown') =>
  render(c, <ResetLinkProblemPage t={messagesOf(c)} state={state} />, { status: state === 'unknown' ? 404 : 410 })

const showForgotPassword = (c: AppContext) => render(c, <ForgotPasswordPage t={messagesOf(c)} errors={{}} />)

// Known address or not, the answer is the same redirect: it must not tell who has an account.
const sendCode = (defer: Defer) => async (c: AppContext) => {
  const t = messagesOf(c)
  const form = await readForm(c)
  const parsed = resetEmailSchema.safeParse(form.email)
  if (!parsed.success) {
    const errors = { email: errorText(parsed.error.issues[0]?.message ?? '', t) }
    return render(c, <ForgotPasswordPage t={t} email={form.email?.slice(0, 254)} errors={errors} />, { status: 422 })
  }
  const email = parsed.data
  // A browser keeps its secret while it has one: its requests, limits and tries are its own.
  const browserSecret = getResetRequestCookie(c) ?? generateSecret()
  const deps = c.get('deps')
  // A browser its owner logged in with before is never held back by what other browsers did.
  const devices = readKnownDevices(deps.config.DEVICE_COOKIE_SECRET, getDeviceCookie(c), deps.clock.now())
  const deviceAccountIds = devices.map((device) => device.accountId)
  const result = await requestResetCode(deps, { email, ip: c.get('ip'), browserSecret, deviceAccountIds })
  if (!result.accepted) {
    return render(c, <ForgotPasswordPage t={t} email={email} errors={{}} status={t.recovery.tooManyCodes} />, { status: 429 })
  }
  defer(c, result.delivery)
  // Set for every accepted request, account or not: its presence tells nothing.
  setResetRequestCookie(c, browserSecret, CODE_TTL_MS)
  return c.redirect(`/forgot-password/verify?email=${encodeURIComponent(email)}`, 303)
}

function showVerifyCode(c: AppContext) {
  const email = resetEmailSchema.safeParse(c.req.query('email'))
  if (!email.success) return c.redirect('/forgot-password', 303)
  return render(c, <VerifyCodePage t={messagesOf(c)} email={email.data} rules={PASSWORD_RULES} errors={{}} />)
}

const resetByCode = (defer: Defer) => async (c: AppContext) => {
  const t = messagesOf(c)
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
    render(c, <VerifyCodePage t={t} email={email.data} {...typed} rules={PASSWORD_RULES} errors={errors} />, { status: 422 })
  const parsed = verifyCodeSchema.safeParse(form)
  if (!parsed.success) {
    // The schema's password problems are English words; the same check says them in the page's language.
    const { code } = fieldErrors(parsed.error, t)
    const problems = newPasswordProblems(typed.password ?? '', typed.confirmPassword ?? '', t)
    return again(Object.fromEntries(Object.entries({ code, ...problems }).filter((entry): entry is [string, string] => !!entry[1])))
  }
  const browserSecret = getResetRequestCookie(c)
  if (!browserSecret) return again({ code: t.recovery.otherBrowser })
  const { code, password } = parsed.data
  const result = await resetWithCode(c.get('deps'), { email: email.data, code, browserSecret, password, ip: c.get('ip') })
  if (result.ok) {
    // The notice is in the outbox with the change; it goes out after the response.
    defer(c, result.delivery)
    deleteResetRequestCookie(c)
    return c.redirect(afterReset(email.data), 303)
  }
  switch (result.reason) {
    case 'weak-password':
      return again({ password: describePasswordProblem(result.problem, t) })
    case 'expired':
      return again({ code: t.recovery.codeExpired })
    case 'invalid':
      return again({ code: result.triesLeft > 0 ? t.recovery.codeWrong(result.triesLeft) : t.recovery.codeWrongNoTries })
  }
}

// Opening the link changes nothing; only the form's post uses it.
async function showResetLink(c: AppContext) {
  const found = await findResetLinkByToken(c.get('deps'), c.req.param('token') ?? '')
  if (found.state !== 'valid') return linkProblem(c, found.state)
  return render(
    c,
    <ResetLinkPage t={messagesOf(c)} token={c.req.param('token') ?? ''} firstName={found.firstName} rules={PASSWORD_RULES} errors={{}} />,
  )
}

async function resetByLink(c: AppContext) {
  const token = c.req.param('token') ?? ''
  const found = await findResetLinkForPost(c.get('deps'), token)
  if (found.state !== 'valid') return linkProblem(c, found.state)
  const t = messagesOf(c)
  const form = await readForm(c)
  const typed = { password: form.password?.slice(0, 1024) ?? '', confirmPassword: form.confirmPassword?.slice(0, 1024) ?? '' }
  const again = (errors: Record<string, string | undefined>) =>
    render(c, <ResetLinkPage t={t} token={token} firstName={found.firstName} {...typed} rules={PASSWORD_RULES} errors={errors} />, {
      status: 422,
    })
  const problems = newPasswordProblems(typed.password, typed.confirmPassword, t)
  if (problems.password || problems.confirmPassword) return again(problems)
  const result = await resetWithLink(c.get('deps'), {
    link: found,
    password: typed.password,
    ip: c.get('ip'),
  })
  if (result.ok) return c.redirect(afterReset(result.email), 303)
  return result.reason === 'weak-password' ? again({ password: describePasswordProblem(result.problem, t) }) : linkProblem(c, result.reason)
}

/** Forgot Password (an emailed code) and the admin's reset link. */
export function passwordResetRoutes(defer: Defer) {
  const app = new Hono<AppEnv>()
  app.get('/forgot-password', showForgotPassword)
  app.post('/forgot-password', sendCode(defer))
  app.get('/forgot-password/verify', showVerifyCode)
  app.post('/forgot-password/verify', resetByCode(defer))
  app.get('/reset/:token', showResetLink)
  app.post('/reset/:token', resetByLink)
  return app
}
