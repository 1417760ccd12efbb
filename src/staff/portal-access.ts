import { and, eq, inArray, notExists, or, sql } from 'drizzle-orm'
import { accounts, sessions, staff } from '../../db/schema'
import { actorAuditFrom, insertAuditWhere, type Actor, type AuditEvent } from '../audit/audit'
import type { Deps } from '../deps'
import { anotherAdminWhoCanLogIn } from './access-level'
import { endResetLinks, voidCodes } from '../auth/reset-tokens'
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
 * and every live code and reset link at once; the login then fails as a wrong password does. One batch reads
 * the account and makes the change, each write under the condition that makes it allowed (an
 * account exists; for Disable, it is not the last admin who can log in), so the checks and the
 * writes see the same rows. Unlock also needs the account's address (its failures are counted
 * by the address's hash), so it reads the account first.
 */
export async function changePortalAccess(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { actor: Actor; staffId: string; action: AccessAction },
): Promise<AccessChange> {
  const { db } = deps
  const { actor, staffId, action } = input
  const now = deps.clock.now()
  const ofStaff = and(eq(accounts.staffId, staffId), eq(accounts.practiceId, actor.practiceId))
  const readAccount = db
    .select({
      id: accounts.id,
      email: accounts.email,
      role: staff.role,
      otherAdmin: sql<number>`${anotherAdminWhoCanLogIn(db, actor.practiceId, staffId)}`,
    })
    .from(accounts)
    .innerJoin(staff, eq(staff.id, accounts.staffId))
    .where(ofStaff)
  // A practice must keep an admin who can log in.
  const allowed =
    action === 'disable'
      ? and(
          ofStaff,
          or(
            notExists(
              db
                .select({ one: sql`1` })
                .from(staff)
                .where(and(eq(staff.id, staffId), eq(staff.role, 'admin'))),
            ),
            anotherAdminWhoCanLogIn(db, actor.practiceId, staffId),
          ),
        )
      : ofStaff
  // Before the change, under the same condition: written exactly when the change is.
  const audit = insertAuditWhere(db, now, actorAuditFrom(actor, accounts, eventOf[action]), accounts, allowed)
  const accountIds = db.select({ id: accounts.id }).from(accounts).where(allowed)
  const endSessions = db.delete(sessions).where(inArray(sessions.accountId, accountIds))
  const setDisabled = (disabledAt: Date | null) => db.update(accounts).set({ disabledAt }).where(allowed)

  if (action === 'unlock') {
    const [account] = await readAccount
    if (!account) return { ok: false, reason: 'no-account' }
    await db.batch([audit, unlockLogin(db, account)])
    return { ok: true }
  }
  const [[account]] = await (action === 'disable'
    ? // Codes and reset links die in the same write: a disabled account has no way back in.
      db.batch([
        readAccount,
        audit,
        endSessions,
        ...voidCodes(db, accountIds, now),
        endResetLinks(db, accountIds, now, 'revokedAt'),
        setDisabled(now),
      ])
    : action === 'enable'
      ? db.batch([readAccount, audit, setDisabled(null)])
      : db.batch([readAccount, audit, endSessions]))
  if (!account) return { ok: false, reason: 'no-account' }
  if (action === 'disable' && account.role === 'admin' && !account.otherAdmin) return { ok: false, reason: 'last-admin' }
  return { ok: true }
}
