import { and, count, desc, eq, inArray, lt, lte, or, sql, type Placeholder, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { z } from 'zod'
import { accounts, auditEvents, staff } from '../../db/schema'
import { SECURITY_EVENTS } from '../audit/audit'
import type { Database } from '../db'
import type { Deps } from '../deps'
import { isId } from '../ids'
import { matchesSearch } from '../staff/staff-search'
import { fullName } from '../text/format'

export interface ActivityFilter {
  staffId?: string | Placeholder
  /** The start of a first name, last name, "first last" or email address, as the Staffs Search reads it. */
  person?: string
  event?: string
  /** Only events older than this one, in the list's order: how an export pages through (keyset). */
  before?: { createdAt: Date; id: number }
}

export interface ActivityRow {
  id: number
  event: string
  /** The event in an admin's words (EVENT_LABELS). */
  label: string
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
export function activityQuery(db: Database, practiceId: string | Placeholder, filter: ActivityFilter, limit: number, offset = 0) {
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
 * first (audit_practice_time_idx gives the order for free) and keeping their events: slow for
 * someone with a handful (docs/benchmarks.md). The unary + keeps that index out of the ordering, so
 * it reads just the matching people's events from audit_practice_target_time_idx and sorts
 * those (test/activity-plan.test.ts).
 */
function newestFirst(filter: ActivityFilter): SQL[] {
  const createdAt = filter.person && !filter.staffId ? sql`+${auditEvents.createdAt}` : sql`${auditEvents.createdAt}`
  return [desc(createdAt), desc(auditEvents.id)]
}

export function activityWhere(practiceId: string | Placeholder, filter: ActivityFilter): SQL | undefined {
  return and(
    eq(auditEvents.practiceId, practiceId),
    filter.staffId ? eq(auditEvents.targetStaffId, filter.staffId) : undefined,
    filter.person
      ? sql`${auditEvents.targetStaffId} in (select ${staff.id} from ${staff} where ${matchesSearch(practiceId, filter.person)})`
      : undefined,
    filter.event === SECURITY_GROUP
      ? inArray(auditEvents.event, [...SECURITY_EVENTS])
      : filter.event
        ? eq(auditEvents.event, filter.event)
        : undefined,
    // The first term is a range on the index (practice_id, created_at); the second breaks ties.
    filter.before
      ? and(
          lte(auditEvents.createdAt, filter.before.createdAt),
          or(lt(auditEvents.createdAt, filter.before.createdAt), lt(auditEvents.id, filter.before.id)),
        )
      : undefined,
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
    label: EVENT_LABELS[row.event] ?? row.event,
    createdAt: row.createdAt,
    ip: row.ip,
    detail: row.detail,
    actorName: row.actorFirst ? fullName({ firstName: row.actorFirst, lastName: row.actorLast ?? '' }) : null,
    targetStaffId: row.targetStaffId,
    targetName: row.targetFirst ? fullName({ firstName: row.targetFirst, lastName: row.targetLast ?? '' }) : null,
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
  'staff.imported': 'Staff imported',
  'invitation.sent': 'Invitation sent',
  'invitation.resent': 'Invitation sent again',
  'invitation.revoked': 'Invitation revoked',
  'account.created': 'Account created',
  'account.email_change_requested': 'Login email change requested',
  'account.email_changed': 'Login email changed',
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
  'two_step.factor_added': 'Two-step sign-in: factor added',
  'two_step.factor_removed': 'Two-step sign-in: factor removed',
  'two_step.recovery_codes_replaced': 'New recovery codes made',
  'two_step.recovery_code_used': 'Recovery code used',
  'two_step.failures': 'Wrong second steps in a row',
  'two_step.reset': 'Two-step sign-in reset',
  'sessions.ended_practice': 'Everyone signed out',
  'session.ended': 'Session ended',
  // Security events (SECURITY_EVENTS), grouped under "Security" in the filter.
  'access.refused': 'Access refused',
  'csrf.refused': 'Request refused (CSRF)',
  'password.current_wrong': 'Wrong current password',
  'login.held_back': 'Login held back',
  'login.locked': 'Login locked',
  'reset.code_wrong': 'Wrong reset code',
  'reset.code_expired': 'Expired reset code',
}

/** The Event filter's value for every security event at once. */
export const SECURITY_GROUP = 'security'
const isSecurityEvent = (event: string) => (SECURITY_EVENTS as readonly string[]).includes(event)

export interface EventChoice {
  value: string
  label: string
  /** Shown under this heading in the filter (an optgroup). */
  group?: 'Security'
}

/** The Event filter's choices, in the order of EVENT_LABELS; security events last, under their group with an "all" choice first. */
export const EVENT_CHOICES: EventChoice[] = [
  ...Object.entries(EVENT_LABELS)
    .filter(([value]) => !isSecurityEvent(value))
    .map(([value, label]) => ({ value, label })),
  { value: SECURITY_GROUP, label: 'All security events', group: 'Security' },
  ...SECURITY_EVENTS.map((value) => ({ value, label: EVENT_LABELS[value]!, group: 'Security' as const })),
]

export const ACTIVITY_PAGE_SIZE = 50

/** The Activity page's query string; anything unreadable falls back to no filter. */
export const activityFilterSchema = z.object({
  staff: z.string().refine(isId).catch(''),
  // Words typed into the Staff field; the same prefix matching as the Staffs Search.
  person: z
    .string()
    .transform((value) => value.trim().replace(/\s+/g, ' ').slice(0, 100))
    .catch(''),
  event: z
    .string()
    .refine((value) => value in EVENT_LABELS || value === SECURITY_GROUP)
    .catch(''),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
})

export type ActivityQuery = z.infer<typeof activityFilterSchema>

/** One page of the practice's audit trail, with the name of the person chosen by id, if any. */
export async function listActivity(deps: Pick<Deps, 'db'>, input: { practiceId: string; query: ActivityQuery }) {
  const { db } = deps
  const { practiceId, query } = input
  // One person chosen by id (the profile's "All activity for this person") wins over typed words.
  const person = query.staff ? '' : query.person
  const where = { staffId: query.staff || undefined, person: person || undefined, event: query.event || undefined }
  // No list of every staff member to choose from: at thousands of staff it was most of the page.
  const [rows, [total], [chosen]] = await db.batch([
    activityQuery(db, practiceId, where, ACTIVITY_PAGE_SIZE, (query.page - 1) * ACTIVITY_PAGE_SIZE),
    activityCountQuery(db, practiceId, where),
    db
      .select({ firstName: staff.firstName, lastName: staff.lastName })
      .from(staff)
      .where(and(eq(staff.id, query.staff || ''), eq(staff.practiceId, practiceId))),
  ])
  const count = total?.value ?? 0
  return {
    rows: rows.map(toActivityRow),
    total: count,
    pageCount: Math.max(1, Math.ceil(count / ACTIVITY_PAGE_SIZE)),
    filter: { staff: query.staff, person, event: query.event },
    chosenName: query.staff ? (chosen ? fullName(chosen) : null) : undefined,
  }
}
