import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { accounts, invitations, practices, staff, staffEmails } from '../../db/schema'
import { insertAudit } from '../audit/audit'
import { isLiveLink } from '../auth/link-state'
import { issueToken } from '../auth/tokens'
import type { Deps } from '../deps'
import { insertOutbox, outboxValues, type OutboxRow } from '../email/outbox'
import { generateId } from '../ids'
import { fullName } from '../text/format'
import { invitationLink, type InvitationDeps, type Inviter } from './invitation'

const DAY_MS = 24 * 60 * 60 * 1000

/** At most this many people in one Invite Selected ("Select all N matching" included). */
export const BULK_LIMIT = 2000

/** "invite": who has none pending; "resend": who has one pending or expired, with a fresh link. */
export type BulkMode = 'invite' | 'resend'

export type SkipReason = 'already signed up' | 'invitation pending' | 'no email address' | 'inactive' | 'nothing pending or expired'

export interface BulkPlan {
  invite: { staffId: string; name: string; firstName: string; email: string }[]
  skipped: { name: string; reason: SkipReason }[]
  /** What the invitations' emails say of the practice, read with the plan so sending needs no read of its own. */
  practice?: { name: string; senderName: string; timeZone: string } | null
}

/**
 * Who of the selected would be invited (at their primary address) and who is skipped, with the
 * reason. Read before asking to confirm, and again when confirmed, so the count asked is the
 * count sent unless something changed in between.
 */
export async function planInvitations(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { practiceId: string; staffIds: string[]; mode: BulkMode },
): Promise<BulkPlan> {
  const { db, clock } = deps
  const { practiceId, mode } = input
  const ids = [...new Set(input.staffIds)].slice(0, BULK_LIMIT)
  const plan: BulkPlan = { invite: [], skipped: [], practice: null }
  if (ids.length === 0) return plan
  const now = clock.now()
  const ofPractice = (column: typeof invitations.practiceId) => eq(column, practiceId)
  // SQLite limits bound variables per statement; 2,000 ids stay well under it.
  const [people, primaries, signedUp, pending, expired, [practice]] = await db.batch([
    db
      .select({ id: staff.id, firstName: staff.firstName, lastName: staff.lastName, isActive: staff.isActive })
      .from(staff)
      .where(and(eq(staff.practiceId, practiceId), inArray(staff.id, ids)))
      .orderBy(sql`${staff.lastName} collate nocase`, sql`${staff.firstName} collate nocase`, asc(staff.id)),
    db
      .select({ staffId: staffEmails.staffId, email: staffEmails.email })
      .from(staffEmails)
      .where(and(eq(staffEmails.practiceId, practiceId), inArray(staffEmails.staffId, ids), eq(staffEmails.isPrimary, true))),
    db
      .select({ staffId: accounts.staffId })
      .from(accounts)
      .where(and(eq(accounts.practiceId, practiceId), inArray(accounts.staffId, ids))),
    db
      .select({ staffId: invitations.staffId })
      .from(invitations)
      .where(and(ofPractice(invitations.practiceId), inArray(invitations.staffId, ids), isLiveLink(invitations, now))),
    db
      .select({ staffId: invitations.staffId })
      .from(invitations)
      .where(
        and(
          ofPractice(invitations.practiceId),
          inArray(invitations.staffId, ids),
          sql`${invitations.usedAt} is null and ${invitations.revokedAt} is null and ${invitations.replacedAt} is null and ${invitations.expiresAt} <= ${now.getTime()}`,
        ),
      ),
    db
      .select({ name: practices.name, senderName: practices.senderName, timeZone: practices.timeZone })
      .from(practices)
      .where(eq(practices.id, practiceId)),
  ])
  plan.practice = practice ?? null
  const emailOf = new Map(primaries.map((p) => [p.staffId, p.email]))
  const signedUpIds = new Set(signedUp.map((a) => a.staffId))
  const pendingIds = new Set(pending.map((i) => i.staffId))
  const expiredIds = new Set(expired.map((i) => i.staffId))
  for (const person of people) {
    const name = fullName(person)
    const email = emailOf.get(person.id)
    const reason: SkipReason | null = signedUpIds.has(person.id)
      ? 'already signed up'
      : mode === 'invite' && pendingIds.has(person.id)
        ? 'invitation pending'
        : mode === 'resend' && !pendingIds.has(person.id) && !expiredIds.has(person.id)
          ? 'nothing pending or expired'
          : !email
            ? 'no email address'
            : !person.isActive
              ? 'inactive'
              : null
    if (reason || !email) plan.skipped.push({ name, reason: reason ?? 'no email address' })
    else plan.invite.push({ staffId: person.id, name, firstName: person.firstName, email })
  }
  return plan
}

