import { and, eq, exists, inArray, isNull, ne, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { accounts, sessions, staff } from '../../db/schema'
import { insertAuditWhere, type Actor } from '../audit/audit'
import type { Database } from '../db'
import type { Deps } from '../deps'

export type AccessLevel = 'staff' | 'admin'

export const accessLevelLabel: Record<AccessLevel, string> = { staff: 'Staff', admin: 'Admin' }

export type SetAccessResult =
  { ok: true; changed: boolean; from: AccessLevel; to: AccessLevel } | { ok: false; reason: 'not-found' | 'last-admin' }

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
 * other at once cannot both succeed.
 */
export async function setAccessLevel(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { actor: Actor; staffId: string; role: AccessLevel },
): Promise<SetAccessResult> {
  const { db } = deps
  const { actor, staffId, role } = input
  const scope = and(eq(staff.id, staffId), eq(staff.practiceId, actor.practiceId))
  const [member] = await db.select({ role: staff.role }).from(staff).where(scope)
  if (!member) return { ok: false, reason: 'not-found' }
  const from = member.role
  if (from === role) return { ok: true, changed: false, from, to: role }

  const now = deps.clock.now()
  const anotherActiveAdmin = anotherAdminWhoCanLogIn(db, actor.practiceId, staffId)
  // What the row looks like once this change took: the later statements only act then.
  const changedNow = and(scope, eq(staff.role, role), eq(staff.updatedAt, now))
  const [updated] = await db.batch([
    db
      .update(staff)
      .set({ role, updatedAt: now })
      .where(and(scope, eq(staff.role, from), role === 'staff' ? anotherActiveAdmin : undefined))
      .returning({ id: staff.id }),
    db.delete(sessions).where(
      inArray(
        sessions.accountId,
        db
          .select({ id: accounts.id })
          .from(accounts)
          .innerJoin(staff, eq(staff.id, accounts.staffId))
          .where(and(eq(accounts.practiceId, actor.practiceId), changedNow)),
      ),
    ),
    insertAuditWhere(
      db,
      now,
      {
        practiceId: staff.practiceId,
        actorAccountId: actor.accountId,
        targetStaffId: staff.id,
        event: 'staff.access_changed',
        ip: actor.ip,
        detail: `${accessLevelLabel[from]} → ${accessLevelLabel[role]}`,
      },
      staff,
      changedNow,
    ),
  ])
  if (updated.length === 0) {
    // Refused by the admin count, or someone changed the row meanwhile: say which.
    const [latest] = await db.select({ role: staff.role }).from(staff).where(scope)
    if (!latest) return { ok: false, reason: 'not-found' }
    if (latest.role === role) return { ok: true, changed: false, from: role, to: role }
    return { ok: false, reason: 'last-admin' }
  }
  return { ok: true, changed: true, from, to: role }
}
