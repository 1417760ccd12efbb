import { and, asc, eq } from 'drizzle-orm'
import { staff, staffEmails } from '../../db/schema'
import { ownSessionsQuery } from '../auth/own-account'
import type { Database } from '../db'

/** What a signed-in staff member sees of their own profile and devices, in one round trip. */
export async function getOwnProfile(db: Database, practiceId: string, staffId: string, accountId: string, now: Date) {
  const [[member], emails, sessions] = await db.batch([
    db
      .select({ firstName: staff.firstName, lastName: staff.lastName, credentials: staff.credentials, phone: staff.phone })
      .from(staff)
      .where(and(eq(staff.id, staffId), eq(staff.practiceId, practiceId))),
    db
      .select({ email: staffEmails.email, isPrimary: staffEmails.isPrimary })
      .from(staffEmails)
      .where(and(eq(staffEmails.staffId, staffId), eq(staffEmails.practiceId, practiceId)))
      .orderBy(asc(staffEmails.position)),
    ownSessionsQuery(db, accountId, now),
  ])
  return member ? { ...member, emails, sessions } : null
}

export type OwnProfile = NonNullable<Awaited<ReturnType<typeof getOwnProfile>>>
