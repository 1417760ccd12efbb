import { and, eq, sql } from 'drizzle-orm'
import { invitations } from '../../db/schema'
import { actorAuditFrom, insertAuditWhere, type Actor } from '../audit/audit'
import { isLiveLink } from '../auth/link-state'
import type { Deps } from '../deps'

export async function revokeInvitation(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { actor: Actor; staffId: string; invitationId: string },
): Promise<boolean> {
  const { db } = deps
  const { actor, staffId, invitationId } = input
  const now = deps.clock.now()
  const ofPractice = and(eq(invitations.id, invitationId), eq(invitations.practiceId, actor.practiceId))
  const [revoked] = await db.batch([
    db
      .update(invitations)
      .set({ revokedAt: now })
      .where(and(ofPractice, eq(invitations.staffId, staffId), isLiveLink(invitations, now)))
      .returning({ id: invitations.id }),
    insertAuditWhere(
      db,
      now,
      actorAuditFrom(actor, invitations, 'invitation.revoked', sql`'to ' || ${invitations.email}`),
      invitations,
      and(ofPractice, eq(invitations.revokedAt, now)),
    ),
  ])
  return revoked.length > 0
}
