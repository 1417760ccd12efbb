// Seeds a benchmark database: one practice with many staff, half of them with portal
// accounts, invitations, outbox rows and audit history. Rows are written directly with
// drizzle's db.batch in chunks; one scrypt hash (the admin's) is reused for every account.
import { eq } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import { createClient } from '@libsql/client'
import { accounts, auditEvents, emailOutbox, invitations, staff, staffEmails } from '../../db/schema'
import { hashSecret } from '../../src/auth/tokens'
import { generateId } from '../../src/ids'
import { systemClock } from '../../src/clock'
import { parseConfig } from '../../src/config'
import { createDatabase, type Database } from '../../src/db'
import { migrateDatabase } from '../../src/migrate'
import { ensureFirstPractice } from '../../src/practice/bootstrap'

export const BENCH_PASSWORD = 'Tidal orchid lantern quiver 42'
export const BENCH_ADMIN_EMAIL = 'admin@bench.test'
export const BENCH_PRACTICE = 'Benchmark Therapy Group'

const FIRST = [
  'Amara',
  'Benjamin',
  'Mei',
  'Diego',
  'Elena',
  'Fatima',
  'George',
  'Hana',
  'Isaac',
  'Julia',
  'Kofi',
  'Laura',
  'Mateo',
  'Nadia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Samuel',
  'Tariq',
  'Uma',
  'Victor',
  'Wen',
  'Ximena',
  'Yusuf',
  'Zoe',
  'Maria',
  'Mark',
  'Martin',
  'Sarah',
  'David',
  'Grace',
  'Henry',
  'Irene',
  'James',
  'Karen',
  'Leo',
  'Nina',
  'Oscar',
  'Paula',
]
const LAST = [
  'Okafor',
  'Whitlock',
  'Chen',
  'Ramirez',
  'Petrova',
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Lewis',
  'Robinson',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Torres',
  'Nguyen',
  'Hill',
  'Flores',
  'Green',
  'Adams',
  'Nelson',
  'Baker',
  'Hall',
  'Rivera',
  'Campbell',
  'Mitchell',
  'Carter',
  'Roberts',
  'Marshall',
  'Novak',
  'Kowalski',
  'Tanaka',
  'Sato',
  'Singh',
]
const CREDENTIALS = ['BCBA', 'RBT', 'SLP', 'OT', 'PT', 'LCSW', '']

export interface SeedOptions {
  staff: number
  accounts: number
}

export interface SeededPractice {
  practiceId: string
  adminEmail: string
  password: string
  /** A staff member with an account, invitation history and audit rows: the Staff Portal tab's subject. */
  portalStaffId: string
  /** That staff member's login address (for the portal home). */
  staffEmail: string
  /** Another account, used only by the login POST benchmark. */
  loginEmail: string
  rows: Record<string, number>
}

const DAY = 24 * 60 * 60 * 1000
const ROWS_PER_INSERT = 400
const INSERTS_PER_BATCH = 10

async function insertAll(db: Database, table: Parameters<Database['insert']>[0], rows: object[]) {
  const inserts: BatchItem<'sqlite'>[] = []
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
    inserts.push(db.insert(table).values(rows.slice(i, i + ROWS_PER_INSERT) as never) as unknown as BatchItem<'sqlite'>)
  for (let i = 0; i < inserts.length; i += INSERTS_PER_BATCH) {
    const chunk = inserts.slice(i, i + INSERTS_PER_BATCH) as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]
    await db.batch(chunk)
  }
}

