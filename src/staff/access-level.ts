import { and, eq, exists, inArray, isNull, ne, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { accounts, sessions, staff } from '../../db/schema'
import { actorAuditFrom, insertAuditWhere, staffRow, type Actor } from '../audit/audit'
import type { Database } from '../db'
import type { Deps } from '../deps'

export type AccessLevel = 'staff' | 'admin'

export const accessLevelLabel: Record<AccessLevel, string> = { staff: 'Staff', admin: 'Admin' }

export type SetAccessResult =
  | { ok: true; changed: boolean; from: AccessLevel; to: AccessLevel; person: { firstName: string; lastName: string } }
  | { ok: false; reason: 'not-found' | 'last-admin' }

const otherAdmin = alias(staff, 'other_admin')

/** Whether some other admin of the practice can log in: active profile, account with access on. */
export function anotherAdminWhoCanLogIn(db: Database, practiceId: string, staffId: string) {
  return exists(
    db
      .select({ one: sql`1` })
      .from(otherAdmin)
      .innerJoin(accounts, eq(accounts.staffId, otherAdmin.id))
      .where(
        and(
          eq(otherAdmin.practiceId, practiceId),
          eq(otherAdmin.role, 'admin'),
          eq(otherAdmin.isActive, true),
          ne(otherAdmin.id, staffId),
          isNull(accounts.disabledAt),
        ),
      ),
  )
}

/**
 * Makes a staff member an admin or takes it away. In one batch: the role changes, every
 * session of their account ends (the role is read from the session's join, so they get the
 * new level at their next login), and the change is audited. Taking it away is refused when
 * no other admin could log in afterwards (an active profile with a portal account that is not
 * disabled): that check is part of the UPDATE's own condition, so two admins demoting each
 * other at once cannot both succeed. The batch reads the row first, in the same transaction,
 * so when nothing changes it says why without another round trip.
 */
export async function setAccessLevel(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { actor: Actor; staffId: string; role: AccessLevel },
): Promise<SetAccessResult> {
  const { db } = deps
  const { actor, staffId, role } = input
  // Two levels: a change can only be from the other one.
  const from: AccessLevel = role === 'admin' ? 'staff' : 'admin'
  const scope = and(eq(staff.id, staffId), eq(staff.practiceId, actor.practiceId))
  const now = deps.clock.now()
  // The update's own condition; the sessions and the audit row go first, under the same
  // condition, so in this one transaction they happen exactly when the update does.
  const willChange = and(scope, eq(staff.role, from), role === 'staff' ? anotherAdminWhoCanLogIn(db, actor.practiceId, staffId) : undefined)
  const [[member], , , updated] = await db.batch([
    db.select({ role: staff.role, firstName: staff.firstName, lastName: staff.lastName }).from(staff).where(scope),
    db.delete(sessions).where(
      inArray(
        sessions.accountId,
        db
          .select({ id: accounts.id })
          .from(accounts)
          .innerJoin(staff, eq(staff.id, accounts.staffId))
          .where(and(eq(accounts.practiceId, actor.practiceId), willChange)),
      ),
    ),
    insertAuditWhere(
      db,
      now,
      actorAuditFrom(actor, staffRow, 'staff.access_changed', `${accessLevelLabel[from]} → ${accessLevelLabel[role]}`),
      staff,
      willChange,
    ),
    db.update(staff).set({ role, updatedAt: now }).where(willChange).returning({ id: staff.id }),
  ])
  if (!member) return { ok: false, reason: 'not-found' }
  const person = { firstName: member.firstName, lastName: member.lastName }
  if (updated.length > 0) return { ok: true, changed: true, from, to: role, person }
  if (member.role === role) return { ok: true, changed: false, from: role, to: role, person }
  // Refused by the admin count.
  return { ok: false, reason: 'last-admin' }
}
