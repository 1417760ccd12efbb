import { and, eq, ne, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { accounts, invitations, practices, staff, staffEmails } from '../../db/schema'
import { actorAuditFrom, insertAuditWhere, type Actor } from '../audit/audit'
import { isLiveLink } from '../auth/link-state'
import { issueToken } from '../auth/tokens'
import type { Config } from '../config'
import type { Deps } from '../deps'
import { insertOutboxFrom, outboxValues, sendEmail, type DeliveryRecord } from '../email/outbox'

const DAY_MS = 24 * 60 * 60 * 1000

export type InvitationDeps = Pick<Deps, 'db' | 'clock' | 'mailer' | 'logger' | 'config'>

export const invitationLink = (config: Config, token: string) => `${config.APP_URL}/invite/${token}`

/** Who sends an invitation; accountId is null when no one in the practice does (the first admin's, at onboarding). */
export type Inviter = Omit<Actor, 'accountId'> & { accountId: string | null; name: string }

export type SendInvitationResult =
  // record: with `leaveRecord`, the statement that writes how the delivery went, for the caller's next batch.
  | { ok: true; invitationId: string; delivered: boolean; resent: boolean; record?: DeliveryRecord }
  | { ok: false; reason: 'not-found' | 'signed-up' | 'inactive' | 'unknown-email' | 'address-taken' }

/**
 * Sends (or sends again) an invitation to one of the staff member's addresses. A new
 * invitation replaces any pending one, so only the newest link works.
 */
export async function sendInvitation(
  deps: InvitationDeps,
  input: { actor: Inviter; staffId: string; email: string; leaveRecord?: boolean },
): Promise<SendInvitationResult> {
  const { db, clock, config } = deps
  const { actor, staffId, email } = input
  const now = clock.now()
  const { id, token, secretHash } = issueToken()
  const expiresAt = new Date(now.getTime() + config.INVITE_TTL_DAYS * DAY_MS)
  const pendingOfStaff = and(eq(invitations.staffId, staffId), isLiveLink(invitations, now))
  // One batch (one transaction): the reads that say why not, then the writes, each under the
  // same conditions in SQL, so a refused invitation writes nothing. The writes key on the new
  // invitation's id, fresh from issueToken: only the insert of this batch can have made it.
  const allowed = and(
    sql`exists (select 1 from ${staff} where ${staff.id} = ${staffId} and ${staff.practiceId} = ${actor.practiceId} and ${staff.isActive} = 1)`,
    sql`exists (select 1 from ${practices} where ${practices.id} = ${actor.practiceId})`,
    sql`exists (select 1 from ${staffEmails} where ${staffEmails.staffId} = ${staffId} and ${staffEmails.practiceId} = ${actor.practiceId} and ${staffEmails.email} = ${email})`,
    sql`not exists (select 1 from ${accounts} where ${accounts.staffId} = ${staffId})`,
    sql`not exists (select 1 from ${accounts} where ${accounts.email} = ${email})`,
  )
  const isNew = eq(invitations.id, id)
  const earlier = alias(invitations, 'earlier')
  const earlierPending = db
    .select({ id: earlier.id })
    .from(earlier)
    .where(and(eq(earlier.staffId, staffId), isLiveLink(earlier, now), ne(earlier.id, id)))
  const audit = (event: 'invitation.sent' | 'invitation.resent') => actorAuditFrom(actor, invitations, event, `to ${email}`)
  const outbox = outboxValues(clock, {
    practiceId: actor.practiceId,
    recipient: email,
    template: 'invitation',
    refId: id,
    // Filled in below from the reads; the row written takes the same names in SQL.
    params: { practiceName: '', firstName: '', inviterName: actor.name, expiresOn: expiresAt.toISOString(), timeZone: '', language: 'en' },
  })
  const [[member], emails, [account], [taken], [practice], pending, inserted] = await db.batch([
    db
      .select()
      .from(staff)
      .where(and(eq(staff.id, staffId), eq(staff.practiceId, actor.practiceId))),
    db
      .select({ email: staffEmails.email })
      .from(staffEmails)
      .where(and(eq(staffEmails.staffId, staffId), eq(staffEmails.practiceId, actor.practiceId))),
    db.select({ id: accounts.id }).from(accounts).where(eq(accounts.staffId, staffId)),
    db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email)),
    db.select().from(practices).where(eq(practices.id, actor.practiceId)),
    db.select({ id: invitations.id }).from(invitations).where(pendingOfStaff),
    db
      .insert(invitations)
      .select(
        db
          .select({
            id: sql<string>`${id}`.as('id'),
            secretHash: sql<string>`${secretHash}`.as('secret_hash'),
            practiceId: sql<string>`${actor.practiceId}`.as('practice_id'),
            staffId: sql<string>`${staffId}`.as('staff_id'),
            email: sql<string>`${email}`.as('email'),
            invitedByAccountId: sql<string | null>`${actor.accountId}`.as('invited_by_account_id'),
            createdAt: sql<number>`${now.getTime()}`.as('created_at'),
            expiresAt: sql<number>`${expiresAt.getTime()}`.as('expires_at'),
            usedAt: sql<null>`null`.as('used_at'),
            revokedAt: sql<null>`null`.as('revoked_at'),
            revokedReason: sql<null>`null`.as('revoked_reason'),
            replacedAt: sql<null>`null`.as('replaced_at'),
            batchId: sql<null>`null`.as('batch_id'),
          })
          .from(practices)
          .where(and(eq(practices.id, actor.practiceId), allowed)),
      )
      .returning({ id: invitations.id }),
    // Audited before the replacement below, which ends the earlier pending links this reads.
    insertAuditWhere(db, now, audit('invitation.resent'), invitations, and(isNew, sql`exists ${earlierPending}`)),
    insertAuditWhere(db, now, audit('invitation.sent'), invitations, and(isNew, sql`not exists ${earlierPending}`)),
    // Only the newest link works: the pending ones before this one end now.
    db
      .update(invitations)
      .set({ replacedAt: now })
      .where(and(pendingOfStaff, ne(invitations.id, id), sql`exists (select 1 from ${invitations} where ${isNew})`)),
    insertOutboxFrom(
      db,
      clock,
      {
        id: outbox.id,
        practiceId: actor.practiceId,
        template: 'invitation',
        refId: id,
        recipient: sql`${email}`,
        params: {
          practiceName: sql`(select ${practices.name} from ${practices} where ${practices.id} = ${invitations.practiceId})`,
          firstName: sql`(select ${staff.firstName} from ${staff} where ${staff.id} = ${invitations.staffId})`,
          inviterName: actor.name,
          expiresOn: expiresAt.toISOString(),
          timeZone: sql`(select ${practices.timeZone} from ${practices} where ${practices.id} = ${invitations.practiceId})`,
          language: sql`(select ${staff.language} from ${staff} where ${staff.id} = ${invitations.staffId})`,
        },
      },
      (fields) => db.select(fields).from(invitations).where(isNew),
    ),
  ])
  if (!member || !practice) return { ok: false, reason: 'not-found' }
  if (account) return { ok: false, reason: 'signed-up' }
  if (!member.isActive) return { ok: false, reason: 'inactive' }
  if (!emails.some((e) => e.email === email)) return { ok: false, reason: 'unknown-email' }
  // An address holds an account in one practice only; say so without naming the other practice.
  if (taken) return { ok: false, reason: 'address-taken' }
  // The same conditions in SQL and here, on the same snapshot: a refusal above wrote nothing.
  if (inserted.length === 0) return { ok: false, reason: 'not-found' }
  const resent = pending.length > 0
  outbox.params = JSON.stringify({
    practiceName: practice.name,
    firstName: member.firstName,
    inviterName: actor.name,
    expiresOn: expiresAt.toISOString(),
    timeZone: practice.timeZone,
    language: member.language,
  })
  const delivery = await sendEmail(deps, outbox, practice.senderName || practice.name, invitationLink(config, token))
  if (!input.leaveRecord) await delivery.record
  return { ok: true, invitationId: id, delivered: delivery.ok, resent, record: input.leaveRecord ? delivery.record : undefined }
}
