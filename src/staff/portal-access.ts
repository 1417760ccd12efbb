import { and, eq, sql } from 'drizzle-orm'
import { accounts, sessions, staff } from '../../db/schema'
import { insertAudit, type Actor, type AuditEvent } from '../audit/audit'
import type { Deps } from '../deps'
import { anotherAdminWhoCanLogIn } from './access-level'
import { unlockLogin } from '../auth/throttle'

export type AccessAction = 'disable' | 'enable' | 'end-sessions' | 'unlock'

const eventOf: Record<AccessAction, AuditEvent> = {
  disable: 'access.disabled',
  enable: 'access.enabled',
  'end-sessions': 'sessions.ended',
  unlock: 'login.unlocked',
}

export type AccessChange = { ok: true } | { ok: false; reason: 'no-account' | 'last-admin' }

/**
 * What an admin can do to a staff member's portal account. Disabling ends every session
 * at once; the login then fails with the same message as a wrong password.
 */
export async function changePortalAccess(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { actor: Actor; staffId: string; action: AccessAction },
): Promise<AccessChange> {
  const { db } = deps
  const { actor, staffId, action } = input
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
  const now = deps.clock.now()
  const audit = insertAudit(db, now, {
    practiceId: actor.practiceId,
    actorAccountId: actor.accountId,
    targetStaffId: staffId,
    event: eventOf[action],
    ip: actor.ip,
  })
  const endSessions = db.delete(sessions).where(eq(sessions.accountId, account.id))
  const setDisabled = (disabledAt: Date | null) => db.update(accounts).set({ disabledAt }).where(eq(accounts.id, account.id))
  switch (action) {
    case 'disable':
      await db.batch([setDisabled(now), endSessions, audit])
      break
    case 'enable':
      await db.batch([setDisabled(null), audit])
      break
    case 'end-sessions':
      await db.batch([endSessions, audit])
      break
    case 'unlock':
      await db.batch([unlockLogin(db, account), audit])
      break
  }
  return { ok: true }
}
