import { eq, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { accounts, practices, sessions, staff } from '../../db/schema'
import { insertAudit, insertSecurityEvent, type AuditEvent } from '../audit/audit'
import { accountColumns } from '../auth/finish-login'
import { hashPassword, verifyPassword } from '../auth/password'
import { checkBreachedPassword } from '../auth/breached-password'
import { checkNewPassword, newPasswordSchema, type PasswordProblem } from '../auth/password-policy'
import { endResetLinks, voidCodes } from '../auth/reset-tokens'
import { clearLoginFailures, countLoginFailure, loginFailuresQuery, throttleOf } from '../auth/throttle'
import type { Database } from '../db'
import type { Deps } from '../deps'
import type { Locale } from '../text/locale'
import { errorKey } from '../text/messages'
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
  /** The language of this person's emails. */
  language: Locale
  /** Set while portal access is disabled: no code, no link, and the failure count stays. */
  disabledAt: Date | null
}

/** The words a guessable password would be made of, for checkNewPassword. */
export const ownerContext = (owner: PasswordOwner) => [owner.firstName, owner.lastName, owner.email, owner.practiceName]

/**
 * Sets a new password and does what every password change must: ends every session,
 * kills every other code and link, audits it, and tells the person by email.
 */
export async function changePassword(deps: MailDeps, input: PasswordChange): Promise<void> {
  const deliver = await savePasswordChange(deps, input)
  await deliver()
}

export interface PasswordChange {
  owner: PasswordOwner
  passwordHash: string
  audit: { event: AuditEvent; actorAccountId: string | null; ip: string; detail?: string }
}

/**
 * changePassword without waiting for the notice to go out: it answers with the delivery, for a
 * caller that sends it after its response (the notice is already in the outbox either way).
 */
export async function savePasswordChange(deps: MailDeps, input: PasswordChange): Promise<() => Promise<unknown>> {
  const { db, clock } = deps
  const { owner, passwordHash, audit } = input
  const now = clock.now()
  const notice = outboxValues(clock, {
    practiceId: owner.practiceId,
    recipient: owner.email,
    template: 'password-changed',
    params: {
      practiceName: owner.practiceName,
      firstName: owner.firstName,
      changedAt: now.toISOString(),
      timeZone: owner.timeZone,
      language: owner.language,
    },
  })
  await db.batch([
    db.update(accounts).set({ passwordHash, passwordChangedAt: now }).where(eq(accounts.id, owner.accountId)),
    db.delete(sessions).where(eq(sessions.accountId, owner.accountId)),
    // A new password is also the way out of a login lock, but never for a disabled account.
    ...(owner.disabledAt ? [] : [clearLoginFailures(db, owner.email)]),
    ...voidCodes(db, owner.accountId, now),
    endResetLinks(db, owner.accountId, now, 'replacedAt'),
    insertAudit(db, now, { practiceId: owner.practiceId, targetStaffId: owner.staffId, ...audit }),
    insertOutbox(db, notice),
  ])
  return () => deliverEmail(deps, notice, owner.senderName || owner.practiceName, '')
}

/** The account an address logs in with, with what emails and password checks need. */
export async function findPasswordOwner(
  deps: Pick<MailDeps, 'db'>,
  where: { email: string } | { accountId: string },
): Promise<PasswordOwner | null> {
  const [row] = await passwordOwnerQuery(deps.db, where)
  if (!row) return null
  const { passwordHash: _hash, ...owner } = row
  return owner
}

/** findPasswordOwner as a query for the caller's batch, with the account's password hash too. */
export function passwordOwnerQuery(db: Database, where: { email: string } | { accountId: string | SQL }) {
  return db
    .select({
      ...accountColumns,
      firstName: staff.firstName,
      lastName: staff.lastName,
      practiceName: practices.name,
      senderName: practices.senderName,
      timeZone: practices.timeZone,
      language: staff.language,
      disabledAt: accounts.disabledAt,
      passwordHash: accounts.passwordHash,
    })
    .from(accounts)
    .innerJoin(staff, eq(staff.id, accounts.staffId))
    .innerJoin(practices, eq(practices.id, accounts.practiceId))
    .where('email' in where ? eq(accounts.email, where.email) : eq(accounts.id, where.accountId))
}

/** Change Password as posted: the current password, and the new one twice. */
export const changeOwnPasswordSchema = newPasswordSchema.and(
  z.object({
    currentPassword: z
      .string()
      .default('')
      .pipe(z.string().min(1, errorKey('enterCurrentPassword')).max(1024, errorKey('passwordTooLong'))),
  }),
)

export type ChangeOwnPasswordResult =
  | { ok: true; email: string; delivery: () => Promise<unknown> }
  | { ok: false; reason: 'throttled'; retryAfterMs: number }
  | { ok: false; reason: 'wrong-password' | 'no-account' }
  | { ok: false; reason: 'weak-password'; message: string; problem?: PasswordProblem }

/**
 * A signed-in person changes their own password. It needs the current one, so a session left
 * open on a shared computer cannot lock its owner out; a wrong one counts as a failed login.
 * Two round trips: the throttle and the account in one read, then the change in one batch.
 * The notice is in the outbox by then; `delivery` sends it, for the caller to run after its
 * response.
 */
export async function changeOwnPassword(
  deps: MailDeps & Pick<Deps, 'config'>,
  input: { accountId: string; email: string; currentPassword: string; password: string; ip: string },
): Promise<ChangeOwnPasswordResult> {
  const { db, clock } = deps
  const { accountId, email, ip } = input
  const [failures, [row]] = await db.batch([loginFailuresQuery(db, { email, ip }), passwordOwnerQuery(db, { accountId })])
  const throttle = throttleOf(failures, clock.now())
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterMs: throttle.retryAfterMs ?? 15 * 60_000 }
  if (!row || !(await verifyPassword(row.passwordHash, input.currentPassword))) {
    const now = clock.now()
    await db.batch([
      ...countLoginFailure(db, now, { email, ip, accountId }),
      insertSecurityEvent(db, now, {
        practiceId: row?.practiceId ?? null,
        actorAccountId: accountId,
        targetStaffId: row?.staffId ?? null,
        event: 'password.current_wrong',
        ip,
        detail: 'Change Password',
      }),
    ])
    return { ok: false, reason: 'wrong-password' }
  }
  const { passwordHash: _hash, ...owner } = row
  const check = await checkNewPassword(input.password, ownerContext(owner))
  if (!check.ok) return { ok: false, reason: 'weak-password', message: check.message, problem: check.problem }
  const breach = await checkBreachedPassword(deps, check.password)
  if (!breach.ok) return { ok: false, reason: 'weak-password', message: breach.message, problem: { kind: 'breached' } }
  const delivery = await savePasswordChange(deps, {
    owner,
    passwordHash: await hashPassword(check.password),
    audit: { event: 'password.changed', actorAccountId: accountId, ip },
  })
  return { ok: true, email: owner.email, delivery }
}
