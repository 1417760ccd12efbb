import { sql, type SQL } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import { auditEvents, staff } from '../../db/schema'
import type { Database } from '../db'

export type AuditEvent =
  | 'login.succeeded'
  | 'login.failed'
  | 'logout'
  | 'practice.created'
  | 'staff.created'
  | 'staff.updated'
  | 'staff.imported'
  | 'invitation.sent'
  | 'invitation.resent'
  | 'invitation.revoked'
  | 'account.created'
  | 'account.email_change_requested'
  | 'account.email_changed'
  | 'reset.code_requested'
  | 'reset.link_generated'
  | 'reset.link_emailed'
  | 'reset.link_revoked'
  | 'password.reset'
  | 'practice.settings_changed'
  | 'staff.access_changed'
  | 'password.changed'
  | 'access.disabled'
  | 'access.enabled'
  | 'sessions.ended'
  | 'login.unlocked'
  | 'two_step.factor_added'
  | 'two_step.factor_removed'
  | 'two_step.recovery_codes_replaced'
  | 'two_step.recovery_code_used'
  | 'two_step.failures'
  | 'two_step.reset'
  | 'sessions.ended_practice'
  | 'session.ended'
  // Security events (ASVS 16.3.1–16.3.3): written through insertSecurityEvent, throttled.
  | 'access.refused'
  | 'csrf.refused'
  | 'password.current_wrong'
  | 'login.held_back'
  | 'login.locked'
  | 'reset.code_wrong'
  | 'reset.code_expired'

/** The security events, which Activity groups under "Security". */
export const SECURITY_EVENTS = [
  'access.refused',
  'csrf.refused',
  'password.current_wrong',
  'login.held_back',
  'login.locked',
  'reset.code_wrong',
  'reset.code_expired',
] as const satisfies readonly AuditEvent[]

export type SecurityEvent = (typeof SECURITY_EVENTS)[number]

/** At most one row per (event, IP), and per (event, person) when it names one, in this window. */
export const SECURITY_EVENT_WINDOW_MS = 60 * 1000

/** Who acts: the signed-in person, in their practice, from the address the request came from. */
export interface Actor {
  practiceId: string
  accountId: string
  ip: string
}

export interface AuditEntry {
  practiceId: string | null
  actorAccountId?: string | null
  targetStaffId?: string | null
  event: AuditEvent
  ip?: string
  /** Plain facts for people to read. Never a token, code or password. */
  detail?: string
}

const IP_MAX = 64
const DETAIL_MAX = 500

/** The audit row for an entry, to insert in the same batch as the change it reports. */
export function insertAudit(db: Database, now: Date, entry: AuditEntry) {
  return db.insert(auditEvents).values({
    practiceId: entry.practiceId,
    actorAccountId: entry.actorAccountId ?? null,
    targetStaffId: entry.targetStaffId ?? null,
    event: entry.event,
    ip: (entry.ip ?? '').slice(0, IP_MAX),
    detail: (entry.detail ?? '').slice(0, DETAIL_MAX),
    createdAt: now,
  })
}

type Value<T> = T | SQLiteColumn | SQL

/** An entry whose ids (and detail) may be columns of the row the change touched. */
export interface AuditEntryFrom {
  practiceId: Value<string>
  actorAccountId: Value<string | null>
  targetStaffId: Value<string | null>
  event: AuditEvent
  ip: string
  detail: Value<string>
}

/**
 * The entry of an actor's change to the rows of `target`, a table with the practice and the staff
 * member in columns (invitations, accounts; `staffRow` for staff rows).
 */
export function actorAuditFrom(
  actor: { accountId: string | null; ip: string },
  target: { practiceId: Value<string>; staffId: Value<string | null> },
  event: AuditEvent,
  detail: Value<string> = '',
): AuditEntryFrom {
  return { practiceId: target.practiceId, actorAccountId: actor.accountId, targetStaffId: target.staffId, event, ip: actor.ip, detail }
}

/** A staff row as the target of actorAuditFrom: the row is the staff member. */
export const staffRow = { practiceId: staff.practiceId, staffId: staff.id }

/**
 * The audit row of a change that may not take (a guarded UPDATE, an INSERT … SELECT): selected
 * from `table` where `changed` finds the change done, so in the same batch it is written only
 * when the change was.
 */
export function insertAuditWhere(db: Database, now: Date, entry: AuditEntryFrom, table: SQLiteTable, changed: SQL | undefined) {
  const detail = typeof entry.detail === 'string' ? entry.detail.slice(0, DETAIL_MAX) : entry.detail
  return db.insert(auditEvents).select(
    db
      .select({
        id: sql<null>`null`.as('id'),
        practiceId: sql<string>`${entry.practiceId}`.as('practice_id'),
        actorAccountId: sql<string | null>`${entry.actorAccountId}`.as('actor_account_id'),
        targetStaffId: sql<string | null>`${entry.targetStaffId}`.as('target_staff_id'),
        event: sql<string>`${entry.event}`.as('event'),
        ip: sql<string>`${entry.ip.slice(0, IP_MAX)}`.as('ip'),
        detail: sql<string>`${detail}`.as('detail'),
        createdAt: sql<number>`${now.getTime()}`.as('created_at'),
      })
      .from(table)
      .where(changed),
  )
}

/**
 * A security event's audit row, unless the same event was already recorded in the last minute
 * from the same IP, or for the same person (targetStaffId) when the entry names one: an attacker
 * repeating a refused request cannot flood the table, and the first of each burst is kept. One
 * conditional INSERT … SELECT … WHERE NOT EXISTS, so concurrent requests cannot both write.
 * Uses audit_event_ip_time_idx and audit_practice_target_time_idx.
 */
export function insertSecurityEvent(db: Database, now: Date, entry: AuditEntry & { event: SecurityEvent }) {
  const ip = (entry.ip ?? '').slice(0, IP_MAX)
  const since = now.getTime() - SECURITY_EVENT_WINDOW_MS
  const practiceId = entry.practiceId ?? null
  const targetStaffId = entry.targetStaffId ?? null
  const samePerson =
    targetStaffId === null || practiceId === null
      ? sql``
      : sql` and not exists (select 1 from ${auditEvents} where ${auditEvents.practiceId} = ${practiceId} and ${auditEvents.targetStaffId} = ${targetStaffId} and ${auditEvents.event} = ${entry.event} and ${auditEvents.createdAt} > ${since})`
  return db.run(
    sql`insert into ${auditEvents} (practice_id, actor_account_id, target_staff_id, event, ip, detail, created_at)
      select ${practiceId}, ${entry.actorAccountId ?? null}, ${targetStaffId}, ${entry.event}, ${ip}, ${(entry.detail ?? '').slice(0, DETAIL_MAX)}, ${now.getTime()}
      where not exists (select 1 from ${auditEvents} where ${auditEvents.event} = ${entry.event} and ${auditEvents.ip} = ${ip} and ${auditEvents.createdAt} > ${since})${samePerson}`,
  )
}
