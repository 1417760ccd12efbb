import { encodeBase64urlNoPadding } from '@oslojs/encoding'
import { and, eq, or, sql } from 'drizzle-orm'
import { passkeys } from '../../db/schema'
import type { Deps } from '../deps'
import { consumeChallenge, issueChallenge, CHALLENGE_TTL_MS, type ChallengePurpose } from './challenges'
import { checkFactorThrottle, clearFactorFailures, recordFactorFailure } from './failures'
import { listPasskeys } from './passkeys'
import type { FactorResult, TwoStepPerson } from './person'
import {
  accountIdFromUserHandle,
  parseAssertionResponse,
  relyingPartyFrom,
  signCountAcceptable,
  verifyAssertion,
  WebAuthnError,
} from './webauthn'

// Signing in (or confirming a change) with a passkey: the options for
// navigator.credentials.get(), then the signed answer checked against the stored key.

/**
 * What navigator.credentials.get() needs. With a known account (second step, confirming a
 * change) only its passkeys are allowed; a passkey-only login lists none, so the browser
 * offers the discoverable ones.
 */
export async function startPasskeyAssertion(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: {
    purpose: Exclude<ChallengePurpose, 'register'>
    person?: TwoStepPerson | null
    pendingLoginId?: string | null
    browserHash?: string | null
    ip?: string
  },
) {
  const allowed = input.person ? await listPasskeys(deps, input.person.accountId) : []
  const challenge = await issueChallenge(deps, {
    purpose: input.purpose,
    accountId: input.purpose === 'confirm' ? input.person?.accountId : null,
    pendingLoginId: input.pendingLoginId ?? null,
    practiceId: input.person?.practiceId ?? null,
    browserHash: input.browserHash ?? null,
    ip: input.ip,
  })
  return {
    challenge: encodeBase64urlNoPadding(challenge),
    rpId: relyingPartyFrom(deps.config).id,
    timeout: CHALLENGE_TTL_MS,
    userVerification: 'required' as const,
    allowCredentials: allowed.map((p) => ({ type: 'public-key' as const, id: p.id })),
  }
}

export type PasskeyAssertionResult = { ok: true; accountId: string; passkeyId: string } | Extract<FactorResult, { ok: false }>

/**
 * A passkey's signed answer to a challenge issued for this purpose (and this account or
 * pending login). With `person` it must be one of that person's passkeys; without (passkey-only
 * login) the user handle must name the passkey's own account, and that account is returned.
 * A bad signature or a counter that went back counts as a failure of the account's passkeys.
 */
export async function verifyPasskeyAssertion(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: {
    purpose: Exclude<ChallengePurpose, 'register'>
    person: TwoStepPerson | null
    pendingLoginId?: string | null
    browserHash?: string | null
    response: string
    ip: string
  },
): Promise<PasskeyAssertionResult> {
  const { db, clock } = deps
  const wrong = { ok: false, reason: 'wrong' } as const
  const response = parseAssertionResponse(input.response)
  if (!response) return wrong
  const [stored] = await db.select().from(passkeys).where(eq(passkeys.id, response.id))
  if (!stored) return wrong
  if (input.person && stored.accountId !== input.person.accountId) return wrong
  if (!input.person) {
    const handle = response.response.userHandle
    if (!handle || accountIdFromUserHandle(handle) !== stored.accountId) return wrong
  }
  const throttle = await checkFactorThrottle(deps, { accountId: stored.accountId, factor: 'passkey' })
  if (!throttle.allowed)
    return throttle.retryAfterMs === null
      ? { ok: false, reason: 'locked' }
      : { ok: false, reason: 'throttled', retryAfterMs: throttle.retryAfterMs }
  const failed = async () => {
    await recordFactorFailure(deps, {
      accountId: stored.accountId,
      practiceId: stored.practiceId,
      staffId: input.person?.staffId,
      factor: 'passkey',
      ip: input.ip,
    })
    return wrong
  }
  let verified
  try {
    verified = verifyAssertion(relyingPartyFrom(deps.config), response, stored)
  } catch (error) {
    if (error instanceof WebAuthnError) return failed()
    throw error
  }
  const bound = await consumeChallenge(deps, {
    purpose: input.purpose,
    accountId: input.purpose === 'confirm' ? stored.accountId : null,
    pendingLoginId: input.pendingLoginId ?? null,
    browserHash: input.browserHash ?? null,
    challenge: verified.challenge,
  })
  if (!bound) return wrong
  if (!signCountAcceptable(stored.signCount, verified.signCount)) return failed()
  // Guarded like the TOTP step: two answers racing with the same counter cannot both pass.
  const [used] = await db
    .update(passkeys)
    .set({ signCount: verified.signCount, lastUsedAt: clock.now() })
    .where(
      and(
        eq(passkeys.id, stored.id),
        or(sql`${passkeys.signCount} < ${verified.signCount}`, and(eq(passkeys.signCount, 0), sql`${verified.signCount} = 0`)),
      ),
    )
    .returning({ id: passkeys.id })
  if (!used) return failed()
  await clearFactorFailures(deps, { accountId: stored.accountId, factor: 'passkey' })
  return { ok: true, accountId: stored.accountId, passkeyId: stored.id }
}
