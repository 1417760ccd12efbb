import { sha256 } from '@oslojs/crypto/sha2'
import { encodeHexLowerCase } from '@oslojs/encoding'
import { finishLogin } from '../auth/finish-login'
import { knownDeviceOf, type KnownDevice } from '../auth/devices'
import { loginFailuresQuery, throttleOf } from '../auth/throttle'
import type { Deps } from '../deps'
import { countLivePasskeyLoginChallenges, deleteBrowserChallenges } from './challenges'
import { checkPasskeyAssertion } from './passkey-assertion'
import { startPasskeyAssertion } from './passkey-assertion-options'

// "Log In with a Passkey" is asked for by people nobody knows yet, so each unanswered challenge
// is bound to the asking browser (a cookie secret), a browser holds one at a time, and one
// address holds a bounded number: enough for a clinic sharing an address, not a table to fill.
export const PASSKEY_LOGIN_PER_ADDRESS = 30
// With no trusted client address every request shares '', so the bound is the table's.
export const PASSKEY_LOGIN_WITHOUT_ADDRESS = 500

export const hashBrowserSecret = (secret: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(secret)))

type Options = Awaited<ReturnType<typeof startPasskeyAssertion>>

/** The options for navigator.credentials.get() with no account named, or 'busy' past the bound. */
export async function startPasskeyLogin(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { browserSecret: string; ip: string },
): Promise<{ ok: true; options: Options } | { ok: false; reason: 'busy' }> {
  const browserHash = hashBrowserSecret(input.browserSecret)
  await deleteBrowserChallenges(deps, browserHash)
  const live = await countLivePasskeyLoginChallenges(deps, input.ip)
  if (live >= (input.ip ? PASSKEY_LOGIN_PER_ADDRESS : PASSKEY_LOGIN_WITHOUT_ADDRESS)) return { ok: false, reason: 'busy' }
  return { ok: true, options: await startPasskeyAssertion(deps, { purpose: 'passkey-login', browserHash, ip: input.ip }) }
}

export type PasskeyLoginResult =
  { ok: true; token: string; role: 'staff' | 'admin'; needsName: boolean; accountId: string } | PasskeyLoginRefusal

type PasskeyLoginRefusal = { ok: false; reason: 'failed' | 'locked' } | { ok: false; reason: 'throttled'; retryAfterMs: number }

const FAILED = { ok: false, reason: 'failed' } as const

/** The same waits as the password step, read on their own: they need the address the passkey's read found. */
async function heldBack(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { email: string; accountId: string; ip: string; knownDevices?: KnownDevice[] },
): Promise<PasskeyLoginRefusal | null> {
  const deviceNonce = knownDeviceOf(input.knownDevices ?? [], input.accountId)?.nonce
  const held = throttleOf(
    await loginFailuresQuery(deps.db, { email: input.email, ip: input.ip, deviceNonce }),
    deps.clock.now(),
    deviceNonce,
  )
  if (held.allowed) return null
  return held.retryAfterMs === null ? { ok: false, reason: 'locked' } : { ok: false, reason: 'throttled', retryAfterMs: held.retryAfterMs }
}

/**
 * Logs in with a discoverable passkey alone: it is both factors (something held, unlocked by
 * the person's fingerprint, face or PIN, which the authenticator must confirm). The passkey must
 * answer this browser's challenge; the account must still be allowed in, and the same waits as
 * the password step hold it back.
 */
export async function logInWithPasskey(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: {
    browserSecret: string
    response: string
    ip: string
    userAgent: string
    previousSessionId?: string
    /** The browser's device entries: a known device of the account is not held back by the waits. */
    knownDevices?: KnownDevice[]
  },
): Promise<PasskeyLoginResult> {
  const { db } = deps
  const { ip } = input
  const claim = await checkPasskeyAssertion(deps, {
    purpose: 'passkey-login',
    person: null,
    browserHash: hashBrowserSecret(input.browserSecret),
    response: input.response,
    ip,
  })
  if (!claim.ok) return claim.reason === 'locked' ? { ok: false, reason: 'locked' } : FAILED
  // Read with the passkey, in the same call as the check.
  const account = claim.holder
  const allowed = account && !account.disabledAt && account.isActive ? account : null
  const refusal = allowed
    ? await heldBack(deps, { email: allowed.email, accountId: allowed.accountId, ip, knownDevices: input.knownDevices })
    : FAILED
  if (!allowed || refusal) {
    // Refused after the answer was found right: it is used up all the same, as it was before the
    // account and its waits were looked at, and its own refusal (replayed, counter gone back) comes first.
    const settled = await claim.settle(await db.batch(claim.statements))
    return settled.ok ? (refusal ?? FAILED) : FAILED
  }
  // One batch: the login's writes, only where this answer is accepted, then the answer used up.
  const { token, needsName, trailing } = await finishLogin(
    deps,
    { account: allowed, ip, userAgent: input.userAgent, previousSessionId: input.previousSessionId, detail: 'passkey' },
    { onlyIf: claim.accepted, trailing: () => claim.statements },
  )
  const settled = await claim.settle(trailing)
  if (!settled.ok) return FAILED
  return { ok: true, token, role: allowed.role, needsName, accountId: allowed.accountId }
}
