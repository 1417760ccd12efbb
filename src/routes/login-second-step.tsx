import { eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { accounts } from '../../db/schema'
import { LoginSecondStepPage, type LoginSecondStepProps } from '../../views/pages/login-second-step'
import { insertAudit } from '../audit/audit'
import { setSessionCookie } from '../auth/cookie'
import { createSession, invalidateSession } from '../auth/session'
import type { AppContext, AppEnv } from '../http/env'
import { readForm } from '../http/form'
import { deletePendingLoginCookie, getPendingLoginCookie } from '../http/pending-login-cookie'
import { render } from '../http/render'
import { startPasskeyAssertion, verifyPasskeyAssertion } from '../two-step/passkeys'
import { findPendingLogin, finishPendingLogin, type PendingLogin } from '../two-step/pending-login'
import type { FactorResult } from '../two-step/person'
import { spendRecoveryCode } from '../two-step/recovery-codes'
import { verifyTotpStep } from '../two-step/totp'
import { getTwoStepStatus } from '../two-step/two-step'
import { factorMessage } from './two-step'

/**
 * The second step of logging in, at /login/two-step. The password step (src/routes/auth.tsx)
 * hands over to it by starting a pending login and setting its cookie; no session exists until
 * one of these answers is right.
 */
export function loginSecondStepRoutes() {
  const app = new Hono<AppEnv>()

  const pendingOf = async (c: AppContext) => {
    const token = getPendingLoginCookie(c)
    return token ? findPendingLogin(c.get('deps'), token) : null
  }
  // No pending login (never started, expired, used, or access disabled since): back to the password.
  const startAgain = (c: AppContext) => {
    deletePendingLoginCookie(c)
    return c.redirect('/login?two_step_expired', 303)
  }

  const page = async (
    c: AppContext,
    pending: PendingLogin,
    mode: LoginSecondStepProps['mode'],
    error?: string,
    status: 200 | 401 | 429 = 200,
  ) => {
    const twoStep = await getTwoStepStatus(c.get('deps'), pending.accountId)
    return render(
      c,
      <LoginSecondStepPage mode={mode} hasApp={twoStep.totp.status === 'on'} hasPasskey={twoStep.passkeys.length > 0} error={error} />,
      { status },
    )
  }

  const refused = (
    c: AppContext,
    pending: PendingLogin,
    mode: LoginSecondStepProps['mode'],
    result: Extract<FactorResult, { ok: false }>,
    what: string,
  ) => page(c, pending, mode, factorMessage(result, what), result.reason === 'throttled' || result.reason === 'locked' ? 429 : 401)

  /** The second step is right: the pending login ends (once) and a session begins. */
  const finish = async (c: AppContext, pending: PendingLogin, how: string) => {
    const deps = c.get('deps')
    const { db, clock } = deps
    if (!(await finishPendingLogin(deps, pending.id))) return startAgain(c)
    const previous = c.get('session')
    if (previous) await invalidateSession(deps, previous.id)
    const ip = c.get('ip')
    const { token } = await createSession(deps, { accountId: pending.accountId, ip, userAgent: c.req.header('User-Agent') ?? '' })
    await db.batch([
      db.update(accounts).set({ lastLoginAt: clock.now() }).where(eq(accounts.id, pending.accountId)),
      insertAudit(db, clock.now(), {
        practiceId: pending.practiceId,
        actorAccountId: pending.accountId,
        targetStaffId: pending.staffId,
        event: 'login.succeeded',
        ip,
        detail: `second step: ${how}`,
      }),
    ])
    deletePendingLoginCookie(c)
    setSessionCookie(c, token)
    return c.redirect(pending.role === 'admin' ? '/staff' : '/portal', 303)
  }

  app.get('/', async (c) => {
    const pending = await pendingOf(c)
    return pending ? page(c, pending, 'code') : startAgain(c)
  })

  app.post('/', async (c) => {
    const pending = await pendingOf(c)
    if (!pending) return startAgain(c)
    const code = ((await readForm(c)).code ?? '').slice(0, 32)
    if (code.trim() === '') return page(c, pending, 'code', 'Enter the 6-digit code your app shows.', 401)
    const result = await verifyTotpStep(c.get('deps'), { person: pending, code, ip: c.get('ip') })
    return result.ok ? finish(c, pending, 'authenticator app') : refused(c, pending, 'code', result, 'code')
  })

  app.get('/recovery-code', async (c) => {
    const pending = await pendingOf(c)
    return pending ? page(c, pending, 'recovery') : startAgain(c)
  })

  app.post('/recovery-code', async (c) => {
    const pending = await pendingOf(c)
    if (!pending) return startAgain(c)
    const code = ((await readForm(c)).recoveryCode ?? '').slice(0, 64)
    if (code.trim() === '') return page(c, pending, 'recovery', 'Enter one of your recovery codes.', 401)
    const result = await spendRecoveryCode(c.get('deps'), { person: pending, code, ip: c.get('ip') })
    return result.ok ? finish(c, pending, 'recovery code') : refused(c, pending, 'recovery', result, 'recovery code')
  })

  // Fetched by public/passkey.js as a form post, so the CSRF check (Origin) applies.
  app.post('/passkey/options', async (c) => {
    const pending = await pendingOf(c)
    if (!pending) return c.json({ error: 'expired' }, 401)
    return c.json(await startPasskeyAssertion(c.get('deps'), { purpose: 'second-step', person: pending, pendingLoginId: pending.id }))
  })

  app.post('/passkey', async (c) => {
    const pending = await pendingOf(c)
    if (!pending) return startAgain(c)
    const response = ((await readForm(c)).passkeyResponse ?? '').slice(0, 32_768)
    const result = await verifyPasskeyAssertion(c.get('deps'), {
      purpose: 'second-step',
      person: pending,
      pendingLoginId: pending.id,
      response,
      ip: c.get('ip'),
    })
    return result.ok ? finish(c, pending, 'passkey') : refused(c, pending, 'code', result, 'passkey')
  })

  return app
}
