import { and, eq, inArray, ne } from 'drizzle-orm'
import { staff, staffEmails } from '../../db/schema'
import { insertAudit, insertAuditWhere, type Actor } from '../audit/audit'
import { isUniqueViolation, type Database } from '../db'
import type { Deps } from '../deps'
import { generateId } from '../ids'
import { revokeInvitationsOffProfile } from '../invitations/invitation'
import type { Locale } from '../text/locale'
import { PLACEHOLDER_NAME } from './placeholder-name'
import { emailsOf, type StaffInput } from './staff-input'

export type SaveStaffResult = { ok: true; staffId: string } | { ok: false; reason: 'not-found' } | { ok: false; duplicates: string[] }

async function findDuplicateEmails(db: Database, practiceId: string, emails: string[], exceptStaffId?: string) {
  const rows = await db
    .select({ email: staffEmails.email })
    .from(staffEmails)
    .where(
      and(
        eq(staffEmails.practiceId, practiceId),
        inArray(staffEmails.email, emails),
        exceptStaffId ? ne(staffEmails.staffId, exceptStaffId) : undefined,
      ),
    )
  return rows.map((row) => row.email)
}

/**
 * Adds a staff profile (no staffId) or edits one, with its addresses, and audits it. An address
 * another profile of the practice uses is refused, by name.
 */
export async function saveStaff(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { actor: Actor; staffId?: string; staff: StaffInput },
): Promise<SaveStaffResult> {
  const { db } = deps
  const { actor, staff: values } = input
  const editing = input.staffId !== undefined
  const staffId = input.staffId ?? generateId()
  const scope = and(eq(staff.id, staffId), eq(staff.practiceId, actor.practiceId))
  if (editing) {
    const [existing] = await db.select({ id: staff.id }).from(staff).where(scope)
    if (!existing) return { ok: false, reason: 'not-found' }
  }
  const emails = emailsOf(values)
  const addresses = emails.map((e) => e.email)
  const duplicates = await findDuplicateEmails(db, actor.practiceId, addresses, input.staffId)
  if (duplicates.length > 0) return { ok: false, duplicates }
  const now = deps.clock.now()
  const profile = {
    firstName: values.firstName,
    lastName: values.lastName,
    credentials: values.credentials,
    phone: values.phone,
    isActive: values.active,
    ...(values.language && { language: values.language }),
    updatedAt: now,
  }
  const audit = insertAudit(db, now, {
    practiceId: actor.practiceId,
    actorAccountId: actor.accountId,
    targetStaffId: staffId,
    event: editing ? 'staff.updated' : 'staff.created',
    ip: actor.ip,
  })
  const insertEmails = db.insert(staffEmails).values(emails.map((e) => ({ ...e, id: generateId(), practiceId: actor.practiceId, staffId })))
  try {
    if (editing)
      await db.batch([
        db.update(staff).set(profile).where(scope),
        db.delete(staffEmails).where(and(eq(staffEmails.staffId, staffId), eq(staffEmails.practiceId, actor.practiceId))),
        insertEmails,
        audit,
        // In the same write: a link must not outlive the address or the active profile it was for.
        ...revokeInvitationsOffProfile(db, now, { actor, staffId }),
      ])
    else
      await db.batch([
        db.insert(staff).values({ ...profile, id: staffId, practiceId: actor.practiceId, createdAt: now }),
        insertEmails,
        audit,
      ])
  } catch (error) {
    // Two saves racing for the same address: the unique index decides, and we say so the same way.
    if (isUniqueViolation(error)) return { ok: false, duplicates: addresses }
    throw error
  }
  return { ok: true, staffId }
}

/**
 * The first admin gives their real name in place of the bootstrap placeholder. Only a name that
 * is still the placeholder changes: otherwise names are the admin's to edit, on the staff form.
 */
export async function saveOwnName(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { actor: Actor; staffId: string; firstName: string; lastName: string },
): Promise<{ ok: boolean }> {
  const { db } = deps
  const { actor, staffId } = input
  const now = deps.clock.now()
  const placeholder = and(
    eq(staff.id, staffId),
    eq(staff.practiceId, actor.practiceId),
    eq(staff.firstName, PLACEHOLDER_NAME.firstName),
    eq(staff.lastName, PLACEHOLDER_NAME.lastName),
  )
  const [updated] = await db.batch([
    db
      .update(staff)
      .set({ firstName: input.firstName, lastName: input.lastName, updatedAt: now })
      .where(placeholder)
      .returning({ id: staff.id }),
    insertAuditWhere(
      db,
      now,
      {
        practiceId: staff.practiceId,
        actorAccountId: actor.accountId,
        targetStaffId: staff.id,
        event: 'staff.updated',
        ip: actor.ip,
        detail: 'own name, at first login',
      },
      staff,
      and(
        eq(staff.id, staffId),
        eq(staff.practiceId, actor.practiceId),
        eq(staff.firstName, input.firstName),
        eq(staff.lastName, input.lastName),
        eq(staff.updatedAt, now),
      ),
    ),
  ])
  return { ok: updated.length > 0 }
}

/** A person picks the language of their own pages and emails. */
export async function saveOwnLanguage(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { actor: Actor; staffId: string; language: Locale },
): Promise<void> {
  const { db } = deps
  const { actor, staffId, language } = input
  const now = deps.clock.now()
  await db.batch([
    db
      .update(staff)
      .set({ language, updatedAt: now })
      .where(and(eq(staff.id, staffId), eq(staff.practiceId, actor.practiceId))),
    insertAudit(db, now, {
      practiceId: actor.practiceId,
      actorAccountId: actor.accountId,
      targetStaffId: staffId,
      event: 'staff.updated',
      ip: actor.ip,
      detail: `own language: ${language}`,
    }),
  ])
}
