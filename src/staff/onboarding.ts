import { and, count, eq, sql } from 'drizzle-orm'
import { staff } from '../../db/schema'
import type { Deps } from '../deps'
import { statusParts } from './staff-filter'

/** Where the practice stands: the count of each onboarding status, from one query. */
export type OnboardingCounts = Record<
  'signed-up' | 'signup-initiated' | 'yet-to-sign-up' | 'invitation-expired' | 'email-not-delivered',
  number
>

export function onboardingQuery(db: Deps['db'], practiceId: string, now: Date) {
  const { hasAccount, hasLive, hasExpired, undelivered } = statusParts(now)
  // Each active profile's one onboarding kind, its conditions tested in order and each at most
  // once: the five sums of the statuses' own conditions ran about ten correlated subqueries per
  // row, 38 ms of CPU at 10,000 staff; this is about half (docs/benchmarks.md). The counts are
  // the same: `undelivered` needs a live invitation, so it lies inside "signup initiated".
  const kind = sql<number>`case when ${hasAccount} then ${KIND.signedUp}
    when ${hasLive} then (case when ${undelivered} then ${KIND.undelivered} else ${KIND.initiated} end)
    when ${hasExpired} then ${KIND.expired} else ${KIND.yetToSignUp} end`
  // Inactive profiles are not part of onboarding.
  return db
    .select({ kind: kind.as('kind'), people: count() })
    .from(staff)
    .where(and(eq(staff.practiceId, practiceId), eq(staff.isActive, true)))
    .groupBy(sql`kind`)
}

const KIND = { yetToSignUp: 0, signedUp: 1, initiated: 2, undelivered: 3, expired: 4 } as const

export const onboardingOf = (rows: { kind: number; people: number }[]): OnboardingCounts => {
  const n = (kind: number) => Number(rows.find((row) => Number(row.kind) === kind)?.people ?? 0)
  return {
    'signed-up': n(KIND.signedUp),
    'signup-initiated': n(KIND.initiated) + n(KIND.undelivered),
    'yet-to-sign-up': n(KIND.yetToSignUp) + n(KIND.expired),
    'invitation-expired': n(KIND.expired),
    'email-not-delivered': n(KIND.undelivered),
  }
}
