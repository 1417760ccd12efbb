import type { BatchItem } from 'drizzle-orm/batch'

/** Whose factors a use case works on: ids only, the route fills them from the session or the pending login. */
export interface TwoStepPerson {
  accountId: string
  practiceId: string
  staffId: string
}

/** The answer of every second-factor check. The words for people are the route's to choose. */
export type FactorResult =
  // followUp: with deferWrites, the writes a right answer still owes (clearing its failures, an
  // audit row), for the caller's next batch; they depend on nothing but this answer being right.
  | { ok: true; followUp?: BatchItem<'sqlite'>[] }
  | {
      ok: false
      // wrong: a wrong, replayed or expired answer · throttled: wait retryAfterMs · locked: until an
      // admin resets it · unavailable: the person has no such factor turned on
      reason: 'wrong' | 'throttled' | 'locked' | 'unavailable'
      retryAfterMs?: number
    }
