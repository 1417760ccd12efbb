import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm'
import { accounts, auditEvents, emailOutbox, invitations, practices, staff, staffEmails, type OutboxEmail } from '../../db/schema'
import { formatDate, fullName } from '../../views/format'
import { auditValues } from '../audit/audit'
import { hashPassword } from '../auth/password'
import { issueToken, parseToken, verifySecret } from '../auth/tokens'
import type { Clock } from '../clock'
import type { Config } from '../config'
import type { Database } from '../db'
import { deliverEmail, outboxValues, type MailDeps } from '../email/outbox'
import type { Actor } from '../staff/staff'

const DAY_MS = 24 * 60 * 60 * 1000

export interface InvitationDeps extends MailDeps {
  config: Config
}

/** An invitation can be used while it is neither used, revoked, replaced nor expired. */
export const isPending = (now: Date) =>
  and(isNull(invitations.usedAt), isNull(invitations.revokedAt), isNull(invitations.replacedAt), gt(invitations.expiresAt, now))

export const invitationLink = (config: Config, token: string) => `${config.APP_URL}/invite/${token}`

export type SendInvitationResult =
  | { ok: true; invitationId: string; delivered: boolean; resent: boolean }
  | { ok: false; reason: 'not-found' | 'signed-up' | 'inactive' | 'unknown-email' | 'address-taken' }

/**
 * Sends (or sends again) an invitation to one of the staff member's addresses. A new
 * invitation replaces any pending one, so only the newest link works.
 */
export async function sendInvitation(
  deps: InvitationDeps,
  // accountId is null when no one in the practice sends it: the first admin's invitation at onboarding.
  actor: Omit<Actor, 'accountId'> & { accountId: string | null; name: string },
  staffId: string,
  email: string,
): Promise<SendInvitationResult> {
  const { db, clock, config } = deps
  const now = clock.now()
  const [[member], emails, [account], [taken], [practice], pending] = await db.batch([
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
    db
      .select({ id: invitations.id })
      .from(invitations)
      .where(and(eq(invitations.staffId, staffId), isPending(now))),
  ])
  if (!member || !practice) return { ok: false, reason: 'not-found' }
  if (account) return { ok: false, reason: 'signed-up' }
  if (!member.isActive) return { ok: false, reason: 'inactive' }
  if (!emails.some((e) => e.email === email)) return { ok: false, reason: 'unknown-email' }
  // An address holds an account in one practice only; say so without naming the other practice.
  if (taken) return { ok: false, reason: 'address-taken' }

  const { id, token, secretHash } = issueToken()
  const expiresAt = new Date(now.getTime() + config.INVITE_TTL_DAYS * DAY_MS)
  const resent = pending.length > 0
  const outbox = outboxValues(clock, {
    practiceId: actor.practiceId,
    recipient: email,
    template: 'invitation',
    refId: id,
    params: {
      practiceName: practice.name,
      firstName: member.firstName,
      inviterName: actor.name,
      expiresOn: formatDate(expiresAt, practice.timeZone),
    },
  })
  await db.batch([
    db
      .update(invitations)
      .set({ replacedAt: now })
      .where(and(eq(invitations.staffId, staffId), isPending(now))),
    db.insert(invitations).values({
      id,
      secretHash,
      practiceId: actor.practiceId,
      staffId,
      email,
      invitedByAccountId: actor.accountId,
      createdAt: now,
      expiresAt,
    }),
    db.insert(emailOutbox).values(outbox),
    db.insert(auditEvents).values(
      auditValues(clock, {
        practiceId: actor.practiceId,
        actorAccountId: actor.accountId,
        targetStaffId: staffId,
        event: resent ? 'invitation.resent' : 'invitation.sent',
        ip: actor.ip,
        detail: `to ${email}`,
      }),
    ),
  ])
  const delivery = await deliverEmail(deps, outbox, practice.senderName || practice.name, invitationLink(config, token))
  return { ok: true, invitationId: id, delivered: delivery.ok, resent }
}

/**
 * Sends a pending invitation's email again after a failed delivery. The link that failed
 * to go out is replaced by a fresh one, since its secret was never stored.
 */
