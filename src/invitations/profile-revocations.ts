import { and, eq, sql } from 'drizzle-orm'
import { invitations, staff, staffEmails, type Invitation } from '../../db/schema'
import { actorAuditFrom, insertAuditWhere, type Actor } from '../audit/audit'
import { isLiveLink } from '../auth/link-state'
import type { Database } from '../db'

// An invitation is for an address on an active profile: an edit that takes either away revokes
// it. The staff form's Save (src/staff-form/save-staff.ts) puts these statements in its batch.

/** Why an edit of a profile revoked an invitation, as the audit says it. */
export type ProfileRevocation = NonNullable<Invitation['revokedReason']>

const REVOCATION_REASONS: Record<ProfileRevocation, string> = {
  'address-removed': 'the address was removed from the profile',
  inactive: 'the profile was made inactive',
}

const profileIsActive = sql`exists (select 1 from ${staff} where ${staff.id} = ${invitations.staffId} and ${staff.isActive} = 1)`
const addressOnProfile = sql`exists (select 1 from ${staffEmails} where ${staffEmails.staffId} = ${invitations.staffId} and ${staffEmails.email} = ${invitations.email})`

/** A condition on an invitations row: its profile is active and still lists its address. */
export const stillOnProfile = sql`(${profileIsActive} and ${addressOnProfile})`

/**
 * The statements that revoke a profile's pending invitations that its saved state leaves without
 * a target: all of them when the profile is inactive, else those to an address no longer on file.
 * They read the profile as the batch left it (so an edit refused in its own WHERE revokes nothing)
 * and go after the edit in the same batch, so no link outlives it; each revocation is audited.
 */
export function revokeInvitationsOffProfile(db: Database, now: Date, input: { actor: Actor; staffId: string }) {
  const { actor, staffId } = input
  const revoked = and(
    eq(invitations.staffId, staffId),
    eq(invitations.practiceId, actor.practiceId),
    isLiveLink(invitations, now),
    sql`not ${stillOnProfile}`,
  )
  const reason = sql<ProfileRevocation>`case when ${profileIsActive} then 'address-removed' else 'inactive' end`
  const words = sql`case when ${profileIsActive} then ${REVOCATION_REASONS['address-removed']} else ${REVOCATION_REASONS.inactive} end`
  // The audit rows first, from the very rows the update then revokes: one per invitation.
  return [
    insertAuditWhere(
      db,
      now,
      actorAuditFrom(actor, invitations, 'invitation.revoked', sql`'to ' || ${invitations.email} || ': ' || ${words}`),
      invitations,
      revoked,
    ),
    db.update(invitations).set({ revokedAt: now, revokedReason: reason }).where(revoked),
  ] as const
}
