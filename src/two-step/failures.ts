import { and, eq, sql, type SQL } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import { twoStepFailures } from '../../db/schema'
import { insertAudit } from '../audit/audit'
import type { Deps } from '../deps'
import { insertRowsWhere } from './insert-where'
import type { FactorRefusal } from './person'

export type Factor = 'totp' | 'passkey' | 'recovery-code'

// As for passwords (src/auth/throttle.ts): a few free tries, then waits that double, then a
// lock at 100 in a row (NIST SP 800-63B-4) that only an admin's Reset Two-Step Sign-In lifts.
// Counted per account and factor, so a stranger guessing codes cannot block the person's passkey.
export const FACTOR_FREE_FAILURES = 5
export const FACTOR_LOCK_FAILURES = 100
export const FACTOR_MAX_DELAY_MS = 15 * 60 * 1000

const delayAfter = (failures: number) =>
  failures < FACTOR_FREE_FAILURES ? 0 : Math.min(FACTOR_MAX_DELAY_MS, 1000 * 2 ** (failures - FACTOR_FREE_FAILURES))

export type FactorThrottle = { allowed: true } | { allowed: false; retryAfterMs: number | null }

/** Whether this factor may be tried now; a null retryAfterMs means locked until an admin resets it. */
export async function checkFactorThrottle(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { accountId: string; factor: Factor },
): Promise<FactorThrottle> {
  const [row] = await factorFailuresQuery(deps.db, input)
  return factorThrottleOf(row, deps.clock.now())
}

/** The failures counted against one factor: a query for the caller's batch, read by factorThrottleOf. */
export function factorFailuresQuery(db: Deps['db'], input: { accountId: string | SQL; factor: Factor }) {
  return db
    .select({ failures: twoStepFailures.failures, lastFailedAt: twoStepFailures.lastFailedAt })
    .from(twoStepFailures)
    .where(and(eq(twoStepFailures.accountId, input.accountId), eq(twoStepFailures.factor, input.factor)))
}

/** What factorFailuresQuery's row means for a try at `now`. */
export function factorThrottleOf(row: { failures: number; lastFailedAt: Date } | undefined, now: Date): FactorThrottle {
  if (!row) return { allowed: true }
  if (row.failures >= FACTOR_LOCK_FAILURES) return { allowed: false, retryAfterMs: null }
  const wait = delayAfter(row.failures) - (now.getTime() - row.lastFailedAt.getTime())
  return wait > 0 ? { allowed: false, retryAfterMs: wait } : { allowed: true }
}

/** The refusal factorFailuresQuery's row means for a try at `now`, or null when the factor may be tried. */
export function throttleRefusal(row: { failures: number; lastFailedAt: Date } | undefined, now: Date): FactorRefusal | null {
  const throttle = factorThrottleOf(row, now)
  if (throttle.allowed) return null
  return throttle.retryAfterMs === null
    ? { ok: false, reason: 'locked' }
    : { ok: false, reason: 'throttled', retryAfterMs: throttle.retryAfterMs }
}

export type FailureInput = { accountId: string; practiceId: string; staffId?: string; factor: Factor; ip: string }

/** Whether a failures row holds its factor back at `now`: factorThrottleOf's rule, in SQL. */
const heldBack = (now: Date) => {
  const { failures, lastFailedAt } = twoStepFailures
  // The shift is capped so it cannot overflow: 1000 << 20 is already past FACTOR_MAX_DELAY_MS.
  const delay = sql`min(${FACTOR_MAX_DELAY_MS}, 1000 << min(${failures} - ${FACTOR_FREE_FAILURES}, 20))`
  return sql`(${failures} >= ${FACTOR_LOCK_FAILURES} or (${failures} >= ${FACTOR_FREE_FAILURES} and ${lastFailedAt} + ${delay} > ${now.getTime()}))`
}

/** One more failure counted; with `onlyIf`, only where that holds of the row as it was. */
function countFailure(db: Deps['db'], now: Date, input: FailureInput, onlyIf?: SQL) {
  return db
    .insert(twoStepFailures)
    .values({ accountId: input.accountId, practiceId: input.practiceId, factor: input.factor, failures: 1, lastFailedAt: now })
    .onConflictDoUpdate({
      target: [twoStepFailures.accountId, twoStepFailures.factor],
      set: { failures: sql`min(${twoStepFailures.failures} + 1, ${FACTOR_LOCK_FAILURES})`, lastFailedAt: now },
      setWhere: onlyIf,
    })
    .returning({ failures: twoStepFailures.failures })
}

/**
 * Reaching the first wait and reaching the lock are audited as failure bursts: an admin sees
 * someone is guessing, without one row per guess.
 */
async function auditBurst(deps: Pick<Deps, 'db' | 'clock'>, input: FailureInput, failures: number) {
  if (failures !== FACTOR_FREE_FAILURES && failures !== FACTOR_LOCK_FAILURES) return
  await insertAudit(deps.db, deps.clock.now(), {
    practiceId: input.practiceId,
    targetStaffId: input.staffId ?? null,
    event: 'two_step.failures',
    ip: input.ip,
    detail: `${failures} wrong ${factorWords[input.factor]} in a row${failures === FACTOR_LOCK_FAILURES ? ': locked until an admin resets two-step sign-in' : ''}`,
  })
}

/**
 * One failure for the caller's batch, counted only where `wrong` holds (the answer found wrong by
 * a read in the same transaction: no row is written for a right one) and the factor is not held
 * back as its failures stand: a try past the limit is neither checked nor counted. Returns the
 * count when counted, no row when not; read it with settleFailure.
 */