export async function retryInvitationEmail(deps: InvitationDeps, actor: Actor, staffId: string, invitationId: string): Promise<boolean> {
  const { db, clock } = deps
  const now = clock.now()
  const scope = and(
    eq(invitations.id, invitationId),
    eq(invitations.staffId, staffId),
    eq(invitations.practiceId, actor.practiceId),
    isPending(now),
  )
  const [[invitation], [message]] = await db.batch([
    db.select({ id: invitations.id }).from(invitations).where(scope),
    db.select().from(emailOutbox).where(eq(emailOutbox.refId, invitationId)).orderBy(desc(emailOutbox.createdAt)).limit(1),
  ])
  // Only a message that failed is retried: replacing the secret of a delivered link would
  // break the link the person already has.
  if (!invitation || !message || message.status !== 'failed') return false
  const result = await resendInvitationEmail(deps, { id: invitationId, practiceId: actor.practiceId, staffId }, message, {
    accountId: actor.accountId,
    ip: actor.ip,
    detail: `retry to ${message.recipient}`,
  })
  return result.resent && result.delivered
}

/** What a resend needs of the invitation's outbox row. */
export type InvitationMessage = Pick<OutboxEmail, 'id' | 'recipient' | 'template' | 'params'>

/**
 * Gives a pending invitation a fresh secret and sends its outbox message again with the new
 * link: the message that did not go out cannot be sent as it was, since its secret was never
 * stored. Shared by the admin's Retry and the scheduled retry of unsent email, which has no
 * actor (accountId null). Nothing changes, and `resent` is false, when the invitation is no
 * longer pending or not in `practiceId` (nor, when given, of `staffId`). The audit event is
 * written in the same batch as the new secret, and only when the secret was replaced.
 */
export async function resendInvitationEmail(
  deps: InvitationDeps,
  invitation: { id: string; practiceId: string; staffId?: string },
  message: InvitationMessage,
  by: { accountId: string | null; ip: string; detail: string },
): Promise<{ resent: false } | { resent: true; delivered: boolean }> {
  const { db, clock, config } = deps
  const now = clock.now()
  const scope = and(
    eq(invitations.id, invitation.id),
    eq(invitations.practiceId, invitation.practiceId),
    invitation.staffId === undefined ? undefined : eq(invitations.staffId, invitation.staffId),
    isPending(now),
  )
  const { token, secretHash } = issueToken()
  const fresh = `${invitation.id}.${parseToken(token)!.secret}`
  const [updated, , [practice]] = await db.batch([
    db.update(invitations).set({ secretHash }).where(scope).returning({ id: invitations.id }),
    db.insert(auditEvents).select(
      db
        .select({
          id: sql<null>`null`.as('id'),
          practiceId: invitations.practiceId,
          actorAccountId: sql<string | null>`${by.accountId}`.as('actor_account_id'),
          targetStaffId: invitations.staffId,
          event: sql<string>`'invitation.resent'`.as('event'),
          ip: sql<string>`${by.ip.slice(0, 64)}`.as('ip'),
          detail: sql<string>`${by.detail.slice(0, 500)}`.as('detail'),
          createdAt: sql<number>`${now.getTime()}`.as('created_at'),
        })
        .from(invitations)
        .where(and(eq(invitations.id, invitation.id), eq(invitations.secretHash, secretHash))),
    ),
    db.select({ name: practices.name, senderName: practices.senderName }).from(practices).where(eq(practices.id, invitation.practiceId)),
  ])
  if (updated.length === 0 || !practice) return { resent: false }
  const delivery = await deliverEmail(deps, message, practice.senderName || practice.name, invitationLink(config, fresh))
  return { resent: true, delivered: delivery.ok }
}

export async function revokeInvitation(db: Database, clock: Clock, actor: Actor, staffId: string, invitationId: string): Promise<boolean> {
  const now = clock.now()
  const [revoked] = await db.batch([
    db
      .update(invitations)
      .set({ revokedAt: now })
      .where(
        and(
          eq(invitations.id, invitationId),
          eq(invitations.staffId, staffId),
          eq(invitations.practiceId, actor.practiceId),
          isPending(now),
        ),
      )
      .returning({ id: invitations.id }),
    db.insert(auditEvents).select(
      db
        .select({
          id: sql<null>`null`.as('id'),
          practiceId: invitations.practiceId,
          actorAccountId: sql<string>`${actor.accountId}`.as('actor_account_id'),
          targetStaffId: invitations.staffId,
          event: sql<string>`'invitation.revoked'`.as('event'),
          ip: sql<string>`${actor.ip}`.as('ip'),
          detail: sql<string>`'to ' || ${invitations.email}`.as('detail'),
          createdAt: sql<number>`${now.getTime()}`.as('created_at'),
        })
        .from(invitations)
        .where(and(eq(invitations.id, invitationId), eq(invitations.practiceId, actor.practiceId), eq(invitations.revokedAt, now))),
    ),
  ])
  return revoked.length > 0
}

