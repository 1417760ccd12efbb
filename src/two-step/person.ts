import type { BatchItem, BatchResponse } from 'drizzle-orm/batch'
import type { SQL } from 'drizzle-orm'
import type { AuditEntry, AuditEntryFrom, AuditEvent } from '../audit/audit'
import type { Database } from '../db'

/** Whose factors a use case works on: ids only, the route fills them from the session or the pending login. */
export interface TwoStepPerson {
  accountId: string
  practiceId: string
  staffId: string
}

/** The audit entry of something a person did to their own two-step sign-in. */
export const ownAuditEntry = (person: TwoStepPerson, ip: string, event: AuditEvent, detail?: string): AuditEntry => ({
  practiceId: person.practiceId,
  actorAccountId: person.accountId,
  targetStaffId: person.staffId,
  event,
  ip,
  ...(detail === undefined ? {} : { detail }),
})

/** The same, for insertAuditWhere (a change that may not take); the detail may be read in the batch. */
export const ownAuditFrom = (person: TwoStepPerson, ip: string, event: AuditEvent, detail: string | SQL): AuditEntryFrom => ({
  practiceId: person.practiceId,
  actorAccountId: person.accountId,
  targetStaffId: person.staffId,
  event,
  ip,
  detail,
})

/**
 * The answer of every second-factor check. The words for people are the route's to choose.
 * `Code` is what a recovery code left unchecked for the change's batch carries (RecoveryCodeTry,
 * given by the one check that leaves one: confirmWithFactor), so this module needs no import of it.
 */
export type FactorResult<Code = never> =
  // followUp: with deferWrites, the writes a right answer still owes (clearing its failures, an
  // audit row), for the caller's next batch; they depend on nothing but this answer being right.
  // notify: when followUp carries a notice's outbox row (noticeInFollowUp), its sending: call it
  // after the batch that ran followUp.
  // claim: with claimInBatch, the answer is right but not yet used up: see FactorClaim.
  // code: with codeInBatch, a recovery code not yet checked: the change's batch checks, counts and spends it (RecoveryCodeTry).
  | { ok: true; followUp?: BatchItem<'sqlite'>[]; notify?: () => Promise<void>; claim?: FactorClaim; code?: Code }
  | {
      ok: false
      // wrong: a wrong, replayed or expired answer · throttled: wait retryAfterMs · locked: until an
      // admin resets it · unavailable: the person has no such factor turned on
      reason: 'wrong' | 'throttled' | 'locked' | 'unavailable'
      retryAfterMs?: number
    }

export type FactorRefusal = Extract<FactorResult, { ok: false }>

/**
 * A right answer not yet used up, for the change's own batch: the change's writes carry `guard`
 * and go before `statement`, the guarded write that uses the answer up (last among them), so in
 * the one transaction they are written iff it does. When it returns no row (the same answer was
 * used by another request in between), `refused` counts the failure and says what to answer.
 * The followUp that comes with it already carries the guard.
 */
export interface FactorClaim {
  guard: SQL
  statement: BatchItem<'sqlite'>
  refused: () => Promise<FactorRefusal>
}

/**
 * An answer checked up to the statements that use it up or count it, for the end of the caller's
 * own batch (a login's, a change's): `accepted` holds in that batch, before `statements`, exactly
 * when they will accept it, so the caller's writes carry it and happen in the one batch that uses
 * the answer up; `settle` reads what `statements` returned.
 */
export interface AnswerClaim<S extends readonly BatchItem<'sqlite'>[]> {
  ok: true
  accepted: SQL
  statements: S
  settle: (results: BatchResponse<S>) => Promise<{ ok: true } | FactorRefusal>
}

/**
 * A read the caller must have answered before the factor is tried (the login's waits, at the
 * second step), carried in the factor's own first read: one call for both.
 */
export interface ReadGate {
  query: BatchItem<'sqlite'>
  /** The refusal its rows mean, or null to go on. */
  refuses: (rows: unknown) => FactorRefusal | null
}

/** The factor's reads and the gate's in one batch (reads only); the gate is answered first. */
export async function readWithGate<T extends readonly [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]>(
  db: Database,
  reads: T,
  gate: ReadGate | undefined,
): Promise<{ results: BatchResponse<T>; refused: FactorRefusal | null }> {
  const all = (await db.batch([...reads, ...(gate ? [gate.query] : [])] as unknown as T)) as unknown[]
  return { results: all.slice(0, reads.length) as BatchResponse<T>, refused: gate ? gate.refuses(all[reads.length]) : null }
}