/** Creates the database file, applies migrations, bootstraps the admin and writes the rows. */
export async function seedBenchDatabase(databaseUrl: string, options: SeedOptions): Promise<SeededPractice> {
  const client = createClient({ url: databaseUrl })
  const db = createDatabase(client)
  try {
    await migrateDatabase(db)
    const config = parseConfig({
      APP_URL: 'http://127.0.0.1',
      ADMIN_EMAIL: BENCH_ADMIN_EMAIL,
      ADMIN_PASSWORD: BENCH_PASSWORD,
      PRACTICE_NAME: BENCH_PRACTICE,
    })
    await ensureFirstPractice({ db, clock: systemClock, config })
    const [admin] = await db
      .select({ accountId: accounts.id, practiceId: accounts.practiceId, passwordHash: accounts.passwordHash })
      .from(accounts)
      .where(eq(accounts.email, BENCH_ADMIN_EMAIL))
    if (!admin) throw new Error('the bootstrap did not create the admin')
    const { practiceId, passwordHash } = admin

    const now = Date.now()
    const staffRows: (typeof staff.$inferInsert)[] = []
    const emailRows: (typeof staffEmails.$inferInsert)[] = []
    const accountRows: (typeof accounts.$inferInsert)[] = []
    const invitationRows: (typeof invitations.$inferInsert)[] = []
    const outboxRows: (typeof emailOutbox.$inferInsert)[] = []
    const auditRows: (typeof auditEvents.$inferInsert)[] = []
    const unusedSecret = hashSecret('bench: never handed out')
    let portalStaffId = ''
    let staffEmail = ''
    let loginEmail = ''

    for (let i = 0; i < options.staff; i++) {
      const id = generateId()
      const firstName = FIRST[i % FIRST.length]!
      const lastName = LAST[Math.floor(i / FIRST.length) % LAST.length]!
      const created = new Date(now - 400 * DAY + i * 1000)
      staffRows.push({
        id,
        practiceId,
        firstName,
        lastName,
        credentials: CREDENTIALS[i % CREDENTIALS.length]!,
        phone: `(555) ${String(100 + (i % 900)).padStart(3, '0')}-${String(i % 10_000).padStart(4, '0')}`,
        isActive: i % 50 !== 49,
        createdAt: created,
        updatedAt: created,
      })
      const email = `${firstName}.${lastName}.${i}@bench.test`.toLowerCase()
      emailRows.push({ id: generateId(), practiceId, staffId: id, email, isPrimary: true, position: 0 })
      if (i % 3 === 0)
        emailRows.push({ id: generateId(), practiceId, staffId: id, email: `p${i}@personal.test`, isPrimary: false, position: 1 })
      auditRows.push({ practiceId, actorAccountId: admin.accountId, targetStaffId: id, event: 'staff.created', createdAt: created })
      // This person's invitation (a week to use it) and its email, sent when it was made.
      const invitation = (invitationId: string, createdAt: Date) => ({
        id: invitationId,
        secretHash: unusedSecret,
        practiceId,
        staffId: id,
        email,
        invitedByAccountId: admin.accountId,
        createdAt,
        expiresAt: new Date(createdAt.getTime() + 7 * DAY),
      })
      const invitationEmail = (refId: string, sentAt: Date) => ({
        id: generateId(),
        practiceId,
        recipient: email,
        template: 'invitation' as const,
        params: '{}',
        refId,
        status: 'sent' as const,
        attempts: 1,
        createdAt: sentAt,
        lastAttemptAt: sentAt,
        sentAt,
      })

      const hasAccount = i % 2 === 0 && i / 2 < options.accounts
      if (hasAccount) {
        const accountId = generateId()
        const invited = new Date(created.getTime() + DAY)
        const signedUp = new Date(invited.getTime() + 2 * DAY)
        // Two invitations: an earlier one replaced, then the one used to sign up.
        const first = generateId()
        const second = generateId()
        invitationRows.push(
          { ...invitation(first, invited), replacedAt: new Date(invited.getTime() + DAY) },
          { ...invitation(second, new Date(invited.getTime() + DAY)), usedAt: signedUp },
        )
        for (const ref of [first, second]) outboxRows.push(invitationEmail(ref, invited))
        accountRows.push({
          id: accountId,
          practiceId,
          staffId: id,
          email,
          passwordHash,
          passwordChangedAt: signedUp,
          createdAt: signedUp,
          lastLoginAt: new Date(now - (i % 30) * DAY),
        })
        auditRows.push(
          { practiceId, actorAccountId: admin.accountId, targetStaffId: id, event: 'invitation.sent', createdAt: invited },
          {
            practiceId,
            actorAccountId: admin.accountId,
            targetStaffId: id,
            event: 'invitation.resent',
            createdAt: new Date(invited.getTime() + DAY),
          },
          { practiceId, actorAccountId: accountId, targetStaffId: id, event: 'account.created', createdAt: signedUp },
          { practiceId, actorAccountId: accountId, targetStaffId: id, event: 'login.succeeded', ip: '198.51.100.4', createdAt: signedUp },
        )
        if (!portalStaffId) {
          portalStaffId = id
          staffEmail = email
        } else if (!loginEmail) loginEmail = email
      } else if (i % 4 === 1) {
        // A pending invitation for a quarter of the people without an account.
        const invited = new Date(now - (i % 5) * DAY)
        const invitationId = generateId()
        invitationRows.push(invitation(invitationId, invited))
        outboxRows.push(invitationEmail(invitationId, invited))
        auditRows.push({ practiceId, actorAccountId: admin.accountId, targetStaffId: id, event: 'invitation.sent', createdAt: invited })
      }
    }
    if (!portalStaffId || !loginEmail) throw new Error('seed at least 2 accounts')

    await insertAll(db, staff, staffRows)
    await insertAll(db, staffEmails, emailRows)
    await insertAll(db, accounts, accountRows)
    await insertAll(db, invitations, invitationRows)
    await insertAll(db, emailOutbox, outboxRows)
    await insertAll(db, auditEvents, auditRows)
    return {
      practiceId,
      adminEmail: BENCH_ADMIN_EMAIL,
      password: BENCH_PASSWORD,
      portalStaffId,
      staffEmail,
      loginEmail,
      rows: {
        staff: staffRows.length + 1,
        staff_emails: emailRows.length + 1,
        accounts: accountRows.length + 1,
        invitations: invitationRows.length,
        email_outbox: outboxRows.length,
        audit_events: auditRows.length + 1,
      },
    }
  } finally {
    client.close()
  }
}
