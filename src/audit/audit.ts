import { auditEvents } from '../../db/schema'
import type { Clock } from '../clock'
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

export interface AuditEntry {
  practiceId: string | null
  actorAccountId?: string | null
  targetStaffId?: string | null
  event: AuditEvent
  ip?: string
  /** Plain facts for people to read. Never a token, code or password. */
  detail?: string
}

export function auditValues(clock: Clock, entry: AuditEntry) {
  return {
    practiceId: entry.practiceId,
    actorAccountId: entry.actorAccountId ?? null,
    targetStaffId: entry.targetStaffId ?? null,
    event: entry.event,
    ip: (entry.ip ?? '').slice(0, 64),
    detail: (entry.detail ?? '').slice(0, 500),
    createdAt: clock.now(),
  }
}

export async function recordAuditEvent(db: Database, clock: Clock, entry: AuditEntry): Promise<void> {
  await db.insert(auditEvents).values(auditValues(clock, entry))
}
