import { and } from 'drizzle-orm'
import { finishLogin } from '../auth/finish-login'
import { knownDeviceOf, type KnownDevice } from '../auth/devices'
import type { loginFailures } from '../../db/schema'
import { loginFailuresQuery, throttleOf } from '../auth/throttle'
import type { Deps } from '../deps'
import type { NoticeDeps } from './notices'
import { checkPasskeyAssertion } from './passkey-assertion'
import { endPendingLoginStatement, pendingLoginIsLive, type PendingLogin } from './pending-login'
import type { FactorResult, ReadGate } from './person'
import { spendRecoveryCode } from './recovery-codes'
import { verifyTotpStep } from './totp'

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
  const signedIn = (token: string, needsName: boolean) =>
    ({ ok: true, token, role: pending.role, needsName, accountId: pending.accountId }) as const
  const live = pendingLoginIsLive(pending.id)

  if ('passkeyResponse' in answer) {
    const claim = await checkPasskeyAssertion(deps, {
      purpose: 'second-step',
      person: pending,
      pendingLoginId: pending.id,
      response: answer.passkeyResponse,
      ip,
      gate,
    })
    if (!claim.ok) return claim
    // One batch: the login's writes, only while the pending login is there and this answer is
    // accepted; the answer used up; then the pending login ended where this batch wrote the login
    // (last: ending it takes its challenges with it).
    const {
      token,
      needsName,
      then: [clear, counter, consumed, ended],
    } = await finishLogin(deps, login, {
      onlyIf: and(live, claim.accepted)!,
      then: (written) => [...claim.statements, endPendingLoginStatement(deps, pending.id, written)] as const,
    })
    const settled = await claim.settle([clear, counter, consumed])
    if (!settled.ok) return settled
    return ended.length > 0 ? signedIn(token, needsName) : { ok: false, reason: 'expired' }
  }

  const checked =
    'totpCode' in answer
      ? await verifyTotpStep(deps, { person: pending, code: answer.totpCode, ip, deferWrites: true, gate })
      : await spendRecoveryCode(deps, { person: pending, code: answer.recoveryCode, ip, deferWrites: true, gate })
  if (!checked.ok) return checked
  // One batch: the login's writes while the pending login is there, then its end, which only one
  // request gets, then what the right answer still owed (written whether or not this request ends it).
  const {
    token,
    needsName,
    then: [ended],
  } = await finishLogin(deps, login, {
    onlyIf: live,
    then: () => [endPendingLoginStatement(deps, pending.id), ...(checked.followUp ?? [])] as const,
  })
  return ended.length > 0 ? signedIn(token, needsName) : { ok: false, reason: 'expired' }
}
