import { Hono } from 'hono'
import { z } from 'zod'
import { ForgotPasswordPage, ResetLinkPage, ResetLinkProblemPage, VerifyCodePage } from '../../views/pages/password-reset'
import { deleteResetRequestCookie, getResetRequestCookie, setResetRequestCookie } from '../auth/cookie'
import { checkNewPassword } from '../auth/password-policy'
import { generateSecret } from '../auth/tokens'
import type { ClientIp } from '../http/client-ip'
import type { Defer } from '../http/defer'
import type { AppEnv } from '../http/env'
import { fieldErrors, readForm } from '../http/form'
import { render } from '../http/render'
import { findPasswordOwner } from '../password-reset/password-change'
import { CODE_TTL_MS, requestResetCode, resetWithCode } from '../password-reset/reset-code'
import { findResetLinkByToken, resetWithLink } from '../password-reset/reset-link'
import { newPasswordSchema } from './invite'

const emailSchema = z
  .string()
  .default('')
  .transform((v) => v.trim().toLowerCase())
  .pipe(
    z
      .string()
      .min(1, 'Enter your email address.')
      .max(254, 'That email address is too long.')
      .pipe(z.email('Enter an email address like name@example.com.')),
  )

const verifySchema = newPasswordSchema.and(
  z.object({
    email: emailSchema,
    code: z
      .string()
      .default('')
      .transform((v) => v.replace(/\s+/g, ''))
      .pipe(z.string().regex(/^\d{8}$/, 'Enter the 8-digit code from the email.')),
  }),
)

const afterReset = (email: string) => `/login?reset&email=${encodeURIComponent(email)}`

export function resetRoutes(clientIp: ClientIp, defer: Defer) {
  const app = new Hono<AppEnv>()

  app.get('/forgot-password', (c) => render(c, <ForgotPasswordPage errors={{}} />))

  // Known address or not, the answer is the same redirect: it must not tell who has an account.
  app.post('/forgot-password', async (c) => {
    const form = await readForm(c)
    const parsed = emailSchema.safeParse(form.email)
    if (!parsed.success)
      return render(c, <ForgotPasswordPage email={form.email?.slice(0, 254)} errors={{ email: parsed.error.issues[0]?.message }} />, 422)
    const email = parsed.data
    const browserSecret = generateSecret()
    const result = await requestResetCode(c.get('deps'), email, clientIp(c), browserSecret)
    if (!result.accepted)
      return render(
        c,
        <ForgotPasswordPage
          email={email}
          errors={{}}
          status="Too many codes were requested for this address. Wait a few minutes, then try again."
        />,
        429,
      )
    defer(c, result.delivery)
    // Set for every accepted request, account or not: its presence tells nothing.
    setResetRequestCookie(c, browserSecret, CODE_TTL_MS)
    return c.redirect(`/forgot-password/verify?email=${encodeURIComponent(email)}`, 303)
  })

  app.get('/forgot-password/verify', (c) => {
    const email = emailSchema.safeParse(c.req.query('email'))
    if (!email.success) return c.redirect('/forgot-password', 303)
    return render(c, <VerifyCodePage email={email.data} errors={{}} />)
  })

  app.post('/forgot-password/verify', async (c) => {
    const deps = c.get('deps')
    const form = await readForm(c)
    const email = emailSchema.safeParse(form.email)
    if (!email.success) return c.redirect('/forgot-password', 303)
    const again = (errors: Record<string, string>) =>
      render(c, <VerifyCodePage email={email.data} code={form.code?.slice(0, 8)} errors={errors} />, 422)
    const parsed = verifySchema.safeParse(form)
    if (!parsed.success) return again(fieldErrors(parsed.error))
    const browserSecret = getResetRequestCookie(c)
    if (!browserSecret) return again({ code: 'Enter the code in the browser where you asked for it, or send a new code from this one.' })
    const owner = await findPasswordOwner(deps.db, { email: email.data })
    const context = owner ? [owner.firstName, owner.lastName, owner.email, owner.practiceName] : [email.data]
    const check = checkNewPassword(parsed.data.password, context)
    if (!check.ok) return again({ password: check.message })
    const result = await resetWithCode(deps, email.data, parsed.data.code, browserSecret, check.password, clientIp(c))
    if (result.ok) {
      deleteResetRequestCookie(c)
      return c.redirect(afterReset(email.data), 303)
    }
    if (result.reason === 'expired')
      return again({ code: 'This code has expired, was used, or was tried too many times. Send a new code.' })
    return again({
      code:
        result.triesLeft > 0
          ? `That code is not right. ${result.triesLeft} ${result.triesLeft === 1 ? 'try' : 'tries'} left.`
          : 'That code is not right, and it has been tried too many times. Send a new code.',
    })
  })

  // Opening the link changes nothing; only the form's post uses it.
  app.get('/reset/:token', async (c) => {
    const { db, clock } = c.get('deps')
    const found = await findResetLinkByToken(db, clock.now(), c.req.param('token'))
    if (found.state !== 'valid') return render(c, <ResetLinkProblemPage state={found.state} />, found.state === 'unknown' ? 404 : 410)
    return render(c, <ResetLinkPage token={c.req.param('token')} firstName={found.firstName} errors={{}} />)
  })

  app.post('/reset/:token', async (c) => {
    const deps = c.get('deps')
    const token = c.req.param('token')
    const found = await findResetLinkByToken(deps.db, deps.clock.now(), token)
    if (found.state !== 'valid') return render(c, <ResetLinkProblemPage state={found.state} />, found.state === 'unknown' ? 404 : 410)
    const again = (errors: Record<string, string>) =>
      render(c, <ResetLinkPage token={token} firstName={found.firstName} errors={errors} />, 422)
    const parsed = newPasswordSchema.safeParse(await readForm(c))
    if (!parsed.success) return again(fieldErrors(parsed.error))
    const owner = await findPasswordOwner(deps.db, { accountId: found.accountId })
    if (!owner) return render(c, <ResetLinkProblemPage state="unknown" />, 404)
    const check = checkNewPassword(parsed.data.password, [owner.firstName, owner.lastName, owner.email, owner.practiceName])
    if (!check.ok) return again({ password: check.message })
    const done = await resetWithLink(deps, found.linkId, check.password, clientIp(c))
    if (!done) return render(c, <ResetLinkProblemPage state="used" />, 410)
    return c.redirect(afterReset(owner.email), 303)
  })

  return app
}
