import { Hono } from 'hono'
import { LoginSecondStepPage, type LoginSecondStepProps } from '../../views/pages/login-second-step'
import { keepSignedIn, loginBrowser } from '../http/login-browser'
import { redirectAfterLogin, takeReturnPath } from '../http/after-login'
import type { AppContext, AppEnv } from '../http/env'
import { readForm } from '../http/form'
import { messagesOf } from '../http/locale'
import { deletePendingLoginCookie, getPendingLoginCookie } from '../http/pending-login-cookie'
import { render } from '../http/render'
import { startPasskeyAssertion } from '../two-step/passkey-assertion-options'
import { findPendingLogin, type PendingLogin } from '../two-step/pending-login'
import type { FactorResult } from '../two-step/person'
import { completeSecondStep, type SecondStepAnswer } from '../two-step/second-step'
import { getTwoStepStatus } from '../two-step/two-step'
import { factorMessage, type FactorKind } from './two-step/shared'

/**
 * The second step of logging in, at /login/two-step. The password step (src/routes/auth.tsx)
 * hands over to it by starting a pending login and setting its cookie; no session exists until
 * one of these answers is right.
 */
export function loginSecondStepRoutes() {
  const app = new Hono<AppEnv>()

  // The person is known from here on: their pages speak their profile's language, as once signed in.
  const pendingOf = async (c: AppContext) => {
    const token = getPendingLoginCookie(c)
    const pending = token ? await findPendingLogin(c.get('deps'), token) : null
    if (pending) c.set('locale', pending.language)
    return pending
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
      <LoginSecondStepPage
        t={messagesOf(c)}
        mode={mode}
        hasApp={twoStep.totp.status === 'on'}
        hasPasskey={twoStep.passkeys.length > 0}
        error={error}
      />,
      { status },
    )
  }

  const refused = (
    c: AppContext,
    pending: PendingLogin,
    mode: LoginSecondStepProps['mode'],
    result: Extract<FactorResult, { ok: false }>,
    what: FactorKind,
  ) =>
    page(
      c,
      pending,
      mode,
      factorMessage(result, what, messagesOf(c)),
      result.reason === 'throttled' || result.reason === 'locked' ? 429 : 401,
    )

  /** Checks the answer; a right one ends the pending login and starts a session. */
  const answer = async (
    c: AppContext,
    pending: PendingLogin,
    mode: LoginSecondStepProps['mode'],
    given: SecondStepAnswer,
    what: FactorKind,
  ) => {
    const result = await completeSecondStep(c.get('deps'), { pending, answer: given, ...loginBrowser(c) })
    if (result.ok) {
      deletePendingLoginCookie(c)
      keepSignedIn(c, result)
      return redirectAfterLogin(c, result, takeReturnPath(c))
    }
    if (result.reason === 'expired') return startAgain(c)
    return refused(c, pending, mode, result, what)
  }

  app.get('/', async (c) => {
    const pending = await pendingOf(c)
    return pending ? page(c, pending, 'code') : startAgain(c)
  })

  app.post('/', async (c) => {
    const pending = await pendingOf(c)
    if (!pending) return startAgain(c)
    const code = ((await readForm(c)).code ?? '').slice(0, 32)
    if (code.trim() === '') return page(c, pending, 'code', messagesOf(c).secondStep.enterAppCode, 401)
    return answer(c, pending, 'code', { totpCode: code }, 'code')
  })

  app.get('/recovery-code', async (c) => {
    const pending = await pendingOf(c)
    return pending ? page(c, pending, 'recovery') : startAgain(c)
  })

  app.post('/recovery-code', async (c) => {
    const pending = await pendingOf(c)
    if (!pending) return startAgain(c)
    const code = ((await readForm(c)).recoveryCode ?? '').slice(0, 64)
    if (code.trim() === '') return page(c, pending, 'recovery', messagesOf(c).secondStep.enterRecoveryCode, 401)
    return answer(c, pending, 'recovery', { recoveryCode: code }, 'recoveryCode')
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
    return answer(c, pending, 'code', { passkeyResponse: response }, 'passkey')
  })

  return app
}
