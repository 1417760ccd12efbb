/** Whose factors a use case works on: ids only, the route fills them from the session or the pending login. */
export interface TwoStepPerson {
  accountId: string
  practiceId: string
  staffId: string
}

/** The answer of every second-factor check. The words for people are the route's to choose. */
export type FactorResult =
  | { ok: true }
  | {
      ok: false
      // wrong: a wrong, replayed or expired answer · throttled: wait retryAfterMs · locked: until an
      // admin resets it · unavailable: the person has no such factor turned on
      reason: 'wrong' | 'throttled' | 'locked' | 'unavailable'
      retryAfterMs?: number
    }
