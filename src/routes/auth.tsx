import { eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import { accounts, auditEvents } from '../../db/schema'
import { LoginPage } from '../../views/pages/login'
import { auditValues, recordAuditEvent } from '../audit/audit'
import { checkLoginThrottle, clearAddressFailures, describeWait, recordLoginFailure } from '../auth/throttle'
import { deleteSessionCookie, setSessionCookie } from '../auth/cookie'
import { authenticate } from '../auth/login'
import { createSession, invalidateSession } from '../auth/session'
import type { AppEnv } from '../http/env'
import { fieldErrors, readForm } from '../http/form'
import { render } from '../http/render'
import type { ClientIp } from '../http/client-ip'

const loginSchema = z.object({
  email: z
    .string()
    .default('')
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.string().min(1, 'Enter your email address.').max(254, 'That email address is too long.')),
  password: z.string().default('').pipe(z.string().min(1, 'Enter your password.').max(1024, 'That password is too long.')),
})

export const LOGIN_FAILED = 'That email and password do not match an account with portal access.'

export function authRoutes(clientIp: ClientIp) {
  const app = new Hono<AppEnv>()

  app.get('/', (c) => {
    const user = c.get('user')
    if (!user) return c.redirect('/login', 303)
    return c.redirect(user.role === 'admin' ? '/staff' : '/portal', 303)
  })

  app.get('/login', (c) => {
    if (c.get('user')) return c.redirect('/', 303)
    const notice =
      c.req.query('welcome') !== undefined
        ? 'Your account is ready. Log in with your email and password.'
        : c.req.query('reset') !== undefined
          ? 'Your password was changed. Log in with your new password.'
          : c.req.query('signed_out') !== undefined
            ? 'You have logged out.'
            : undefined
    return render(c, <LoginPage email={c.req.query('email')?.slice(0, 254)} notice={notice} />)
  })

  app.post('/login', async (c) => {
    const { db, clock } = c.get('deps')
    const form = await readForm(c)
    const parsed = loginSchema.safeParse(form)
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error)
      return render(c, <LoginPage email={form.email?.slice(0, 254)} error={errors.email ?? errors.password} />, 422)
    }
    const { email, password } = parsed.data
    const ip = clientIp(c)
    const now = clock.now()
    const throttle = await checkLoginThrottle(db, now, email, ip)
    if (!throttle.allowed) {
      const wait = throttle.retryAfterMs
      if (wait !== null) c.header('Retry-After', String(Math.ceil(wait / 1000)))
      const message =
        wait === null
          ? 'Too many failed attempts: logging in with this address is locked. Reset your password with Forgot Password, or ask your practice admin to unlock it.'
          : `Too many failed attempts. Try again in ${describeWait(wait)}.`
      return render(c, <LoginPage email={email} error={message} />, 429)
    }
    const result = await authenticate(db, email, password)
    if (!result.ok) {
      await db.batch([
        db.insert(auditEvents).values(
          auditValues(clock, {
            practiceId: result.account?.practiceId ?? null,
            targetStaffId: result.account?.staffId ?? null,
            event: 'login.failed',
            ip,
            detail: result.account ? '' : 'unknown address',
          }),
        ),
        ...recordLoginFailure(db, now, email, ip, result.account?.accountId ?? null),
      ])
      return render(c, <LoginPage email={email} error={LOGIN_FAILED} />, 401)
    }
    const previous = c.get('session')
    if (previous) await invalidateSession(db, previous.id)
    const { token } = await createSession(db, clock, result.account.accountId, { ip, userAgent: c.req.header('User-Agent') ?? '' })
    await db.batch([
      db.update(accounts).set({ lastLoginAt: now }).where(eq(accounts.id, result.account.accountId)),
      clearAddressFailures(db, email),
      db.insert(auditEvents).values(
        auditValues(clock, {
          practiceId: result.account.practiceId,
          actorAccountId: result.account.accountId,
          targetStaffId: result.account.staffId,
          event: 'login.succeeded',
          ip,
        }),
      ),
    ])
    setSessionCookie(c, token)
    return c.redirect(result.account.role === 'admin' ? '/staff' : '/portal', 303)
  })

  app.post('/logout', async (c) => {
    const { db, clock } = c.get('deps')
    const session = c.get('session')
    const user = c.get('user')
    if (session && user) {
      await invalidateSession(db, session.id)
      await recordAuditEvent(db, clock, {
        practiceId: user.practiceId,
        actorAccountId: user.accountId,
        targetStaffId: user.staffId,
        event: 'logout',
        ip: clientIp(c),
      })
    }
    deleteSessionCookie(c)
    return c.redirect('/login?signed_out', 303)
  })

  return app
}
