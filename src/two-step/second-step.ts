import { finishLogin } from '../auth/finish-login'
import { knownDeviceOf, type KnownDevice } from '../auth/devices'
import type { loginFailures } from '../../db/schema'
import { loginFailuresQuery, throttleOf } from '../auth/throttle'
import type { Deps } from '../deps'
import type { NoticeDeps } from './notices'
import { verifyPasskeyAssertion } from './passkey-assertion'
import { finishPendingLogin, type PendingLogin } from './pending-login'
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
  const waits = loginFailuresQuery(deps.db, { email: pending.email, ip, deviceNonce })
  // A code's check reads the waits with its own first read; a passkey's answer is checked after them.
  let gate: ReadGate | undefined = { query: waits, refuses: (rows) => heldBack(rows as LoginFailureRow[]) }
  if ('passkeyResponse' in answer) {
    const refused = heldBack(await waits)
    if (refused) return refused
    gate = undefined
  }
  const checked = await checkAnswer(deps, { pending, answer, ip, gate })
  if (!checked.ok) return checked
  // The pending login ends (once) in the same call as what the right answer still owed.
  if (!(await finishPendingLogin(deps, pending.id, checked.followUp))) return { ok: false, reason: 'expired' }
  const kind = Object.keys(answer)[0] as keyof typeof HOW
  const { token, needsName } = await finishLogin(deps, {
    account: pending,
    ip,
    userAgent: input.userAgent,
    previousSessionId: input.previousSessionId,
    detail: `second step: ${HOW[kind]}`,
  })
  return { ok: true, token, role: pending.role, needsName, accountId: pending.accountId }
}

function checkAnswer(
  deps: NoticeDeps & Pick<Deps, 'config'>,
  input: { pending: PendingLogin; answer: SecondStepAnswer; ip: string; gate?: ReadGate },
): Promise<FactorResult> {
  const { pending: person, answer, ip, gate } = input
  if ('totpCode' in answer) return verifyTotpStep(deps, { person, code: answer.totpCode, ip, deferWrites: true, gate })
  if ('recoveryCode' in answer) return spendRecoveryCode(deps, { person, code: answer.recoveryCode, ip, deferWrites: true, gate })
  return verifyPasskeyAssertion(deps, {
    purpose: 'second-step',
    person,
    pendingLoginId: person.id,
    response: answer.passkeyResponse,
    ip,
  }).then((result) => (result.ok ? { ok: true as const } : result))
}