export type LinkState = 'valid' | 'expired' | 'used' | 'revoked' | 'replaced' | 'unknown'

export interface InvitationForLink {
  state: LinkState
  invitation?: { id: string; email: string; staffId: string; practiceId: string }
  person?: { firstName: string; lastName: string; practiceName: string }
}

/** Looks a link up without changing anything: mail scanners may open it first. */
export async function findInvitationByToken(db: Database, clock: Clock, token: string): Promise<InvitationForLink> {
  const parsed = parseToken(token)
  if (!parsed) return { state: 'unknown' }
  const [row] = await db
    .select({
      invitation: invitations,
      firstName: staff.firstName,
      lastName: staff.lastName,
      practiceName: practices.name,
    })
    .from(invitations)
    .innerJoin(staff, eq(staff.id, invitations.staffId))
    .innerJoin(practices, eq(practices.id, invitations.practiceId))
    .where(eq(invitations.id, parsed.id))
  if (!row || !verifySecret(parsed.secret, row.invitation.secretHash)) return { state: 'unknown' }
  const { invitation } = row
  const state: LinkState = invitation.usedAt
    ? 'used'
    : invitation.revokedAt
      ? 'revoked'
      : invitation.replacedAt
        ? 'replaced'
        : invitation.expiresAt.getTime() <= clock.now().getTime()
          ? 'expired'
          : 'valid'
  return {
    state,
    invitation: { id: invitation.id, email: invitation.email, staffId: invitation.staffId, practiceId: invitation.practiceId },
    person: { firstName: row.firstName, lastName: row.lastName, practiceName: row.practiceName },
  }
}

export function passwordContext(person: { firstName: string; lastName: string; practiceName: string }, email: string) {
  return [person.firstName, person.lastName, email, person.practiceName, fullName(person)]
}

/**
 * Creates the account and uses up the invitation in one atomic batch. The insert only
 * happens while the invitation is still pending, so of two simultaneous posts exactly one
 * makes an account; the other finds the link used.
 */
export async function acceptInvitation(
  db: Database,
  clock: Clock,
  invitationId: string,
  password: string,
  meta: { ip: string },
): Promise<{ ok: true; email: string } | { ok: false }> {
  const now = clock.now()
  const passwordHash = await hashPassword(password)
  const accountId = issueToken().id
  const pendingInvitation = and(eq(invitations.id, invitationId), isPending(now))
  const [created] = await db.batch([
    db
      .insert(accounts)
      .select(
        db
          .select({
            id: sql<string>`${accountId}`.as('id'),
            practiceId: invitations.practiceId,
            staffId: invitations.staffId,
            email: invitations.email,
            passwordHash: sql<string>`${passwordHash}`.as('password_hash'),
            disabledAt: sql<null>`null`.as('disabled_at'),
            lastLoginAt: sql<null>`null`.as('last_login_at'),
            passwordChangedAt: sql<number>`${now.getTime()}`.as('password_changed_at'),
            createdAt: sql<number>`${now.getTime()}`.as('created_at'),
          })
          .from(invitations)
          .where(pendingInvitation),
      )
      .onConflictDoNothing()
      .returning({ email: accounts.email, practiceId: accounts.practiceId, staffId: accounts.staffId }),
    db
      .update(invitations)
      .set({ usedAt: now })
      .where(and(pendingInvitation, sql`exists (select 1 from ${accounts} where ${accounts.id} = ${accountId})`)),
    db.insert(auditEvents).select(
      db
        .select({
          id: sql<null>`null`.as('id'),
          practiceId: accounts.practiceId,
          actorAccountId: accounts.id,
          targetStaffId: accounts.staffId,
          event: sql<string>`'account.created'`.as('event'),
          ip: sql<string>`${meta.ip}`.as('ip'),
          detail: sql<string>`''`.as('detail'),
          createdAt: sql<number>`${now.getTime()}`.as('created_at'),
        })
        .from(accounts)
        .where(eq(accounts.id, accountId)),
    ),
  ])
  const account = created[0]
  return account ? { ok: true, email: account.email } : { ok: false }
}
