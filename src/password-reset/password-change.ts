import { and, eq, isNull } from 'drizzle-orm'
import { accounts, auditEvents, emailOutbox, passwordResetCodes, passwordResetLinks, practices, sessions, staff } from '../../db/schema'
import { formatDateTime } from '../../views/format'
import { auditValues, type AuditEvent } from '../audit/audit'
import type { Database } from '../db'
import { clearAddressFailures } from '../auth/throttle'
import { deliverEmail, outboxValues, type MailDeps } from '../email/outbox'

export interface PasswordOwner {
  accountId: string
  practiceId: string
  staffId: string
  email: string
  firstName: string
  lastName: string
  practiceName: string
  senderName: string
  timeZone: string
}

/**
 * Sets a new password and does what every password change must: ends every session,
 * kills every other code and link, audits it, and tells the person by email.
 */
export async function changePassword(
  deps: MailDeps,
  owner: PasswordOwner,
  passwordHash: string,
  audit: { event: AuditEvent; actorAccountId: string | null; ip: string; detail?: string },
): Promise<void> {
  const { db, clock } = deps
  const now = clock.now()
  const notice = outboxValues(clock, {
    practiceId: owner.practiceId,
    recipient: owner.email,
    template: 'password-changed',
    params: { practiceName: owner.practiceName, firstName: owner.firstName, changedAt: formatDateTime(now, owner.timeZone) },
  })
  await db.batch([
    db.update(accounts).set({ passwordHash, passwordChangedAt: now }).where(eq(accounts.id, owner.accountId)),
    db.delete(sessions).where(eq(sessions.accountId, owner.accountId)),
    // A new password is also the way out of a login lock.
    clearAddressFailures(db, owner.email),
    voidCodes(db, owner.accountId, now),
    db
      .update(passwordResetLinks)
      .set({ replacedAt: now })
      .where(
        and(
          eq(passwordResetLinks.accountId, owner.accountId),
          isNull(passwordResetLinks.usedAt),
          isNull(passwordResetLinks.revokedAt),
          isNull(passwordResetLinks.replacedAt),
        ),
      ),
    db.insert(auditEvents).values(auditValues(clock, { practiceId: owner.practiceId, targetStaffId: owner.staffId, ...audit })),
    db.insert(emailOutbox).values(notice),
  ])
  await deliverEmail(deps, notice, owner.senderName || owner.practiceName, '')
}

export function voidCodes(db: Database, accountId: string, now: Date) {
  return db
    .update(passwordResetCodes)
    .set({ voidedAt: now })
    .where(and(eq(passwordResetCodes.accountId, accountId), isNull(passwordResetCodes.usedAt), isNull(passwordResetCodes.voidedAt)))
}

/** The account an address logs in with, with what emails and password checks need. */
export async function findPasswordOwner(db: Database, where: { email: string } | { accountId: string }): Promise<PasswordOwner | null> {
  const [row] = await db
    .select({
      accountId: accounts.id,
      practiceId: accounts.practiceId,
      staffId: accounts.staffId,
      email: accounts.email,
      firstName: staff.firstName,
      lastName: staff.lastName,
      practiceName: practices.name,
      senderName: practices.senderName,
      timeZone: practices.timeZone,
    })
    .from(accounts)
    .innerJoin(staff, eq(staff.id, accounts.staffId))
    .innerJoin(practices, eq(practices.id, accounts.practiceId))
    .where('email' in where ? eq(accounts.email, where.email) : eq(accounts.id, where.accountId))
  return row ?? null
}
