import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import { and, eq, lt, sql, type SQL } from 'drizzle-orm'
import { totpFactors } from '../../db/schema'
import type { Deps } from '../deps'
import {
  clearFactorFailures,
  countFailureWhere,
  factorFailuresQuery,
  mayTryFactor,
  settleFailure,
  throttleRefusal,
  tryFactor,
  type FailureInput,
} from './failures'
import { readWithGate, type AnswerClaim, type FactorRefusal, type FactorResult, type ReadGate, type TwoStepPerson } from './person'
import { matchTotpStep, normalizeTotpCode } from './totp'

/**
 * The second step with the app: the code must match a step within one of now, later than the
 * last step accepted. The step is recorded in the same UPDATE that checks it, so the same code
 * sent twice at once is accepted once. Wrong and replayed codes count as failures.
 */
export async function verifyTotpStep(
  deps: Pick<Deps, 'db' | 'clock'>,
  /** claimInBatch (with deferWrites): the step's UPDATE is returned as a claim for the change's batch, not run here. */
  input: { person: TwoStepPerson; code: string; ip: string; deferWrites?: boolean; claimInBatch?: boolean; gate?: ReadGate },
): Promise<FactorResult> {
  const { person } = input
  const matched = await matchCodeStep(deps, input)
  if (!matched.ok) return matched
  if (input.deferWrites && input.claimInBatch) {
    // The step used up in the change's own batch (FactorClaim), as checkTotpStep's claim is in a
    // login's: only while it is later than the last accepted and the throttle lets the factor be
    // tried as its failures stand, so of two requests with the same code one writes, and none past the limit.
    const mayTry = mayTryFactor({ accountId: person.accountId, factor: 'totp' }, deps.clock.now())
    const guard = sql`exists (select 1 from ${totpFactors} where ${and(stepIsLater(person.accountId, matched), mayTry)})`
    const clear = clearFactorFailures(deps, { accountId: person.accountId, factor: 'totp' }, guard)
    const statement = spendStepStatement(deps, person.accountId, matched, mayTry)
    return { ok: true, followUp: [clear], claim: { guard, statement, refused: () => countWrongCode(deps, input) } }
  }
  // Counted with its check, so parallel guesses get no more checks than the throttle allows.
  const tried = await tryFactor(deps, { ...person, factor: 'totp', ip: input.ip }, (mayTry) =>
    spendStepStatement(deps, person.accountId, matched, mayTry),
  )
  if (!tried.ok) return tried
  const clear = clearFactorFailures(deps, { accountId: person.accountId, factor: 'totp' })
  if (input.deferWrites) return { ok: true, followUp: [clear] }
  await clear
  return { ok: true }
}

/** What the statements of a TotpClaim are; its `settle` reads their results. */
export type TotpClaimStatements = ReturnType<typeof claimStatements>

/**
 * An app code still to be checked against its step and spent (AnswerClaim): `accepted` is that it
 * matched a step later than the last accepted, for the secret it was checked against, and the
 * factor is not held back. Statements placed before it must not touch the app's row or its
 * failures; a replay (this pending login's or another's) finds the step spent and writes nothing.
 */
export type TotpClaim = AnswerClaim<TotpClaimStatements>

/**
 * verifyTotpStep up to the batch that counts or spends the code, which the caller runs at the end
 * of its own (a login's, guarded by `accepted`): the check, the count or the spending, and what
 * follows are one call. A code that matched no step goes the same way, under a guard that cannot
 * hold: every try past the first read makes the same calls, so neither the answer nor its time
 * tells a right code that the throttle held back from a wrong one.
 */
export async function checkTotpStep(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { person: TwoStepPerson; code: string; ip: string; gate?: ReadGate },
): Promise<TotpClaim | FactorRefusal> {
  const matched = await matchCodeStep(deps, input)
  if (!matched.ok) return matched
  const tried: FailureInput = { ...input.person, factor: 'totp', ip: input.ip }
  const now = deps.clock.now()
  // Only while the throttle lets the factor be tried, as the failures stand in this batch: a
  // right code sent in a burst of parallel guesses past the limit is refused like the rest.
  const mayTry = mayTryFactor(tried, now)
  const accepted = sql`exists (select 1 from ${totpFactors} where ${and(stepIsLater(input.person.accountId, matched), mayTry)})`
  return {
    ok: true,
    accepted,
    statements: claimStatements(deps, tried, matched, { accepted, mayTry, now }),
    settle: async ([[counted], , spent, [standing]]) => (spent.length > 0 ? { ok: true } : settleFailure(deps, tried, counted, standing)),
  }
}

