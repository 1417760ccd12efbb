import { and, eq, gt, isNull, ne, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { accounts, loginEmailChanges, practices, staff, staffEmails } from '../../db/schema'
import { insertAuditWhere, type Actor } from '../audit/audit'
import { issueToken } from '../auth/tokens'
import type { Config } from '../config'
import type { Deps } from '../deps'
import { insertOutboxFrom, outboxValues, sendEmail, type DeliveryRecord, type MailDeps } from '../email/outbox'

// A signed-up person's login email changes only when they follow a link sent to the new address:
// editing the profile's addresses never touches it, so no one is moved to an address they do not hold.
// This file is the admin's request; confirm-login-email.ts is the staff member's side.

export const LOGIN_EMAIL_LINK_TTL_MS = 24 * 60 * 60 * 1000

export type LoginEmailDeps = MailDeps & Pick<Deps, 'config'>

export const loginEmailLink = (config: Config, token: string) => `${config.APP_URL}/login-email/${token}`

/** The admin's "New Login Email" as posted. */
export const newLoginEmailSchema = z.object({
  newEmail: z
    .string()
    .default('')
    .transform((value) => value.normalize('NFC').trim().toLowerCase())
    .pipe(z.string().max(254, 'Email must be 254 characters or fewer.'))
    .pipe(z.email('Enter an email address like name@example.com.')),
})

/** Where a link stands for the person holding it. */
export type LoginEmailLinkState = 'valid' | 'used' | 'replaced' | 'expired' | 'unknown'

/** The change's link can still be used: not used, not replaced by a newer request, not expired. */
export const isLiveChange = (now: Date): SQL =>
  and(isNull(loginEmailChanges.usedAt), isNull(loginEmailChanges.replacedAt), gt(loginEmailChanges.expiresAt, now))!

export type RequestLoginEmailResult =
  // record: the statement that writes how the delivery went; the caller runs it in its next batch.
  | { ok: true; to: string; delivered: boolean; record: DeliveryRecord }
  | { ok: false; reason: 'not-found' | 'no-account' | 'same' | 'unavailable' }

/**
 * The admin asks to move a signed-up person's login to `newEmail`: a link goes to that address,
 * and a newer request voids an older one. An address that is another login, in this practice or
 * any other, or that another profile of the practice lists, is 'unavailable' without saying which.
 */
export async function requestLoginEmailChange(
  deps: LoginEmailDeps,
  input: { actor: Actor; staffId: string; newEmail: string },
): Promise<RequestLoginEmailResult> {
  const { db, clock, config } = deps
  const { actor, staffId, newEmail } = input
  const now = clock.now()
  const { id, token, secretHash } = issueToken()
  const expiresAt = new Date(now.getTime() + LOGIN_EMAIL_LINK_TTL_MS)
  const ofStaff = and(eq(accounts.staffId, staffId), eq(accounts.practiceId, actor.practiceId))
  // One batch (one transaction): the reads that say why not, then the writes, each under the
  // same conditions in SQL on the same snapshot, so a refused request writes nothing. The writes
  // key on the new link's id, fresh from issueToken: only this batch's insert can have made it.
  const allowed = and(
    ofStaff,
    sql`exists (select 1 from ${staff} where ${staff.id} = ${staffId} and ${staff.practiceId} = ${actor.practiceId})`,
    sql`exists (select 1 from ${practices} where ${practices.id} = ${actor.practiceId})`,
    sql`not exists (select 1 from ${accounts} where ${accounts.email} = ${newEmail})`,
    sql`not exists (select 1 from ${staffEmails} where ${staffEmails.practiceId} = ${actor.practiceId} and ${staffEmails.email} = ${newEmail} and ${staffEmails.staffId} <> ${staffId})`,
  )
  const isNew = eq(loginEmailChanges.id, id)
  const accountOf = sql`(select ${accounts.id} from ${accounts} where ${ofStaff})`
  const message = outboxValues(clock, {
    practiceId: actor.practiceId,
    recipient: newEmail,
    template: 'login-email-verify',
    refId: id,
    // Filled in below from the reads; the row written takes the same names in SQL.
    params: { practiceName: '', firstName: '', expiresAt: expiresAt.toISOString(), timeZone: '', language: 'en' },
  })
  const [[member], [account], [practice], [login], [listed], inserted] = await db.batch([
    db
      .select({ firstName: staff.firstName, language: staff.language })
      .from(staff)
      .where(and(eq(staff.id, staffId), eq(staff.practiceId, actor.practiceId))),
    db.select({ id: accounts.id, email: accounts.email }).from(accounts).where(ofStaff),
    db.select().from(practices).where(eq(practices.id, actor.practiceId)),
    db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, newEmail)),
    db
      .select({ id: staffEmails.id })
      .from(staffEmails)
      .where(and(eq(staffEmails.practiceId, actor.practiceId), eq(staffEmails.email, newEmail), ne(staffEmails.staffId, staffId))),
    db
      .insert(loginEmailChanges)
      .select(
        db
          .select({
            id: sql<string>`${id}`.as('id'),
            secretHash: sql<string>`${secretHash}`.as('secret_hash'),
            accountId: sql<string>`${accounts.id}`.as('account_id'),
            practiceId: sql<string>`${actor.practiceId}`.as('practice_id'),
            newEmail: sql<string>`${newEmail}`.as('new_email'),
            requestedByAccountId: sql<string>`${actor.accountId}`.as('requested_by_account_id'),
            createdAt: sql<number>`${now.getTime()}`.as('created_at'),
            expiresAt: sql<number>`${expiresAt.getTime()}`.as('expires_at'),
            usedAt: sql<null>`null`.as('used_at'),
            replacedAt: sql<null>`null`.as('replaced_at'),
          })
          .from(accounts)
          .where(allowed),
      )
      .returning({ id: loginEmailChanges.id }),
    // A newer request voids an older one: the account's earlier live links end, once this one exists.
    db
      .update(loginEmailChanges)
      .set({ replacedAt: now })
      .where(
        and(
          eq(loginEmailChanges.accountId, accountOf),
          isLiveChange(now),
          ne(loginEmailChanges.id, id),
          sql`exists (select 1 from ${loginEmailChanges} where ${isNew})`,
        ),
      ),
    insertOutboxFrom(
      db,
      clock,
      {
        id: message.id,
        practiceId: actor.practiceId,
        template: 'login-email-verify',
        refId: id,
        recipient: sql`${newEmail}`,
        params: {
          practiceName: sql`(select ${practices.name} from ${practices} where ${practices.id} = ${actor.practiceId})`,
          firstName: sql`(select ${staff.firstName} from ${staff} where ${staff.id} = ${staffId})`,
          expiresAt: expiresAt.toISOString(),
          timeZone: sql`(select ${practices.timeZone} from ${practices} where ${practices.id} = ${actor.practiceId})`,
          language: sql`(select ${staff.language} from ${staff} where ${staff.id} = ${staffId})`,
        },
      },
      (fields) => db.select(fields).from(loginEmailChanges).where(isNew),
    ),
    insertAuditWhere(
      db,
      now,
      {
        practiceId: loginEmailChanges.practiceId,
        actorAccountId: actor.accountId,
        targetStaffId: staffId,
        event: 'account.email_change_requested',
        ip: actor.ip,
        detail: `to ${newEmail}`,
      },
      loginEmailChanges,
      isNew,
    ),
  ])
  if (!member || !practice) return { ok: false, reason: 'not-found' }
  if (!account) return { ok: false, reason: 'no-account' }
  if (account.email === newEmail) return { ok: false, reason: 'same' }
  if (login || listed) return { ok: false, reason: 'unavailable' }
  // The same conditions in SQL and here, on the same snapshot: a refusal above wrote nothing.
  if (inserted.length === 0) return { ok: false, reason: 'not-found' }
  message.params = JSON.stringify({
    practiceName: practice.name,
    firstName: member.firstName,
    expiresAt: expiresAt.toISOString(),
    timeZone: practice.timeZone,
    language: member.language,
  })
  // How the delivery went is written by the caller's next batch (the panel's read): `record`.
  const delivery = await sendEmail(deps, message, practice.senderName || practice.name, loginEmailLink(config, token))
  return { ok: true, to: newEmail, delivered: delivery.ok, record: delivery.record }
}
