import { and, eq, sql, type SQL } from 'drizzle-orm'
import { accounts, emailOutbox, invitations, staff } from '../../db/schema'
import { isLiveLink } from '../auth/link-state'
import type { Deps } from '../deps'
import type { StatusFilter } from '../text/status-filters'
import { matchesSearch } from './staff-search'

/** What the statuses are made of, as conditions on a staff row (correlated on staff.id). */
export function statusParts(now: Date) {
  const hasAccount = sql`exists (select 1 from ${accounts} where ${accounts.staffId} = ${staff.id})`
  const live = and(eq(invitations.staffId, staff.id), isLiveLink(invitations, now))
  const hasLive = sql`exists (select 1 from ${invitations} where ${live})`
  // Ended by time alone: a revoked or replaced link is not "expired".
  const hasExpired = sql`exists (select 1 from ${invitations} where ${invitations.staffId} = ${staff.id}
    and ${invitations.usedAt} is null and ${invitations.revokedAt} is null and ${invitations.replacedAt} is null
    and ${invitations.expiresAt} <= ${now.getTime()})`
  const undelivered = sql`exists (select 1 from ${invitations} join ${emailOutbox} on ${emailOutbox.refId} = ${invitations.id}
    where ${live} and ${emailOutbox.status} = 'failed')`
  return { hasAccount, hasLive, hasExpired, undelivered }
}

/** Each Status filter as a condition on a staff row (correlated on staff.id). */
function statusConditions(now: Date): Record<StatusFilter, SQL> {
  const { hasAccount, hasLive, hasExpired, undelivered } = statusParts(now)
  return {
    'signed-up': hasAccount,
    'signup-initiated': sql`(not ${hasAccount} and ${hasLive})`,
    'yet-to-sign-up': sql`(not ${hasAccount} and not ${hasLive})`,
    'invitation-expired': sql`(not ${hasAccount} and not ${hasLive} and ${hasExpired})`,
    'email-not-delivered': sql`(not ${hasAccount} and ${undelivered})`,
    'access-disabled': sql`exists (select 1 from ${accounts} where ${accounts.staffId} = ${staff.id} and ${accounts.disabledAt} is not null)`,
    inactive: eq(staff.isActive, false),
  }
}

/** The practice's staff that Search and the Status filter select: the list, the selection and the export share it. */
export function staffFilter(practiceId: string, query: { q: string; status: StatusFilter | '' }, now: Date): SQL {
  const search = query.q === '' ? eq(staff.practiceId, practiceId) : matchesSearch(practiceId, query.q)
  return query.status === '' ? search : and(search, statusConditions(now)[query.status])!
}

/** "Select all N matching": the ids of everyone the filter selects, up to `limit` (null: more than that). */
export async function matchingStaffIds(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { practiceId: string; q: string; status: StatusFilter | ''; limit: number },
): Promise<string[] | null> {
  const rows = await deps.db
    .select({ id: staff.id })
    .from(staff)
    .where(staffFilter(input.practiceId, input, deps.clock.now()))
    .limit(input.limit + 1)
  return rows.length > input.limit ? null : rows.map((r) => r.id)
}