/**
 * The try counted where the code is not accepted (wrong, replayed; not past the limit), the
 * failures cleared and the step spent where it is, then the failures as they stand (for a
 * refusal's wait).
 */
function claimStatements(
  deps: Pick<Deps, 'db' | 'clock'>,
  tried: FailureInput,
  matched: CodeMatch,
  guard: { accepted: SQL; mayTry: SQL; now: Date },
) {
  return [
    countFailureWhere(deps.db, guard.now, tried, sql`not ${guard.accepted}`),
    clearFactorFailures(deps, tried, guard.accepted),
    spendStepStatement(deps, tried.accountId, matched, guard.mayTry),
    factorFailuresQuery(deps.db, tried),
  ] as const
}

/** A code checked against the app's secret: the step it matched (null: none) and that secret. */
interface CodeMatch {
  ok: true
  step: number | null
  secret: string
}

/**
 * The app on with the secret the code was checked against (not one set up again since), its
 * last accepted step earlier than the code's; never, for a code that matched no step (a step
 * before any: the same statement, so a wrong code's call reads like a right one's).
 */
const stepIsLater = (accountId: string, matched: CodeMatch) =>
  and(
    eq(totpFactors.accountId, accountId),
    eq(totpFactors.status, 'enabled'),
    eq(totpFactors.secret, matched.secret),
    lt(totpFactors.lastStep, matched.step ?? NO_STEP),
  )!

// No step is below it: the last accepted step starts at 0.
const NO_STEP = -1

/** Records the code's step as the last accepted, only while it is later than the last: a step is spent once. */
function spendStepStatement(deps: Pick<Deps, 'db'>, accountId: string, matched: CodeMatch, mayTry?: SQL) {
  return deps.db
    .update(totpFactors)
    .set({ lastStep: matched.step ?? NO_STEP })
    .where(and(stepIsLater(accountId, matched), mayTry))
    .returning({ accountId: totpFactors.accountId })
}

/** A try that failed, counted only while the throttle allows one: past it, the answer is "throttled", not "wrong". */
async function countWrongCode(deps: Pick<Deps, 'db' | 'clock'>, input: { person: TwoStepPerson; ip: string }): Promise<FactorRefusal> {
  const tried = await tryFactor(deps, { ...input.person, factor: 'totp', ip: input.ip }, null)
  return tried.ok ? { ok: false, reason: 'wrong' } : tried
}

/**
 * The reads before a code is tried (the factor's failures, the app itself, and the caller's gate
 * if any, in one call) and the step the code matches, if any: a try already held back is refused
 * here; a code that matches no step goes on like a right one, to be counted where it is tried.
 */
async function matchCodeStep(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { person: TwoStepPerson; code: string; ip: string; gate?: ReadGate },
): Promise<FactorRefusal | CodeMatch> {
  const { db, clock } = deps
  const { person } = input
  const {
    results: [[failures], [row]],
    refused,
  } = await readWithGate(
    db,
    [
      factorFailuresQuery(db, { accountId: person.accountId, factor: 'totp' }),
      db
        .select()
        .from(totpFactors)
        .where(and(eq(totpFactors.accountId, person.accountId), eq(totpFactors.status, 'enabled'))),
    ] as const,
    input.gate,
  )
  if (refused) return refused
  const throttled = throttleRefusal(failures, clock.now())
  if (throttled) return throttled
  if (!row) return { ok: false, reason: 'unavailable' }
  const step = matchTotpStep(decodeBase32IgnorePadding(row.secret), normalizeTotpCode(input.code), clock.now())
  return { ok: true, step, secret: row.secret }
}
