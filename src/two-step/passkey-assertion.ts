import { encodeBase64urlNoPadding } from '@oslojs/encoding'
import { and, eq, or, sql, type SQL } from 'drizzle-orm'
import { accounts, passkeys, staff } from '../../db/schema'
import type { Deps } from '../deps'
import {
  challengeIsLive,
  consumeChallenge,
  consumeChallengeStatement,
  issueChallenge,
  CHALLENGE_TTL_MS,
  type ChallengePurpose,
} from './challenges'
import { clearFactorFailures, factorFailuresQuery, throttleRefusal, recordFactorFailure } from './failures'
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

/** The passkey's account as a login needs it, read with the passkey (Log In with a Passkey uses it). */
function holderQuery(db: Deps['db'], accountId: SQL) {
  return db
    .select({
      accountId: accounts.id,
      practiceId: accounts.practiceId,
      staffId: accounts.staffId,
      email: accounts.email,
      role: staff.role,
      firstName: staff.firstName,
      lastName: staff.lastName,
      disabledAt: accounts.disabledAt,
      isActive: staff.isActive,
    })
    .from(accounts)
    .innerJoin(staff, eq(staff.id, accounts.staffId))
    .where(eq(accounts.id, accountId))
}

export type PasskeyHolder = Awaited<ReturnType<typeof holderQuery>>[number]

export type PasskeyAssertionResult =
  { ok: true; accountId: string; passkeyId: string; holder: PasskeyHolder | undefined } | Extract<FactorResult, { ok: false }>

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
  // Three reads in one call: the passkey, the failures of its account's passkeys and that account
  // (used only once the passkey is found to be the right account's).
  const ownerOf = sql`(select ${passkeys.accountId} from ${passkeys} where ${passkeys.id} = ${response.id})`
  const [[stored], [failures], [holder]] = await db.batch([
    db.select().from(passkeys).where(eq(passkeys.id, response.id)),
    factorFailuresQuery(db, { accountId: ownerOf, factor: 'passkey' }),
    holderQuery(db, ownerOf),
  ])
  if (!stored) return wrong
  if (input.person && stored.accountId !== input.person.accountId) return wrong
  if (!input.person) {
    const handle = response.response.userHandle
    if (!handle || accountIdFromUserHandle(handle) !== stored.accountId) return wrong
  }
  const throttled = throttleRefusal(failures, clock.now())
  if (throttled) return throttled
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
  const binding = {
    purpose: input.purpose,
    accountId: input.purpose === 'confirm' ? stored.accountId : null,
    pendingLoginId: input.pendingLoginId ?? null,
    browserHash: input.browserHash ?? null,
    challenge: verified.challenge,
  }
  if (!signCountAcceptable(stored.signCount, verified.signCount)) {
    if (!(await consumeChallenge(deps, binding))) return wrong
    return failed()
  }
  // One batch: the counter's guarded UPDATE (two answers racing with the same counter cannot both
  // pass, as for the TOTP step) and the clearing of the failures, each only while this answer's
  // challenge is live, then the challenge used up. The challenge was issued for this one request,
  // so they act only in the batch that uses it up; the clearing also only once the counter moved.
  const now = clock.now()
  const live = challengeIsLive(deps, binding)
  const [used, , consumed] = await db.batch([
    db
      .update(passkeys)
      .set({ signCount: verified.signCount, lastUsedAt: now })
      .where(
        and(
          eq(passkeys.id, stored.id),
          or(sql`${passkeys.signCount} < ${verified.signCount}`, and(eq(passkeys.signCount, 0), sql`${verified.signCount} = 0`)),
          live,
        ),
      )
      .returning({ id: passkeys.id }),
    clearFactorFailures(
      deps,
      { accountId: stored.accountId, factor: 'passkey' },
      and(
        live,
        sql`exists (select 1 from ${passkeys} where ${and(eq(passkeys.id, stored.id), eq(passkeys.signCount, verified.signCount), eq(passkeys.lastUsedAt, now))})`,
      ),
    ),
    consumeChallengeStatement(deps, binding),
  ])
  if (consumed.length === 0) return wrong
  if (used.length === 0) return failed()
  return { ok: true, accountId: stored.accountId, passkeyId: stored.id, holder }
}
