import type { BatchItem, BatchResponse } from 'drizzle-orm/batch'
import { and } from 'drizzle-orm'
import { finishLogin } from '../auth/finish-login'
import { knownDeviceOf, type KnownDevice } from '../auth/devices'
import type { loginFailures } from '../../db/schema'
import { loginFailuresQuery, throttleOf } from '../auth/throttle'
import type { Deps } from '../deps'
import type { NoticeDeps } from './notices'
import { checkPasskeyAssertion } from './passkey-assertion'
import { endPendingLoginStatement, pendingLoginIsLive, type PendingLogin } from './pending-login'
import type { AnswerClaim, FactorResult, ReadGate } from './person'
import { checkRecoveryCodeStep } from './recovery-code-check'
import { checkTotpStep } from './totp-check'

export type SecondStepAnswer = { totpCode: string } | { recoveryCode: string } | { passkeyResponse: string }

export type SecondStepResult =
  | { ok: true; token: string; role: 'staff' | 'admin'; needsName: boolean; accountId: string }
  // The pending login was finished by another request in the meantime.
  | { ok: false; reason: 'expired' }
  | Extract<FactorResult, { ok: false }>

type LoginFailureRow = typeof loginFailures.$inferSelect

const HOW = { totpCode: 'authenticator app', recoveryCode: 'recovery code', passkeyResponse: 'passkey' } as const

/**
 * The second step of a login: the answer must be right for the person the pending login
 * names, and then the pending login ends (once) and a session starts. It is held back by the
 * same per-address and per-IP waits as the password step, so a password-guessing burst
 * cannot continue here; wrong answers are counted per factor by the factor's own check.
 */
export async function completeSecondStep(
  deps: NoticeDeps & Pick<Deps, 'config'>,
  input: {
    pending: PendingLogin
    answer: SecondStepAnswer
    ip: string
    userAgent: string
    previousSessionId?: string
    /** The browser's device entries: a known device of the account is not held back by the waits here either. */
    knownDevices?: KnownDevice[]
  },
): Promise<SecondStepResult> {
  const { pending, answer, ip } = input
  const deviceNonce = knownDeviceOf(input.knownDevices ?? [], pending.accountId)?.nonce
  const now = deps.clock.now()
  const heldBack = (rows: LoginFailureRow[]): Extract<FactorResult, { ok: false }> | null => {
    const held = throttleOf(rows, now, deviceNonce)
    return held.allowed ? null : { ok: false, reason: 'throttled', retryAfterMs: held.retryAfterMs ?? undefined }
  }
  // The login's waits are read with the factor's first read and answered before the answer is looked at.
  const gate: ReadGate = {
    query: loginFailuresQuery(deps.db, { email: pending.email, ip, deviceNonce }),
    refuses: (rows) => heldBack(rows as LoginFailureRow[]),
  }
  const kind = Object.keys(answer)[0] as keyof typeof HOW
  const login = {
    account: pending,
    ip,
    userAgent: input.userAgent,
    previousSessionId: input.previousSessionId,
    detail: `second step: ${HOW[kind]}`,
  }
  // Each answer is checked up to the write that spends it (a passkey's challenge and counter, the
  // app's step, the recovery code), which goes at the end of the login's batch: the check's last
  // step, the login and the end of the pending login are one call.
  if ('passkeyResponse' in answer) {
    const claim = await checkPasskeyAssertion(deps, {
      purpose: 'second-step',
      person: pending,
      pendingLoginId: pending.id,
      response: answer.passkeyResponse,
      ip,
      gate,
    })
    return claim.ok ? finishWithClaim(deps, login, claim) : claim
  }
  if ('totpCode' in answer) {
    const claim = await checkTotpStep(deps, { person: pending, code: answer.totpCode, ip, gate })
    return claim.ok ? finishWithClaim(deps, login, claim) : claim
  }

  const claim = await checkRecoveryCodeStep(deps, { person: pending, code: answer.recoveryCode, ip, gate })
  return claim.ok ? finishWithClaim(deps, login, claim) : claim
}

const signedIn = (pending: PendingLogin, token: string, needsName: boolean) =>
  ({ ok: true, token, role: pending.role, needsName, accountId: pending.accountId }) as const

/**
 * One batch: the login's writes, only while the pending login is there and the answer is
 * accepted; the answer spent; then the pending login ended where this batch wrote the login (last:
 * ending it takes its passkey challenges with it). The request whose answer is accepted and whose
 * login is written is the one that ends the pending login; any other writes no session.
 */
async function finishWithClaim<S extends readonly BatchItem<'sqlite'>[]>(
  deps: Pick<Deps, 'db' | 'clock'>,
  login: Parameters<typeof finishLogin>[1] & { account: PendingLogin },
  claim: AnswerClaim<S>,
): Promise<SecondStepResult> {
  const pending = login.account
  const { token, needsName, trailing } = await finishLogin(deps, login, {
    onlyIf: and(pendingLoginIsLive(pending.id), claim.accepted)!,
    trailing: (written) => [...claim.statements, endPendingLoginStatement(deps, pending.id, written)] as const,
  })
  const settled = await claim.settle(trailing.slice(0, -1) as unknown as BatchResponse<S>)
  if (!settled.ok) return settled
  const ended = trailing.at(-1) as unknown[]
  return ended.length > 0 ? signedIn(pending, token, needsName) : { ok: false, reason: 'expired' }
}
