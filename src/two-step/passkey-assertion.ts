import type { BatchResponse } from 'drizzle-orm/batch'
import { and, eq, or, sql, type SQL } from 'drizzle-orm'
import { accounts, passkeys, staff } from '../../db/schema'
import type { Deps } from '../deps'
import { challengeIsLive, consumeChallenge, consumeChallengeStatement, type ChallengePurpose } from './challenges'
import { clearFactorFailures, factorFailuresQuery, throttleRefusal, recordFactorFailure } from './failures'
import { readWithGate, type FactorResult, type ReadGate, type TwoStepPerson } from './person'
import {
  accountIdFromUserHandle,
  parseAssertionResponse,
  relyingPartyFrom,
  signCountAcceptable,
  verifyAssertion,
  WebAuthnError,
} from './webauthn'

// Signing in (or confirming a change) with a passkey: the signed answer to a challenge
// (passkey-assertion-options) checked against the stored key.

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

/** What the statements of a PasskeyClaim are; its `settle` reads their results. */
export type PasskeyUseStatements = ReturnType<typeof useStatements>

/**
 * A passkey's answer whose signature is right, still to be used up: the statements that do it
 * (for the claimant's own batch, or at the end of a login's, see finishLogin's guard) and what
 * their results mean.
 */
export interface PasskeyClaim {
  ok: true
  accountId: string
  passkeyId: string
  holder: PasskeyHolder | undefined
  /**
   * In the same batch, before `statements`: holds exactly when they will accept this answer (its
   * challenge live, the counter moving on). The challenge is random and issued for one request,
   * and the statements placed before `statements` touch neither the challenge nor the passkey, so
   * writes guarded by it happen in the one batch that accepts the answer, and in no other.
   */
  accepted: SQL
  statements: PasskeyUseStatements
  /** The answer once `statements` ran: accepted, or refused (a counter gone back counts a failure). */
  settle: (results: BatchResponse<PasskeyUseStatements>) => Promise<PasskeyAssertionResult>
}

/**
 * Uses a right answer up: the clearing of the failures and the counter's guarded UPDATE (two
 * answers racing with the same counter cannot both pass, as for the TOTP step), each only where
 * `accepted` holds, then the challenge used up, last, so both see it live only in this batch.
 */
function useStatements(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: {
    accountId: string
    passkeyId: string
    signCount: number
    accepted: SQL
    moves: SQL
    live: SQL
    binding: Parameters<typeof consumeChallengeStatement>[1]
  },
) {
  const { db } = deps
  return [
    clearFactorFailures(deps, { accountId: input.accountId, factor: 'passkey' }, input.accepted),
    db
      .update(passkeys)
      .set({ signCount: input.signCount, lastUsedAt: deps.clock.now() })
      .where(and(eq(passkeys.id, input.passkeyId), input.moves, input.live))
      .returning({ id: passkeys.id }),
    consumeChallengeStatement(deps, input.binding),
  ] as const
}

/**
 * A passkey's signed answer to a challenge issued for this purpose (and this account or
 * pending login). With `person` it must be one of that person's passkeys; without (passkey-only
 * login) the user handle must name the passkey's own account, and that account is returned.
 * A bad signature or a counter that went back counts as a failure of the account's passkeys.
 */
export async function verifyPasskeyAssertion(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: Parameters<typeof checkPasskeyAssertion>[1],
): Promise<PasskeyAssertionResult> {
  const checked = await checkPasskeyAssertion(deps, input)
  if (!checked.ok) return checked
  return checked.settle(await deps.db.batch(checked.statements))
}

/**
 * verifyPasskeyAssertion up to the statements that use the answer up, which the caller runs
 * (its own batch, or a login's guarded batch). With a `gate`, the gate's read goes with the
 * passkey's and is answered first, as it would be read on its own before (an answer that cannot
 * be read is checked against the gate alone).
 */
export async function checkPasskeyAssertion(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: {
    purpose: Exclude<ChallengePurpose, 'register'>
    person: TwoStepPerson | null
    pendingLoginId?: string | null
    browserHash?: string | null
    response: string
    ip: string
    gate?: ReadGate
  },
): Promise<PasskeyClaim | Extract<FactorResult, { ok: false }>> {
  const { db, clock } = deps
  const wrong = { ok: false, reason: 'wrong' } as const
  const response = parseAssertionResponse(input.response)
  if (!response) {
    if (!input.gate) return wrong
    const [rows] = await db.batch([input.gate.query])
    return input.gate.refuses(rows) ?? wrong
  }
  // Three reads in one call: the passkey, the failures of its account's passkeys and that account
  // (used only once the passkey is found to be the right account's), with the gate's if any.
  const ownerOf = sql`(select ${passkeys.accountId} from ${passkeys} where ${passkeys.id} = ${response.id})`
  const {
    results: [[stored], [failures], [holder]],
    refused,
  } = await readWithGate(
    db,
    [
      db.select().from(passkeys).where(eq(passkeys.id, response.id)),
      factorFailuresQuery(db, { accountId: ownerOf, factor: 'passkey' }),
      holderQuery(db, ownerOf),
    ] as const,
    input.gate,
  )
  if (refused) return refused
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
    // One moment for the challenge's expiry, as the batch's guards and its use judge it.
    at: deps.clock.now(),
  }
  if (!signCountAcceptable(stored.signCount, verified.signCount)) {
    if (!(await consumeChallenge(deps, binding))) return wrong
    return failed()
  }
  const moves = or(sql`${passkeys.signCount} < ${verified.signCount}`, and(eq(passkeys.signCount, 0), sql`${verified.signCount} = 0`))!
  const live = challengeIsLive(deps, binding)
  const accepted = and(live, sql`exists (select 1 from ${passkeys} where ${and(eq(passkeys.id, stored.id), moves)})`)!
  return {
    ok: true,
    accountId: stored.accountId,
    passkeyId: stored.id,
    holder,
    accepted,
    statements: useStatements(deps, {
      accountId: stored.accountId,
      passkeyId: stored.id,
      signCount: verified.signCount,
      accepted,
      moves,
      live,
      binding,
    }),
    settle: async ([, used, consumed]) => {
      if (consumed.length === 0) return wrong
      if (used.length === 0) return failed()
      return { ok: true, accountId: stored.accountId, passkeyId: stored.id, holder }
    },
  }
}
