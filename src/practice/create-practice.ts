import { eq, sql } from 'drizzle-orm'
import { accounts, practices, staff, staffEmails } from '../../db/schema'
import { insertAudit } from '../audit/audit'
import { isUniqueViolation } from '../db'
import { generateId } from '../ids'
import { sendInvitation, type InvitationDeps, type SendInvitationResult } from '../invitations/invitation'
import type { NewPracticeInput } from './practice-input'

/** Who sends the first admin's invitation: nobody in the practice yet. */
export const ONBOARDING_INVITER = 'The Staff Portal team'

export type CreatePracticeResult =
  | { ok: true; practiceId: string; staffId: string; timeZone: string; invitation: SendInvitationResult }
  | { ok: false; reason: 'name-taken' | 'email-taken' }

/** A practice with this name in any letter case: a name is taken so, and two practices never read alike. */
const practiceNamed = (name: string) => sql`lower(${practices.name}) = lower(${name})`

/**
 * Onboards a practice: the practice, its first admin's staff profile and the audit row in one
 * batch, then the same invitation every staff member gets. An address holds an account in
 * one practice only, so an admin address that already has one is refused.
 */
export async function createPractice(deps: InvitationDeps, input: NewPracticeInput): Promise<CreatePracticeResult> {
  const { db, clock, config } = deps
  const [[nameTaken], [emailTaken]] = await db.batch([
    db.select({ id: practices.id }).from(practices).where(practiceNamed(input.name)).limit(1),
    db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, input.adminEmail)).limit(1),
  ])
  if (nameTaken) return { ok: false, reason: 'name-taken' }
  if (emailTaken) return { ok: false, reason: 'email-taken' }

  const practiceId = generateId()
  const staffId = generateId()
  const timeZone = input.timeZone ?? config.DEFAULT_TIME_ZONE
  const now = clock.now()
  try {
    await db.batch([
      db.insert(practices).values({ id: practiceId, name: input.name, timeZone, createdAt: now }),
      db.insert(staff).values({
        id: staffId,
        practiceId,
        firstName: input.adminFirstName,
        lastName: input.adminLastName,
        role: 'admin',
        createdAt: now,
        updatedAt: now,
      }),
      db.insert(staffEmails).values({ id: generateId(), practiceId, staffId, email: input.adminEmail, isPrimary: true, position: 0 }),
      insertAudit(db, now, {
        practiceId,
        targetStaffId: staffId,
        event: 'practice.created',
        detail: `${input.name}; first admin ${input.adminEmail}; time zone ${timeZone}`,
      }),
    ])
  } catch (error) {
    // Two onboardings racing for one name: the unique index decides.
    if (isUniqueViolation(error)) return { ok: false, reason: 'name-taken' }
    throw error
  }
  const invitation = await sendInvitation(deps, {
    actor: { practiceId, accountId: null, ip: '', name: ONBOARDING_INVITER },
    staffId,
    email: input.adminEmail,
  })
  return { ok: true, practiceId, staffId, timeZone, invitation }
}
