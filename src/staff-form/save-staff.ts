import type { Actor } from '../audit/audit'
import { isUniqueViolation } from '../db'
import type { Deps } from '../deps'
import { generateId } from '../ids'
import { revokeInvitationsOffProfile } from '../invitations/profile-revocations'
import {
  addStaffStatements,
  duplicateEmailsQuery,
  editStaffStatements,
  findDuplicateEmails,
  profileValues,
  staffExists,
  staffExistsQuery,
} from '../staff/staff'
import { emailsOf, type StaffInput } from '../staff/staff-input'

// The staff form's Save (Add Staff and Edit). It sits above the staff module, which writes the
// profile, and the invitations module, which revokes an invitation whose address or active
// profile an edit took away: one batch, so an edit and the revocations it causes land together.

export type SaveStaffResult =
  { ok: true; staffId: string } | { ok: false; reason: 'not-found' | 'last-admin' } | { ok: false; duplicates: string[] }

/**
 * Adds a staff profile (no staffId) or edits one, with its addresses, and audits it. An address
 * another profile of the practice uses is refused, by name. Marking the profile of the practice's
 * last admin who can log in inactive is refused ('last-admin'): the check is in the UPDATE's own
 * condition and the rest of the batch acts only when that UPDATE did, so two admins marking each
 * other inactive at once cannot both succeed.
 */
export async function saveStaff(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { actor: Actor; staffId?: string; staff: StaffInput },
): Promise<SaveStaffResult> {
  const { db } = deps
  const { actor } = input
  const staffId = input.staffId ?? generateId()
  const emails = emailsOf(input.staff)
  const addresses = emails.map((e) => e.email)
  const duplicates = await checkEdit(db, actor, addresses, input.staffId)
  if (duplicates === 'not-found') return { ok: false, reason: 'not-found' }
  if (duplicates.length > 0) return { ok: false, duplicates }
  const now = deps.clock.now()
  const profile = profileValues(input.staff, now)
  try {
    if (input.staffId === undefined) await db.batch(addStaffStatements(db, now, { actor, staffId, profile, emails }))
    else {
      const [updated] = await db.batch([
        ...editStaffStatements(db, now, { actor, staffId, profile, emails }),
        // It reads the profile as the batch left it, so an edit refused above revokes nothing.
        ...revokeInvitationsOffProfile(db, now, { actor, staffId }),
      ])
      if (updated.length === 0) return { ok: false, reason: (await staffExists(db, actor, staffId)) ? 'last-admin' : 'not-found' }
    }
  } catch (error) {
    // Two saves racing for the same address: the unique index decides, and we say so the same way.
    if (isUniqueViolation(error)) return { ok: false, duplicates: addresses }
    throw error
  }
  return { ok: true, staffId }
}

/**
 * The profile's presence (an edit) and the addresses another profile uses, read in one call: two
 * reads, nothing written, and the edit's batch still carries its own guards.
 */
async function checkEdit(db: Deps['db'], actor: Actor, addresses: string[], staffId: string | undefined) {
  if (staffId === undefined) return findDuplicateEmails(db, actor.practiceId, addresses)
  const [found, duplicates] = await db.batch([
    staffExistsQuery(db, actor, staffId),
    duplicateEmailsQuery(db, actor.practiceId, addresses, staffId),
  ])
  if (found.length === 0) return 'not-found' as const
  return duplicates.map((row) => row.email)
}