export function countFailureWhere(db: Deps['db'], now: Date, input: FailureInput, wrong: SQL) {
  return insertRowsWhere(
    db,
    twoStepFailures,
    [{ accountId: input.accountId, practiceId: input.practiceId, factor: input.factor, failures: 1, lastFailedAt: now }],
    wrong,
  )
    .onConflictDoUpdate({
      target: [twoStepFailures.accountId, twoStepFailures.factor],
      set: { failures: sql`min(${twoStepFailures.failures} + 1, ${FACTOR_LOCK_FAILURES})`, lastFailedAt: now },
      setWhere: sql`not ${heldBack(now)}`,
    })
    .returning({ failures: twoStepFailures.failures })
}

/**
 * What a try that was not right means, from its count (no row when it was past the limit) and
 * the factor's failures read after it in the same batch: 'wrong' (with a burst audited), or the
 * refusal the throttle gives.
 */
export async function settleFailure(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: FailureInput,
  counted: { failures: number } | undefined,
  standing: { failures: number; lastFailedAt: Date } | undefined,
): Promise<FactorRefusal> {
  if (!counted) return throttleRefusal(standing, deps.clock.now()) ?? { ok: false, reason: 'throttled', retryAfterMs: 1000 }
  await auditBurst(deps, input, counted.failures)
  return { ok: false, reason: 'wrong' }
}

/** Counts one wrong answer, atomically, and audits a burst. */
export async function recordFactorFailure(deps: Pick<Deps, 'db' | 'clock'>, input: FailureInput): Promise<number> {
  const [row] = await countFailure(deps.db, deps.clock.now(), input)
  const failures = row?.failures ?? 1
  await auditBurst(deps, input, failures)
  return failures
}

/** The factor is not held back at `now` by its failures as they stand: for a guarded write's WHERE. */
export function mayTryFactor(input: { accountId: string; factor: Factor }, now: Date): SQL {
  const ofFactor = and(eq(twoStepFailures.accountId, input.accountId), eq(twoStepFailures.factor, input.factor))
  return sql`not exists (select 1 from ${twoStepFailures} where ${and(ofFactor, heldBack(now))})`
}

/**
 * A factor's check: its guarded write (the step recorded, the code spent) with `mayTry` in its
 * WHERE, returning a row when the answer was right.
 */
export type FactorCheck = (mayTry: SQL) => BatchItem<'sqlite'>

/**
 * One try of a guessable factor (a code), counted before its answer counts. A read of the
 * failures, then a count in a later write, lets a burst of parallel guesses all pass the one
 * read; here the check and the count are one transaction, each guarded by the throttle as the
 * failures stand, so tries past the limit are neither checked nor counted: they are refused as
 * throttled, a right answer among them too. A right answer is counted as well (its caller
 * clears the failures, as before); a wrong one is a failure. `check` is null for an answer that
 * cannot be right (not a code at all): it is still a try.
 */
export async function tryFactor<A = never>(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: FailureInput,
  check: FactorCheck | null,
  /** A read to make in the same transaction, right after the check (what is left once it took). */
  after?: BatchItem<'sqlite'> & PromiseLike<A>,
): Promise<{ ok: true; after: A } | FactorRefusal> {
  const { db, clock } = deps
  const now = clock.now()
  const mayTry = mayTryFactor(input, now)
  const statements: BatchItem<'sqlite'>[] = [
    // The check first: the count below must not hold back the try it counts.
    ...(check ? [check(mayTry)] : []),
    ...(after ? [after] : []),
    countFailure(db, now, input, sql`not ${heldBack(now)}`),
    factorFailuresQuery(db, input),
  ]
  const results = (await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]])) as unknown[][]
  const passed = check ? results.shift()! : []
  const read = (after ? results.shift() : undefined) as A
  const [[counted], [standing]] = results as [{ failures: number }[], { failures: number; lastFailedAt: Date }[]]
  if (counted && passed.length > 0) return { ok: true, after: read }
  return settleFailure(deps, input, counted, standing)
}

const factorWords: Record<Factor, string> = {
  totp: 'authentication codes',
  passkey: 'passkey answers',
  'recovery-code': 'recovery codes',
}

/** Clears one factor's failures; with `onlyIf`, only where that condition holds (for a batch whose change may not take). */
export function clearFactorFailures(deps: Pick<Deps, 'db'>, input: { accountId: string; factor: Factor }, onlyIf?: SQL) {
  return deps.db
    .delete(twoStepFailures)
    .where(and(eq(twoStepFailures.accountId, input.accountId), eq(twoStepFailures.factor, input.factor), onlyIf))
}

/** For Reset Two-Step Sign-In: every factor starts again from nothing. */
export function clearAllFactorFailures(deps: Pick<Deps, 'db'>, accountId: string | SQL) {
  return deps.db.delete(twoStepFailures).where(eq(twoStepFailures.accountId, accountId))
}

/** The factors locked by 100 failures in a row. */
export async function listLockedFactors(deps: Pick<Deps, 'db'>, accountId: string): Promise<Factor[]> {
  const rows = await deps.db
    .select({ factor: twoStepFailures.factor, failures: twoStepFailures.failures })
    .from(twoStepFailures)
    .where(eq(twoStepFailures.accountId, accountId))
  return rows.filter((r) => r.failures >= FACTOR_LOCK_FAILURES).map((r) => r.factor)
}
