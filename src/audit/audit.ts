import { sql, type SQL } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import { auditEvents } from '../../db/schema'
import type { Database } from '../db'

export type AuditEvent =
  | 'login.succeeded'
  | 'login.failed'
  | 'logout'
  | 'practice.created'
  | 'staff.created'
  | 'staff.updated'
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
