import { and, count, desc, eq, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { accounts, auditEvents, staff } from '../../db/schema'
import type { Database } from '../db'
import { matchesSearch } from '../staff/staff-search'

export interface ActivityFilter {
  staffId?: string
  /** The start of a first name, last name, "first last" or email address, as the Staffs Search reads it. */
  person?: string
  event?: string
}

export interface ActivityRow {
  id: number
  event: string
  createdAt: Date
  ip: string
  detail: string
  actorName: string | null
  targetStaffId: string | null
  targetName: string | null
}

const actorStaff = alias(staff, 'actor_staff')
const targetStaff = alias(staff, 'target_staff')

/** The practice's audit events, newest first, as a query to run alone or in a batch. */
export function activityQuery(db: Database, practiceId: string, filter: ActivityFilter, limit: number, offset = 0) {
  return db
    .select({
      id: auditEvents.id,
      event: auditEvents.event,
      createdAt: auditEvents.createdAt,
      ip: auditEvents.ip,
      detail: auditEvents.detail,
      actorFirst: actorStaff.firstName,
      actorLast: actorStaff.lastName,
      targetStaffId: auditEvents.targetStaffId,
      targetFirst: targetStaff.firstName,
      targetLast: targetStaff.lastName,
    })
    .from(auditEvents)
    .leftJoin(accounts, eq(accounts.id, auditEvents.actorAccountId))
    .leftJoin(actorStaff, eq(actorStaff.id, accounts.staffId))
    .leftJoin(targetStaff, eq(targetStaff.id, auditEvents.targetStaffId))
    .where(activityWhere(practiceId, filter))
    .orderBy(...newestFirst(filter))
    .limit(limit)
    .offset(offset)
}

/**
 * Left to itself, SQLite answers a typed person by walking the practice's whole history newest
 * first (audit_practice_time_idx gives the order for free) and keeping their events: ~15 ms at
 * 32,500 events for someone with a handful. The unary + keeps that index out of the ordering, so
 * it reads just the matching people's events from audit_practice_target_time_idx and sorts
 * those (test/activity-plan.test.ts).
 */
function newestFirst(filter: ActivityFilter): SQL[] {
  const createdAt = filter.person && !filter.staffId ? sql`+${auditEvents.createdAt}` : sql`${auditEvents.createdAt}`
  return [desc(createdAt), desc(auditEvents.id)]
}

export function activityWhere(practiceId: string, filter: ActivityFilter): SQL | undefined {
  return and(
    eq(auditEvents.practiceId, practiceId),
    filter.staffId ? eq(auditEvents.targetStaffId, filter.staffId) : undefined,
    filter.person
      ? sql`${auditEvents.targetStaffId} in (select ${staff.id} from ${staff} where ${matchesSearch(practiceId, filter.person)})`
      : undefined,
    filter.event ? eq(auditEvents.event, filter.event) : undefined,
  )
}

export function activityCountQuery(db: Database, practiceId: string, filter: ActivityFilter) {
  return db.select({ value: count() }).from(auditEvents).where(activityWhere(practiceId, filter))
}

type RawActivity = Awaited<ReturnType<typeof activityQuery>>[number]

export function toActivityRow(row: RawActivity): ActivityRow {
  return {
    id: row.id,
    event: row.event,
    createdAt: row.createdAt,
    ip: row.ip,
    detail: row.detail,
    actorName: row.actorFirst ? `${row.actorFirst} ${row.actorLast}` : null,
    targetStaffId: row.targetStaffId,
    targetName: row.targetFirst ? `${row.targetFirst} ${row.targetLast}` : null,
  }
}

/** What each event means, in words an admin reads in the Activity list. */
export const EVENT_LABELS: Record<string, string> = {
  'login.succeeded': 'Logged in',
  'login.failed': 'Failed login',
  logout: 'Logged out',
  'practice.created': 'Practice created',
  'staff.created': 'Profile created',
  'staff.updated': 'Profile edited',
  'invitation.sent': 'Invitation sent',
  'invitation.resent': 'Invitation sent again',
  'invitation.revoked': 'Invitation revoked',
  'account.created': 'Account created',
  'reset.code_requested': 'Reset code requested',
  'reset.link_generated': 'Reset link generated',
  'reset.link_emailed': 'Reset link emailed',
  'reset.link_revoked': 'Reset link revoked',
  'password.reset': 'Password reset',
  'password.changed': 'Password changed',
  'access.disabled': 'Portal access disabled',
  'access.enabled': 'Portal access enabled',
  'sessions.ended': 'Signed out everywhere',
  'login.unlocked': 'Login unlocked',
  'practice.settings_changed': 'Practice settings changed',
  'staff.access_changed': 'Access level changed',
}
