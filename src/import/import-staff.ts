import { and, eq, inArray } from 'drizzle-orm'
import { practices, staff, staffEmails } from '../../db/schema'
import { insertAudit } from '../audit/audit'
import { isUniqueViolation, type Database } from '../db'
import type { Deps } from '../deps'
import { generateId } from '../ids'
import { invitationStatements, type QueuedInvitations } from '../invitations/bulk-invite'
import type { Inviter } from '../invitations/invitation'
import { emailsOf } from '../staff/staff-input'
import { fullName } from '../text/format'
import { readStaffCsv, type ImportRow } from './staff-csv'

export interface ImportPlan {
  rows: ImportRow[]
  /** Rows with no problem: what Import saves. */
  valid: number
}

export type PlanResult = ({ ok: true } & ImportPlan) | { ok: false; error: string }

export type ImportResult =
  | { ok: true; imported: (ImportRow & { staffId: string })[]; skipped: ImportRow[]; queued: QueuedInvitations | null }
  | { ok: false; error: string }

// Bound variables per statement stay far below SQLite's limit at this many rows per INSERT.
const CHUNK = 200

const chunks = <T>(items: T[]) => Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK))

/**
 * The practice's addresses among those of the file, and the practice itself, in one read.
 * Addresses are the practice's own: another practice's staff may use the same one, as on the form.
 */
async function readPractice(db: Database, practiceId: string, addresses: string[]) {
  const [practice, ...found] = await db.batch([
    db
      .select({ name: practices.name, timeZone: practices.timeZone, senderName: practices.senderName })
      .from(practices)
      .where(eq(practices.id, practiceId)),
    ...chunks(addresses).map((some) =>
      db
        .select({ email: staffEmails.email })
        .from(staffEmails)
        .where(and(eq(staffEmails.practiceId, practiceId), inArray(staffEmails.email, some))),
    ),
  ])
  return { practice: practice[0] ?? null, onFile: new Set(found.flat().map((row) => row.email)) }
}

/** Adds the problems only the practice and the rest of the file can tell: an address already used. */
function checkAddresses(rows: ImportRow[], onFile: Set<string>) {
  const seen = new Set<string>()
  for (const row of rows) {
    for (const email of row.emails) {
      if (onFile.has(email)) row.problems.push(`already on file (${email})`)
      else if (seen.has(email)) row.problems.push(`duplicate in file (${email})`)
    }
    for (const email of row.emails) seen.add(email)
  }
}

async function planImport(db: Database, practiceId: string, text: string) {
  const file = readStaffCsv(text)
  if (!file.ok) return file
  const addresses = [...new Set(file.rows.flatMap((row) => row.emails))]
  const { practice, onFile } = await readPractice(db, practiceId, addresses)
  checkAddresses(file.rows, onFile)
  return { ok: true as const, rows: file.rows, practice }
}

/** Preview: every row of the file as it would be saved, with its problems. Saves nothing. */
export async function previewImport(deps: Pick<Deps, 'db'>, input: { practiceId: string; text: string }): Promise<PlanResult> {
  const plan = await planImport(deps.db, input.practiceId, input.text)
  if (!plan.ok) return plan
  return { ok: true, rows: plan.rows, valid: plan.rows.filter(isValid).length }
}

const isValid = (row: ImportRow) => row.problems.length === 0 && row.input !== null

/** The address an invitation goes to: the first on the row, as on the staff form. */
export const primaryOf = (row: ImportRow) => emailsOf(row.input!).find((e) => e.isPrimary)!.email

/** The new profiles and their addresses, as multi-row INSERTs. */
function profileStatements(db: Database, now: Date, practiceId: string, rows: (ImportRow & { staffId: string })[]) {
  const profiles = rows.map((row) => {
    const { firstName, lastName, credentials, phone } = row.input!
    const role = row.accessLevel === 'admin' ? ('admin' as const) : ('staff' as const)
    return { id: row.staffId, practiceId, firstName, lastName, credentials, phone, role, isActive: true, createdAt: now, updatedAt: now }
  })
  const addresses = rows.flatMap((row) => emailsOf(row.input!).map((e) => ({ ...e, id: generateId(), practiceId, staffId: row.staffId })))
  return [
    ...chunks(profiles).map((some) => db.insert(staff).values(some)),
    ...chunks(addresses).map((some) => db.insert(staffEmails).values(some)),
  ]
}

/**
 * Import: checks the file again (nothing from Preview is trusted) and saves every valid row, its
 * addresses, one audit row and, when asked, each new person's invitation and its outbox row, in
 * one batch: all of it lands or none of it. An address another admin saves in between makes the
 * unique index refuse the whole batch, and the admin is asked to preview again.
 */
export async function importStaff(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { actor: Inviter; text: string; fileName: string; invite: boolean },
): Promise<ImportResult> {
  const { db } = deps
  const { actor } = input
  const plan = await planImport(db, actor.practiceId, input.text)
  if (!plan.ok) return plan
  const imported = plan.rows.filter(isValid).map((row) => ({ ...row, staffId: generateId() }))
  const skipped = plan.rows.filter((row) => !isValid(row))
  if (imported.length === 0) return { ok: true, imported, skipped, queued: null }
  if (!plan.practice) return { ok: false, error: 'Your practice was not found.' }
  const now = deps.clock.now()
  const detail = `${imported.length} imported, ${skipped.length} skipped${input.fileName ? `, from ${input.fileName}` : ''}${input.invite ? ', invitations sent' : ''}`
  const statements = [
    ...profileStatements(db, now, actor.practiceId, imported),
    insertAudit(db, now, { practiceId: actor.practiceId, actorAccountId: actor.accountId, event: 'staff.imported', ip: actor.ip, detail }),
  ]
  const invitations = input.invite
    ? invitationStatements(deps, {
        actor,
        practice: plan.practice,
        newPeople: true,
        plan: {
          skipped: [],
          invite: imported.map((row) => ({ staffId: row.staffId, name: fullName(row), firstName: row.firstName, email: primaryOf(row) })),
        },
      })
    : null
  const [first, ...rest] = [...statements, ...(invitations?.statements ?? [])]
  try {
    await db.batch([first!, ...rest])
  } catch (error) {
    if (isUniqueViolation(error))
      return {
        ok: false,
        error: 'Someone saved one of these addresses while you were importing. Nothing was imported: preview the file again.',
      }
    throw error
  }
  return { ok: true, imported, skipped, queued: invitations?.queued ?? null }
}
