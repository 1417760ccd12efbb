import { and, eq, or, sql } from 'drizzle-orm'
import { accounts, auditEvents, loginFailures, sessions, staff } from '../../db/schema'
import { auditValues, type AuditEvent } from '../audit/audit'
import type { Clock } from '../clock'
import type { Database } from '../db'
import type { Actor } from '../staff/staff'
import { anotherAdminWhoCanLogIn } from '../staff/access-level'
import { addressKey } from './throttle'

export type AccessAction = 'disable' | 'enable' | 'end-sessions' | 'unlock'

const eventOf: Record<AccessAction, AuditEvent> = {
  disable: 'access.disabled',
  enable: 'access.enabled',
  'end-sessions': 'sessions.ended',
  unlock: 'login.unlocked',
}

/**
 * What an admin can do to a staff member's portal account. Disabling ends every session
 * at once; the login then fails with the same message as a wrong password.
 */
export type AccessChange = { ok: true } | { ok: false; reason: 'no-account' | 'last-admin' }

export async function changePortalAccess(
  db: Database,
  clock: Clock,
  actor: Actor,
  staffId: string,
  action: AccessAction,
): Promise<AccessChange> {
  const [account] = await db
    .select({
      id: accounts.id,
      email: accounts.email,
      role: staff.role,
      otherAdmin: sql<number>`${anotherAdminWhoCanLogIn(db, actor.practiceId, staffId)}`,
    })
    .from(accounts)
    .innerJoin(staff, eq(staff.id, accounts.staffId))
    .where(and(eq(accounts.staffId, staffId), eq(accounts.practiceId, actor.practiceId)))
  if (!account) return { ok: false, reason: 'no-account' }
  // A practice must keep an admin who can log in.
  if (action === 'disable' && account.role === 'admin' && !account.otherAdmin) return { ok: false, reason: 'last-admin' }
  const now = clock.now()
  const audit = db
    .insert(auditEvents)
    .values(
      auditValues(clock, {
        practiceId: actor.practiceId,
        actorAccountId: actor.accountId,
        targetStaffId: staffId,
        event: eventOf[action],
        ip: actor.ip,
      }),
    )
  const endSessions = db.delete(sessions).where(eq(sessions.accountId, account.id))
  switch (action) {
    case 'disable':
      await db.batch([db.update(accounts).set({ disabledAt: now }).where(eq(accounts.id, account.id)), endSessions, audit])
      break
    case 'enable':
      await db.batch([db.update(accounts).set({ disabledAt: null }).where(eq(accounts.id, account.id)), audit])
      break
    case 'end-sessions':
      await db.batch([endSessions, audit])
      break
    case 'unlock':
      await db.batch([
        db.delete(loginFailures).where(or(eq(loginFailures.accountId, account.id), eq(loginFailures.key, addressKey(account.email)))),
        audit,
      ])
      break
  }
  return { ok: true }
}
