import { and, eq, isNull } from 'drizzle-orm'
import { z } from 'zod'
import { accounts, passwordResetCodes, passwordResetLinks, practices, sessions, staff } from '../../db/schema'
import { insertAudit, type AuditEvent } from '../audit/audit'
import { hashPassword, verifyPassword } from '../auth/password'
import { checkNewPassword, newPasswordSchema } from '../auth/password-policy'
import { checkLoginThrottle, clearLoginFailures, countLoginFailure } from '../auth/throttle'
import type { Database } from '../db'
import { deliverEmail, insertOutbox, outboxValues, type MailDeps } from '../email/outbox'

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

/** The words a guessable password would be made of, for checkNewPassword. */
export const ownerContext = (owner: PasswordOwner) => [owner.firstName, owner.lastName, owner.email, owner.practiceName]

/**
 * Sets a new password and does what every password change must: ends every session,
 * kills every other code and link, audits it, and tells the person by email.
 */
export async function changePassword(
  deps: MailDeps,
  input: {
    owner: PasswordOwner
    passwordHash: string
    audit: { event: AuditEvent; actorAccountId: string | null; ip: string; detail?: string }
  },
): Promise<void> {
  const { db, clock } = deps
  const { owner, passwordHash, audit } = input
  const now = clock.now()
  const notice = outboxValues(clock, {
    practiceId: owner.practiceId,
    recipient: owner.email,
    template: 'password-changed',
    params: { practiceName: owner.practiceName, firstName: owner.firstName, changedAt: now.toISOString(), timeZone: owner.timeZone },
  })
  await db.batch([
    db.update(accounts).set({ passwordHash, passwordChangedAt: now }).where(eq(accounts.id, owner.accountId)),
    db.delete(sessions).where(eq(sessions.accountId, owner.accountId)),
    // A new password is also the way out of a login lock.
    clearLoginFailures(db, owner.email),
    voidCodes(db, owner.accountId, now),
    voidResetLinks(db, owner.accountId, now),
    insertAudit(db, now, { practiceId: owner.practiceId, targetStaffId: owner.staffId, ...audit }),
    insertOutbox(db, notice),
  ])
  await deliverEmail(deps, notice, owner.senderName || owner.practiceName, '')
}

/** Every reset link of the account that could still be used stops working. */
export function voidResetLinks(db: Database, accountId: string, now: Date) {
  return db
    .update(passwordResetLinks)
    .set({ replacedAt: now })
    .where(
      and(
        eq(passwordResetLinks.accountId, accountId),
        isNull(passwordResetLinks.usedAt),
        isNull(passwordResetLinks.revokedAt),
        isNull(passwordResetLinks.replacedAt),
      ),
    )
}

export function voidCodes(db: Database, accountId: string, now: Date) {
  return db
    .update(passwordResetCodes)
    .set({ voidedAt: now })
    .where(and(eq(passwordResetCodes.accountId, accountId), isNull(passwordResetCodes.usedAt), isNull(passwordResetCodes.voidedAt)))
}

/** The account an address logs in with, with what emails and password checks need. */
export async function findPasswordOwner(
  deps: Pick<MailDeps, 'db'>,
  where: { email: string } | { accountId: string },
): Promise<PasswordOwner | null> {
  const [row] = await deps.db
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

/** Change Password as posted: the current password, and the new one twice. */
export const changeOwnPasswordSchema = newPasswordSchema.and(
  z.object({
    currentPassword: z.string().default('').pipe(z.string().min(1, 'Enter your current password.').max(1024, 'That password is too long.')),
  }),
)

export type ChangeOwnPasswordResult =
  | { ok: true; email: string }
  | { ok: false; reason: 'throttled'; retryAfterMs: number }
  | { ok: false; reason: 'wrong-password' | 'no-account' }
  | { ok: false; reason: 'weak-password'; message: string }

/**
 * A signed-in person changes their own password. It needs the current one, so a session left
 * open on a shared computer cannot lock its owner out; a wrong one counts as a failed login.
 */
export async function changeOwnPassword(
  deps: MailDeps,
  input: { accountId: string; email: string; currentPassword: string; password: string; ip: string },
): Promise<ChangeOwnPasswordResult> {
  const { db, clock } = deps
  const { accountId, email, ip } = input
  const throttle = await checkLoginThrottle(deps, { email, ip })
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterMs: throttle.retryAfterMs ?? 15 * 60_000 }
  const [account] = await db.select({ hash: accounts.passwordHash }).from(accounts).where(eq(accounts.id, accountId))
  if (!account || !(await verifyPassword(account.hash, input.currentPassword))) {
    await db.batch(countLoginFailure(db, clock.now(), { email, ip, accountId }))
    return { ok: false, reason: 'wrong-password' }
  }
  const owner = await findPasswordOwner(deps, { accountId })
  if (!owner) return { ok: false, reason: 'no-account' }
  const check = await checkNewPassword(input.password, ownerContext(owner))
  if (!check.ok) return { ok: false, reason: 'weak-password', message: check.message }
  await changePassword(deps, {
    owner,
    passwordHash: await hashPassword(check.password),
    audit: { event: 'password.changed', actorAccountId: accountId, ip },
  })
  return { ok: true, email: owner.email }
}
