import { and, eq, sql } from 'drizzle-orm'
import { accounts, invitations, practices, staff } from '../../db/schema'
import { insertAuditWhere } from '../audit/audit'
import { isLiveLink, linkState, type LinkState } from '../auth/link-state'
import { hashPassword } from '../auth/password'
import { parseToken, verifySecret } from '../auth/tokens'
import type { Deps } from '../deps'
import { generateId } from '../ids'
import { stillOnProfile } from './profile-revocations'
import { fullName } from '../text/format'
import type { Locale } from '../text/locale'

/**
 * Where an invitation link stands for the person holding it. 'withdrawn': the profile it was for
 * is inactive or no longer lists its address, or an edit revoked it for that reason.
 */
export type InvitationLinkState = LinkState | 'withdrawn'

export interface InvitationForLink {
  state: InvitationLinkState
  invitation?: { id: string; email: string; staffId: string; practiceId: string }
  person?: { firstName: string; lastName: string; practiceName: string; language: Locale }
}

/** Looks a link up without changing anything: mail scanners may open it first. */
export async function findInvitationByToken(deps: Pick<Deps, 'db' | 'clock'>, token: string): Promise<InvitationForLink> {
  const parsed = parseToken(token)
  if (!parsed) return { state: 'unknown' }
  const [row] = await deps.db
    .select({
      invitation: invitations,
      firstName: staff.firstName,
      lastName: staff.lastName,
      language: staff.language,
      practiceName: practices.name,
      onProfile: sql<number>`${stillOnProfile}`,
    })
    .from(invitations)
    .innerJoin(staff, eq(staff.id, invitations.staffId))
    .innerJoin(practices, eq(practices.id, invitations.practiceId))
    .where(eq(invitations.id, parsed.id))
  if (!row || !verifySecret(parsed.secret, row.invitation.secretHash)) return { state: 'unknown' }
  const { invitation } = row
  const state = linkState(invitation, deps.clock.now())
  const withdrawn = (state === 'valid' && !row.onProfile) || (state === 'revoked' && invitation.revokedReason !== null)
  return {
    state: withdrawn ? 'withdrawn' : state,
    invitation: { id: invitation.id, email: invitation.email, staffId: invitation.staffId, practiceId: invitation.practiceId },
    person: { firstName: row.firstName, lastName: row.lastName, practiceName: row.practiceName, language: row.language },
  }
}

/** The words a guessable password would be made of, for checkNewPassword. */
export function passwordContext(person: { firstName: string; lastName: string; practiceName: string }, email: string) {
  return [person.firstName, person.lastName, email, person.practiceName, fullName(person)]
}

/**
 * Creates the account and uses up the invitation in one atomic batch. The insert only
 * happens while the invitation is still pending, so of two simultaneous posts exactly one
 * makes an account; the other finds the link used. The same write re-checks that the profile
 * is active and still lists the address, so an edit landing after the page was opened wins.
 */
export async function acceptInvitation(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { invitationId: string; password: string; ip: string },
): Promise<{ ok: true; email: string } | { ok: false }> {
  const { db } = deps
  const now = deps.clock.now()
  const passwordHash = await hashPassword(input.password)
  const accountId = generateId()
  const pendingInvitation = and(eq(invitations.id, input.invitationId), isLiveLink(invitations, now), stillOnProfile)
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
    insertAuditWhere(
      db,
      now,
      {
        practiceId: accounts.practiceId,
        actorAccountId: accounts.id,
        targetStaffId: accounts.staffId,
        event: 'account.created',
        ip: input.ip,
        detail: '',
      },
      accounts,
      eq(accounts.id, accountId),
    ),
  ])
  const account = created[0]
  return account ? { ok: true, email: account.email } : { ok: false }
}