/** What is sent after the response: each outbox row with the link only this process knows. */
export interface QueuedInvitations {
  batchId: string
  fromName: string
  sends: { row: OutboxRow; link: string }[]
}

/**
 * Writes every invitation of the plan, its outbox row and its audit event in one batch (all
 * or none), replacing any pending link of the same person, and sends nothing: the caller
 * delivers after answering (deliverQueued). A host that stops first leaves the rows 'pending',
 * and the maintenance retry sends them with fresh links.
 */
export async function queueInvitations(
  deps: Pick<InvitationDeps, 'db' | 'clock' | 'config'>,
  input: { actor: Inviter; plan: BulkPlan },
): Promise<QueuedInvitations | null> {
  const { db } = deps
  const { actor, plan } = input
  const { practice } = plan
  if (!practice || plan.invite.length === 0) return null
  const { statements, queued } = invitationStatements(deps, { actor, plan, practice })
  const [first, ...rest] = statements
  await db.batch([first!, ...rest])
  return queued
}

/**
 * The statements of queueInvitations, for a caller that writes them in a batch of its own (Import
 * Staff with "Send invitations after import"), with what to deliver once that batch has landed.
 */
export function invitationStatements(
  deps: Pick<InvitationDeps, 'db' | 'clock' | 'config'>,
  input: {
    actor: Inviter
    plan: BulkPlan
    practice: Pick<typeof practices.$inferSelect, 'name' | 'timeZone' | 'senderName'>
    /** People saved in the same batch have no link to replace: a statement fewer each. */
    newPeople?: boolean
  },
) {
  const { db, clock, config } = deps
  const { actor, plan, practice } = input
  const now = clock.now()
  const expiresAt = new Date(now.getTime() + config.INVITE_TTL_DAYS * DAY_MS)
  const batchId = generateId()
  const sends: QueuedInvitations['sends'] = []
  const statements = plan.invite.flatMap((person) => {
    const { id, token, secretHash } = issueToken()
    const row = outboxValues(clock, {
      practiceId: actor.practiceId,
      recipient: person.email,
      template: 'invitation',
      refId: id,
      params: {
        practiceName: practice.name,
        firstName: person.firstName,
        inviterName: actor.name,
        expiresOn: expiresAt.toISOString(),
        timeZone: practice.timeZone,
      },
    })
    sends.push({ row, link: invitationLink(config, token) })
    const pendingOfStaff = and(eq(invitations.staffId, person.staffId), isLiveLink(invitations, now))
    return [
      ...(input.newPeople ? [] : [db.update(invitations).set({ replacedAt: now }).where(pendingOfStaff)]),
      db.insert(invitations).values({
        id,
        secretHash,
        practiceId: actor.practiceId,
        staffId: person.staffId,
        email: person.email,
        invitedByAccountId: actor.accountId,
        createdAt: now,
        expiresAt,
        batchId,
      }),
      insertOutbox(db, row),
      insertAudit(db, now, {
        practiceId: actor.practiceId,
        actorAccountId: actor.accountId,
        targetStaffId: person.staffId,
        event: 'invitation.sent',
        ip: actor.ip,
        detail: `to ${person.email}`,
      }),
    ]
  })
  return { statements, queued: { batchId, fromName: practice.senderName || practice.name, sends } satisfies QueuedInvitations }
}
