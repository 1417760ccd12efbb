import { and, desc, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import { emailOutbox, invitations, practices, type OutboxEmail } from '../../db/schema'
import { insertAuditWhere, type Actor } from '../audit/audit'
import { isLiveLink } from '../auth/link-state'
import { issueToken, parseToken } from '../auth/tokens'
import type { Database } from '../db'
import { claimOutboxRow, sendEmail, type DeliveryRecord } from '../email/outbox'
import { invitationLink, type InvitationDeps } from './invitation'

/**
 * Sends a pending invitation's email again after a failed delivery. The link that failed
 * to go out is replaced by a fresh one, since its secret was never stored.
 */
export async function retryInvitationEmail(
  deps: InvitationDeps,
  input: { actor: Actor; staffId: string; invitationId: string },
): Promise<{ delivered: boolean; record?: DeliveryRecord }> {
  const { db, clock, config } = deps
  const { actor, staffId, invitationId } = input
  const now = clock.now()
  const latest = (column: typeof emailOutbox.id | typeof emailOutbox.status | typeof emailOutbox.recipient, invitation: SQLWrapper) =>
    sql`(select ${column} from ${emailOutbox} where ${emailOutbox.refId} = ${invitation} order by ${emailOutbox.createdAt} desc limit 1)`
  // One batch: the message read, then the new secret only where the invitation is still pending
  // in this practice and its latest message failed (replacing the secret of a delivered link
  // would break the link the person already has), audited only when it took, and the message
  // taken for this send only then too. Taken in the same transaction as the secret, it is no
  // longer 'failed' to a second Retry nor due for the maintenance run while this send is under
  // way; either would replace the secret again, and the message sent here would carry a dead link.
  const secret = newSecretStatements(
    db,
    now,
    { id: invitationId, practiceId: actor.practiceId, staffId },
    { accountId: actor.accountId, ip: actor.ip, detail: sql<string>`'retry to ' || ${latest(emailOutbox.recipient, invitations.id)}` },
    sql`${latest(emailOutbox.status, invitations.id)} = 'failed'`,
  )
  const [[message], updated, , claimed, [practice]] = await db.batch([
    db.select().from(emailOutbox).where(eq(emailOutbox.refId, invitationId)).orderBy(desc(emailOutbox.createdAt)).limit(1),
    secret.update,
    secret.audit,
    claimOutboxRow(
      db,
      now,
      and(sql`${emailOutbox.id} = ${latest(emailOutbox.id, sql`${invitationId}`)}`, eq(emailOutbox.status, 'failed'), secret.took),
    ),
    practiceSenderQuery(db, actor.practiceId),
  ])
  if (updated.length === 0 || claimed.length === 0 || !message || message.status !== 'failed' || !practice) return { delivered: false }
  const delivery = await sendEmail(deps, message, practice.senderName || practice.name, invitationLink(config, secret.link))
  // The delivery's status is written by the caller's next batch (the panel's read).
  return { delivered: delivery.ok, record: delivery.record }
}

/** What a resend needs of the invitation's outbox row. */
export type InvitationMessage = Pick<OutboxEmail, 'id' | 'recipient' | 'template' | 'params'>

/**
 * Gives a pending invitation a fresh secret and sends its outbox message again with the new
 * link: the message that did not go out cannot be sent as it was, since its secret was never
 * stored. For the scheduled retry of unsent email, which has no actor (accountId null) and has
 * taken the message (claimOutboxRow) before: while it is taken, neither the admin's Retry nor
 * another run replaces the secret this sends. Nothing changes, and `resent` is false, when the
 * invitation is no longer pending or not in `practiceId` (nor, when given, of `staffId`). The
 * audit event is written in the same batch as the new secret, and only when it was replaced.
 */
export async function resendInvitationEmail(
  deps: InvitationDeps,
  input: {
    invitation: { id: string; practiceId: string; staffId?: string }
    message: InvitationMessage
    by: { accountId: string | null; ip: string; detail: string }
  },
): Promise<{ resent: false } | { resent: true; delivered: boolean }> {
  const { db, clock, config } = deps
  const { invitation, message, by } = input
  const secret = newSecretStatements(db, clock.now(), invitation, by)
  const [updated, , [practice]] = await db.batch([secret.update, secret.audit, practiceSenderQuery(db, invitation.practiceId)])
  if (updated.length === 0 || !practice) return { resent: false }
  const delivery = await sendEmail(deps, message, practice.senderName || practice.name, invitationLink(config, secret.link))
  await delivery.record
  return { resent: true, delivered: delivery.ok }
}

const practiceSenderQuery = (db: Database, practiceId: string) =>
  db.select({ name: practices.name, senderName: practices.senderName }).from(practices).where(eq(practices.id, practiceId))

/**
 * A pending invitation's new secret and its audit row, for the caller's batch: the UPDATE (under
 * `also`, when given) returns the id when it took, and the audit row is written only then (it
 * is selected by the new secret's hash, which only this UPDATE can have set).
 */
function newSecretStatements(
  db: Database,
  now: Date,
  invitation: { id: string; practiceId: string; staffId?: string },
  by: { accountId: string | null; ip: string; detail: string | SQL<string> },
  also?: SQL,
) {
  const scope = and(
    eq(invitations.id, invitation.id),
    eq(invitations.practiceId, invitation.practiceId),
    invitation.staffId === undefined ? undefined : eq(invitations.staffId, invitation.staffId),
    isLiveLink(invitations, now),
    also,
  )
  const { token, secretHash } = issueToken()
  return {
    link: `${invitation.id}.${parseToken(token)!.secret}`,
    /** True once the UPDATE took: only it can have set this secret's hash. */
    took: sql`exists (select 1 from ${invitations} where ${and(eq(invitations.id, invitation.id), eq(invitations.secretHash, secretHash))})`,
    update: db.update(invitations).set({ secretHash }).where(scope).returning({ id: invitations.id }),
    audit: insertAuditWhere(
      db,
      now,
      {
        ...by,
        practiceId: invitations.practiceId,
        actorAccountId: by.accountId,
        targetStaffId: invitations.staffId,
        event: 'invitation.resent',
      },
      invitations,
      and(eq(invitations.id, invitation.id), eq(invitations.secretHash, secretHash)),
    ),
  }
}
