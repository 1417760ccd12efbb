import { and, eq, exists, inArray, ne, or, sql } from 'drizzle-orm'
import { staff, staffEmails } from '../../db/schema'
import { insertAudit, insertAuditWhere, type Actor } from '../audit/audit'
import { isUniqueViolation, type Database } from '../db'
import type { Deps } from '../deps'
import { generateId } from '../ids'
import { revokeInvitationsOffProfile } from '../invitations/invitation'
import type { Locale } from '../text/locale'
import { PLACEHOLDER_NAME } from './placeholder-name'
import { anotherAdminWhoCanLogIn } from './access-level'
import { emailsOf, type StaffInput } from './staff-input'

export type SaveStaffResult =
  { ok: true; staffId: string } | { ok: false; reason: 'not-found' | 'last-admin' } | { ok: false; duplicates: string[] }

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
  const insertEmails = db.insert(staffEmails).values(emails.map((e) => ({ ...e, id: generateId(), practiceId: actor.practiceId, staffId })))
  try {
    if (editing) {
      const [updated] = await db.batch(editStatements(db, now, { actor, staffId, profile, emails }))
      if (updated.length === 0) {
        const [still] = await db.select({ id: staff.id }).from(staff).where(scope)
        return { ok: false, reason: still ? 'last-admin' : 'not-found' }
      }
    } else
      await db.batch([
        db.insert(staff).values({ ...profile, id: staffId, practiceId: actor.practiceId, createdAt: now }),
        insertEmails,
        insertAudit(db, now, {
          practiceId: actor.practiceId,
          actorAccountId: actor.accountId,
          targetStaffId: staffId,
          event: 'staff.created',
          ip: actor.ip,
        }),
      ])
  } catch (error) {
    // Two saves racing for the same address: the unique index decides, and we say so the same way.
    if (isUniqueViolation(error)) return { ok: false, duplicates: addresses }
    throw error
  }
  return { ok: true, staffId }
}

type Profile = {
  firstName: string
  lastName: string
  credentials: string
  phone: string
  isActive: boolean
  updatedAt: Date
  language?: Locale
}

/**
 * The batch of an edit: the guarded UPDATE first (an admin's profile goes inactive only while
 * another admin can log in, or if it already was inactive), then the addresses and the audit row,
 * each acting only when the UPDATE took (the row now carries this edit's time and active flag).
 */
function editStatements(
  db: Database,
  now: Date,
  input: { actor: Actor; staffId: string; profile: Profile; emails: ReturnType<typeof emailsOf> },
) {
  const { actor, staffId, profile, emails } = input
  const scope = and(eq(staff.id, staffId), eq(staff.practiceId, actor.practiceId))
  const keepsAnAdmin = profile.isActive
    ? undefined
    : or(ne(staff.role, 'admin'), eq(staff.isActive, false), anotherAdminWhoCanLogIn(db, actor.practiceId, staffId))
  const changedNow = and(scope, eq(staff.updatedAt, now), eq(staff.isActive, profile.isActive))
  const tookEffect = exists(
    db
      .select({ one: sql`1` })
      .from(staff)
      .where(changedNow),
  )
  return [
    db.update(staff).set(profile).where(and(scope, keepsAnAdmin)).returning({ id: staff.id }),
    db.delete(staffEmails).where(and(eq(staffEmails.staffId, staffId), eq(staffEmails.practiceId, actor.practiceId), tookEffect)),
    ...emails.map((e) =>
      db.insert(staffEmails).select(
        db
          .select({
            id: sql<string>`${generateId()}`.as('id'),
            practiceId: staff.practiceId,
            staffId: staff.id,
            email: sql<string>`${e.email}`.as('email'),
            isPrimary: sql<boolean>`${e.isPrimary ? 1 : 0}`.as('is_primary'),
            position: sql<number>`${e.position}`.as('position'),
          })
          .from(staff)
          .where(changedNow),
      ),
    ),
    insertAuditWhere(
      db,
      now,
      {
        practiceId: staff.practiceId,
        actorAccountId: actor.accountId,
        targetStaffId: staff.id,
        event: 'staff.updated',
        ip: actor.ip,
        detail: '',
      },
      staff,
      changedNow,
    ),
    // In the same write: a link must not outlive the address or the active profile it was for.
    // It reads the profile as the batch left it, so an edit refused above revokes nothing.
    ...revokeInvitationsOffProfile(db, now, { actor, staffId }),
  ] as const
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
