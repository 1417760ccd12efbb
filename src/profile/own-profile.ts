import { and, asc, eq, sql } from 'drizzle-orm'
import { staff, staffEmails } from '../../db/schema'
import { deviceOf, ownSessionsQuery } from '../auth/own-account'
import type { SessionUser } from '../auth/session'
import type { Deps } from '../deps'
import { preparedReads } from '../db-prepared'

// Built once per database (src/db-prepared.ts), as the Staff Portal tab's reads are.
const ownReads = preparedReads((db) => {
  const staffId = sql.placeholder('staffId')
  const practiceId = sql.placeholder('practiceId')
  return [
    db
      .select({
        firstName: staff.firstName,
        lastName: staff.lastName,
        credentials: staff.credentials,
        phone: staff.phone,
        language: staff.language,
      })
      .from(staff)
      .where(and(eq(staff.id, staffId), eq(staff.practiceId, practiceId))),
    db
      .select({ email: staffEmails.email, isPrimary: staffEmails.isPrimary })
      .from(staffEmails)
      .where(and(eq(staffEmails.staffId, staffId), eq(staffEmails.practiceId, practiceId)))
      .orderBy(asc(staffEmails.position)),
    ownSessionsQuery(db, { accountId: sql.placeholder('accountId'), practiceId }, sql.placeholder('now')),
  ] as const
})

/** What a signed-in staff member sees of their own profile and devices, in one round trip. */
export async function getOwnProfile(deps: Pick<Deps, 'db' | 'clock'>, user: Pick<SessionUser, 'practiceId' | 'staffId' | 'accountId'>) {
  const { practiceId, staffId, accountId } = user
  const [[member], emails, sessions] = await deps.db.batch(ownReads(deps.db, { staffId, practiceId, accountId, now: deps.clock.now() }))
  if (!member) return null
  return { ...member, emails, sessions: sessions.map((s) => ({ ...s, device: deviceOf(s.userAgent) })) }
}

export type OwnProfile = NonNullable<Awaited<ReturnType<typeof getOwnProfile>>>
