import { and, eq, exists, inArray, ne, or, sql } from 'drizzle-orm'
import { staff, staffEmails } from '../../db/schema'
import { actorAuditFrom, insertAudit, insertAuditWhere, staffRow, type Actor } from '../audit/audit'
import type { Database } from '../db'
import type { Deps } from '../deps'
import { generateId } from '../ids'
import type { Locale } from '../text/locale'
import { PLACEHOLDER_NAME } from '../text/placeholder-name'
import { anotherAdminWhoCanLogIn } from './access-level'
import { emailsOf, type StaffInput } from './staff-input'

/** The addresses of `emails` another profile of the practice already has (a query, to batch). */
export function duplicateEmailsQuery(db: Database, practiceId: string, emails: string[], exceptStaffId?: string) {
  return db
    .select({ email: staffEmails.email })
    .from(staffEmails)
    .where(
      and(
        eq(staffEmails.practiceId, practiceId),
        inArray(staffEmails.email, emails),
        exceptStaffId ? ne(staffEmails.staffId, exceptStaffId) : undefined,
      ),
    )
}

/** The addresses of `emails` another profile of the practice already has. */
export async function findDuplicateEmails(db: Database, practiceId: string, emails: string[], exceptStaffId?: string) {
  const rows = await duplicateEmailsQuery(db, practiceId, emails, exceptStaffId)
  return rows.map((row) => row.email)
}

/** The profile's id if it is in the actor's practice (a query, to batch). */
export function staffExistsQuery(db: Database, actor: Actor, staffId: string) {
  return db
    .select({ id: staff.id })
    .from(staff)
    .where(and(eq(staff.id, staffId), eq(staff.practiceId, actor.practiceId)))
}

/** Whether the profile is in the actor's practice. */
export async function staffExists(db: Database, actor: Actor, staffId: string) {
  const [found] = await staffExistsQuery(db, actor, staffId)
  return !!found
}

export type Profile = {
  firstName: string
  lastName: string
  credentials: string
  phone: string
  isActive: boolean
  updatedAt: Date
  language?: Locale
}

/** The profile's columns as the staff form sets them. */
export function profileValues(values: StaffInput, now: Date): Profile {
  return {
    firstName: values.firstName,
    lastName: values.lastName,
    credentials: values.credentials,
    phone: values.phone,
    isActive: values.active,
    ...(values.language && { language: values.language }),
    updatedAt: now,
  }
}

type StaffEmails = ReturnType<typeof emailsOf>

/** The batch of Add Staff: the profile, its addresses, the audit row. */
export function addStaffStatements(
  db: Database,
  now: Date,
  input: { actor: Actor; staffId: string; profile: Profile; emails: StaffEmails },
) {
  const { actor, staffId, profile, emails } = input
  return [
    db.insert(staff).values({ ...profile, id: staffId, practiceId: actor.practiceId, createdAt: now }),
    db.insert(staffEmails).values(emails.map((e) => ({ ...e, id: generateId(), practiceId: actor.practiceId, staffId }))),
    insertAudit(db, now, {
      practiceId: actor.practiceId,
      actorAccountId: actor.accountId,
      targetStaffId: staffId,
      event: 'staff.created',
      ip: actor.ip,
    }),
  ] as const
}

/**
 * The batch of an edit: the guarded UPDATE first (an admin's profile goes inactive only while
 * another admin can log in, or if it already was inactive), then the addresses and the audit row,
 * each acting only when the UPDATE took (the row now carries this edit's time and active flag).
 */
export function editStaffStatements(
  db: Database,
  now: Date,
  input: { actor: Actor; staffId: string; profile: Profile; emails: StaffEmails },
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
    insertAuditWhere(db, now, actorAuditFrom(actor, staffRow, 'staff.updated'), staff, changedNow),
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
      actorAuditFrom(actor, staffRow, 'staff.updated', 'own name, at first login'),
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
