import { and, eq, inArray } from 'drizzle-orm'
import { accounts, invitations, staff, staffEmails } from '../../db/schema'
import { isLiveLink } from '../auth/link-state'
import { fullName } from '../text/format'
import { sendInvitation, type InvitationDeps, type Inviter } from './invitation'

export const BULK_LIMIT = 100

export type SkipReason = 'already signed up' | 'invitation pending' | 'no email address' | 'inactive'

export interface BulkInviteResult {
  invited: { name: string; email: string; delivered: boolean }[]
  skipped: { name: string; reason: SkipReason }[]
}

/**
 * Invites each selected person at their primary address. Those who cannot or need not be
 * invited are skipped with the reason, so sending the same selection twice changes nothing.
 */
export async function inviteMany(deps: InvitationDeps, input: { actor: Inviter; staffIds: string[] }): Promise<BulkInviteResult> {
  const { db, clock } = deps
  const { actor, staffIds } = input
  const ids = [...new Set(staffIds)].slice(0, BULK_LIMIT)
  const result: BulkInviteResult = { invited: [], skipped: [] }
  if (ids.length === 0) return result
  const now = clock.now()
  const [people, primaries, signedUp, pending] = await db.batch([
    db
      .select({ id: staff.id, firstName: staff.firstName, lastName: staff.lastName, isActive: staff.isActive })
      .from(staff)
      .where(and(eq(staff.practiceId, actor.practiceId), inArray(staff.id, ids))),
    db
      .select({ staffId: staffEmails.staffId, email: staffEmails.email })
      .from(staffEmails)
      .where(and(eq(staffEmails.practiceId, actor.practiceId), inArray(staffEmails.staffId, ids), eq(staffEmails.isPrimary, true))),
    db
      .select({ staffId: accounts.staffId })
      .from(accounts)
      .where(and(eq(accounts.practiceId, actor.practiceId), inArray(accounts.staffId, ids))),
    db
      .select({ staffId: invitations.staffId })
      .from(invitations)
      .where(and(eq(invitations.practiceId, actor.practiceId), inArray(invitations.staffId, ids), isLiveLink(invitations, now))),
  ])
  const emailOf = new Map(primaries.map((p) => [p.staffId, p.email]))
  const signedUpIds = new Set(signedUp.map((a) => a.staffId))
  const pendingIds = new Set(pending.map((i) => i.staffId))
  for (const person of people.sort((a, b) => a.lastName.localeCompare(b.lastName))) {
    const name = fullName(person)
    const email = emailOf.get(person.id)
    const reason: SkipReason | null = signedUpIds.has(person.id)
      ? 'already signed up'
      : pendingIds.has(person.id)
        ? 'invitation pending'
        : !email
          ? 'no email address'
          : !person.isActive
            ? 'inactive'
            : null
    if (reason || !email) {
      result.skipped.push({ name, reason: reason ?? 'no email address' })
      continue
    }
    const sent = await sendInvitation(deps, { actor, staffId: person.id, email })
    if (sent.ok) result.invited.push({ name, email, delivered: sent.delivered })
    else
      result.skipped.push({
        name,
        reason: sent.reason === 'signed-up' ? 'already signed up' : sent.reason === 'inactive' ? 'inactive' : 'no email address',
      })
  }
  return result
}
