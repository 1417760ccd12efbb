import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createClient, type Client } from '@libsql/client'
import { and, count, eq } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { accounts, auditEvents, emailOutbox, invitations, practices, staff, staffEmails } from '../db/schema'
import { createApp } from '../src/app'
import { systemClock } from '../src/clock'
import { parseConfig } from '../src/config'
import { createDatabase, type Database } from '../src/db'
import { createMailer } from '../src/mailer/create-mailer'
import { Agent } from './support/agent'
import { startMailChannels } from './support/mailchannels-server'
import { linkIn, pathOf, STRONG_PASSWORD } from './support/staff'

// Each test starts Node processes (tsx compiles the script on each start): slower than app.request.
vi.setConfig({ testTimeout: 120_000 })

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url))
const APP_URL = 'http://localhost'

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the CLI the way `npm run practice:create --` does, against the given settings only. */
function runCli(args: string[], settings: Record<string, string>): Promise<Run> {
  // Settings a developer's shell might carry would change what it does (real mail, Turso).
  const { MAILCHANNELS_API_KEY, TURSO_DATABASE_URL, TURSO_AUTH_TOKEN, DATABASE_URL, DEFAULT_TIME_ZONE, ...inherited } = process.env
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/practice-create.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...inherited, APP_URL, ...settings },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}

let dir: string
let file: string
let client: Client
let db: Database
const env = () => ({ DATABASE_URL: `file:${file}` })

const harborArgs = [
  '--name',
  'Harbor Therapy Group',
  '--admin-email',
  'Owner@Harbor.test',
  '--admin-first-name',
  'Ana',
  '--admin-last-name',
  'Ruiz',
  '--time-zone',
  'America/Chicago',
]
const summitArgs = ['--name', 'Summit Speech', '--admin-email', 'lead@summit.test', '--admin-first-name', 'Sam', '--admin-last-name', 'Lee']

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'staff-portal-cli-'))
  file = join(dir, 'app.db')
})
afterAll(() => {
  client?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The database the CLI wrote, opened once it has run. */
function database() {
  if (!db) {
    client = createClient({ url: `file:${file}` })
    db = createDatabase(client)
  }
  return db
}

/** The app, built on the same file, as the Node host would serve it. */
// Work the app defers past its response (a refused access recorded, a session touched) is
// awaited at the end of each test, so a later test's row counts do not race it.
const deferred: Promise<unknown>[] = []
afterEach(() => Promise.all(deferred.splice(0)))

function appOnSameFile() {
  const config = parseConfig({ APP_URL })
  const quiet = { info: () => {}, error: () => {} }
  const db = database()
  const app = createApp(
    { db, clock: systemClock, config, logger: quiet, ...createMailer({ config, clock: systemClock, db }) },
    { defer: (_c, task) => void deferred.push(new Promise((resolve) => setTimeout(resolve, 0)).then(task)) },
  )
  return () => new Agent(app)
}

const counts = async () => {
  const d = database()
  const [[p], [s], [e], [i], [a]] = await Promise.all([
    d.select({ n: count() }).from(practices),
    d.select({ n: count() }).from(staff),
    d.select({ n: count() }).from(staffEmails),
    d.select({ n: count() }).from(invitations),
    d.select({ n: count() }).from(auditEvents),
  ])
  return { practices: p!.n, staff: s!.n, emails: e!.n, invitations: i!.n, audit: a!.n }
}

describe('usage errors', () => {
  it('prints the usage on stderr, exits 2 and writes nothing when arguments are missing or bad', async () => {
    const cases: [string[], RegExp][] = [
      [[], /Missing --name, --admin-email, --admin-first-name, --admin-last-name\./],
      [['--name', 'X', '--admin-email', 'x@x.test', '--admin-first-name', 'A'], /Missing --admin-last-name\./],
      [['--nmae', 'X'], /Unknown option '--nmae'/],
      [['stray', ...summitArgs], /Unexpected argument 'stray'/],
      [['--name'], /--name/],
      [
        ['--name', '  ', '--admin-email', 'x@x.test', '--admin-first-name', 'A', '--admin-last-name', 'B'],
        /--name: Enter the practice name\./,
      ],
      [
        ['--name', 'X', '--admin-email', 'not-an-email', '--admin-first-name', 'A', '--admin-last-name', 'B'],
        /--admin-email: Enter the admin email as an address like owner@example\.com\./,
      ],
      [
        [...summitArgs, '--time-zone', 'Mars/Olympus_Mons'],
        /--time-zone: Use an IANA time zone name from the list, such as America\/Chicago\./,
      ],
      [
        ['--name', 'x'.repeat(121), '--admin-email', 'x@x.test', '--admin-first-name', 'A', '--admin-last-name', 'B'],
        /--name: Practice name must be 120 characters or fewer\./,
      ],
    ]
    const runs = await Promise.all(cases.map(([args]) => runCli(args, env())))
    runs.forEach((run, index) => {
      const [args, message] = cases[index]!
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stderr, args.join(' ')).toMatch(message)
      expect(run.stderr).toContain('Usage: npm run practice:create -- --name')
      expect(run.stdout).toBe('')
    })
    // Arguments are checked before the database is opened: not even the file exists.
    expect(existsSync(file)).toBe(false)
  })

  it('prints the usage on stdout and exits 0 for --help', async () => {
    const run = await runCli(['--help'], env())
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Usage: npm run practice:create -- --name')
    expect(existsSync(file)).toBe(false)
  })
})

describe('onboarding two practices side by side', () => {
  let harborLink: string
  let summitLink: string

  it('creates the practice, its first admin and the invitation, and prints the link when mail goes to the development outbox', async () => {
    const run = await runCli(harborArgs, env())
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(
      'Created practice "Harbor Therapy Group" (time zone America/Chicago) with admin Ana Ruiz <owner@harbor.test>.',
    )
    expect(run.stdout).toContain('Invitation emailed to owner@harbor.test.')
    expect(run.stdout).toContain('here is the invitation link:')
    harborLink = linkIn(run.stdout)
    expect(harborLink.startsWith(`${APP_URL}/invite/`)).toBe(true)

    const d = database()
    const [practice] = await d.select().from(practices).where(eq(practices.name, 'Harbor Therapy Group'))
    expect(practice).toMatchObject({ timeZone: 'America/Chicago', senderName: '' })
    const [admin] = await d.select().from(staff).where(eq(staff.practiceId, practice!.id))
    expect(admin).toMatchObject({ firstName: 'Ana', lastName: 'Ruiz', role: 'admin', isActive: true })
    expect(await d.select().from(staffEmails).where(eq(staffEmails.staffId, admin!.id))).toMatchObject([
      { email: 'owner@harbor.test', isPrimary: true, practiceId: practice!.id },
    ])
    const [invitation] = await d.select().from(invitations).where(eq(invitations.staffId, admin!.id))
    expect(invitation).toMatchObject({
      practiceId: practice!.id,
      email: 'owner@harbor.test',
      usedAt: null,
      revokedAt: null,
      invitedByAccountId: null,
    })
    expect(invitation!.expiresAt.getTime() - invitation!.createdAt.getTime()).toBe(7 * 24 * 3600 * 1000)
    // Only the hash of the link is stored.
    expect(JSON.stringify(await d.select().from(invitations))).not.toContain(harborLink.split('.').pop())
    expect(await d.select().from(accounts)).toHaveLength(0)
    const [outbox] = await d.select().from(emailOutbox).where(eq(emailOutbox.refId, invitation!.id))
    expect(outbox).toMatchObject({ practiceId: practice!.id, recipient: 'owner@harbor.test', template: 'invitation', status: 'sent' })
    const audit = await d.select().from(auditEvents).where(eq(auditEvents.practiceId, practice!.id)).orderBy(auditEvents.id)
    expect(audit.map((row) => [row.event, row.targetStaffId, row.actorAccountId])).toEqual([
      ['practice.created', admin!.id, null],
      ['invitation.sent', admin!.id, null],
    ])
    expect(audit[0]!.detail).toBe('Harbor Therapy Group; first admin owner@harbor.test; time zone America/Chicago')
  })

  it('uses DEFAULT_TIME_ZONE when no --time-zone is given, and keeps each practice to itself', async () => {
    const run = await runCli(summitArgs, { ...env(), DEFAULT_TIME_ZONE: 'Europe/London' })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Created practice "Summit Speech" (time zone Europe/London) with admin Sam Lee <lead@summit.test>.')
    summitLink = linkIn(run.stdout)
    expect(summitLink).not.toBe(harborLink)

    const d = database()
    const rows = await d.select().from(practices)
    expect(rows.map((p) => [p.name, p.timeZone]).sort()).toEqual([
      ['Harbor Therapy Group', 'America/Chicago'],
      ['Summit Speech', 'Europe/London'],
    ])
    const summit = rows.find((p) => p.name === 'Summit Speech')!
    // Every row the second run wrote belongs to the second practice.
    for (const table of [staff, staffEmails, invitations, emailOutbox] as const) {
      const mine = await d.select({ practiceId: table.practiceId }).from(table)
      expect(mine.filter((r) => r.practiceId === summit.id)).toHaveLength(1)
    }
    const summitAudit = await d.select().from(auditEvents).where(eq(auditEvents.practiceId, summit.id)).orderBy(auditEvents.id)
    expect(summitAudit.map((r) => r.event)).toEqual(['practice.created', 'invitation.sent'])
    expect(summitAudit.map((r) => r.detail).join(' ')).not.toMatch(/Harbor|owner@/)
  })

  it('gives each admin a link to their own practice that works, and nothing crosses between them', async () => {
    const agent = appOnSameFile()
    const harbor = agent()
    const page = await harbor.get(pathOf(harborLink))
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Harbor Therapy Group')
    expect(html).not.toContain('Summit')
    expect((await harbor.post(pathOf(harborLink), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })).status).toBe(303)
    const login = await harbor.post('/login', { email: 'owner@harbor.test', password: STRONG_PASSWORD })
    expect(login.headers.get('Location')).toBe('/staff')

    const summit = agent()
    expect(await (await summit.get(pathOf(summitLink))).text()).toContain('Summit Speech')
    expect((await summit.post(pathOf(summitLink), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })).status).toBe(303)
    expect((await summit.post('/login', { email: 'lead@summit.test', password: STRONG_PASSWORD })).headers.get('Location')).toBe('/staff')

    // Each admin's list, search and count hold their own practice only.
    const harborList = await (await harbor.get('/staff')).text()
    expect(harborList).toContain('Ruiz, Ana')
    expect(harborList).not.toContain('Lee, Sam')
    expect(harborList).toContain('1 staff member')
    expect(await (await harbor.get('/staff?q=lead%40summit')).text()).toContain('No staff match')
    const summitList = await (await summit.get('/staff')).text()
    expect(summitList).toContain('Lee, Sam')
    expect(summitList).not.toContain('Ruiz')
    // Their settings are their own practice's.
    const settings = await (await harbor.get('/settings')).text()
    expect(settings).toContain('value="Harbor Therapy Group"')
    expect(settings).toContain('value="America/Chicago"')
    expect(await (await summit.get('/settings')).text()).toContain('value="Europe/London"')
    // The other practice's profile is not there.
    const [lee] = await database().select().from(staff).where(eq(staff.lastName, 'Lee'))
    expect((await harbor.get(`/staff/${lee!.id}`)).status).toBe(404)
    // The link is used up.
    expect((await agent().get(pathOf(harborLink))).status).toBe(410)
  })
})

describe('refusals', () => {
  it('refuses a practice name already in use, in any letter case, with exit 1 and nothing written', async () => {
    const before = await counts()
    const run = await runCli(
      ['--name', 'HARBOR therapy group', '--admin-email', 'new@else.test', '--admin-first-name', 'N', '--admin-last-name', 'O'],
      env(),
    )
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('Refused: a practice named "HARBOR therapy group" already exists')
    expect(run.stdout).toBe('')
    expect(await counts()).toEqual(before)
  })

  it('refuses an admin email that already has an account, without naming its practice', async () => {
    const before = await counts()
    const run = await runCli(
      ['--name', 'Coastal Kids OT', '--admin-email', 'OWNER@harbor.test', '--admin-first-name', 'Ana', '--admin-last-name', 'Ruiz'],
      env(),
    )
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('Refused: owner@harbor.test already has a portal account')
    expect(run.stderr).not.toContain('Harbor Therapy Group')
    expect(await counts()).toEqual(before)
  })
})

describe('the configured database and mail', () => {
  it('writes to TURSO_DATABASE_URL when it is set, not to DATABASE_URL', async () => {
    const turso = join(dir, 'turso.db')
    const run = await runCli(
      ['--name', 'Elsewhere Clinic', '--admin-email', 'x@elsewhere.test', '--admin-first-name', 'E', '--admin-last-name', 'W'],
      {
        ...env(),
        TURSO_DATABASE_URL: `file:${turso}`,
      },
    )
    expect(run.code).toBe(0)
    expect(await database().select().from(practices).where(eq(practices.name, 'Elsewhere Clinic'))).toHaveLength(0)
    const other = createClient({ url: `file:${turso}` })
    try {
      const rows = await createDatabase(other).select().from(practices)
      expect(rows.map((p) => p.name)).toEqual(['Elsewhere Clinic'])
    } finally {
      other.close()
    }
  })

  it('sends through MailChannels under the practice name and prints no link; a failed send exits 1 and gives the link to pass on', async () => {
    const mail = await startMailChannels()
    try {
      // Real mail needs the public https:// address and a sender on the practice's domain.
      const publicUrl = 'https://portal.bayview.test'
      const settings = {
        ...env(),
        APP_URL: publicUrl,
        MAILCHANNELS_API_KEY: mail.apiKey,
        MAILCHANNELS_API_URL: mail.url,
        MAIL_FROM: 'portal@bayview.test',
      }
      const sent = await runCli(
        ['--name', 'Bayview ABA', '--admin-email', 'head@bayview.test', '--admin-first-name', 'B', '--admin-last-name', 'V'],
        settings,
      )
      expect(sent.code).toBe(0)
      expect(sent.stdout).toContain('Invitation emailed to head@bayview.test.')
      expect(sent.stdout).not.toContain('/invite/')
      expect(mail.received).toHaveLength(1)
      expect(mail.received[0]!.from.name).toBe('Bayview ABA')
      expect(mail.received[0]!.personalizations[0]!.to[0]!.email).toBe('head@bayview.test')
      expect(mail.received[0]!.subject).toBe("You're invited to the Bayview ABA Staff Portal")
      expect(mail.received[0]!.content[0]!.value).toContain('The Staff Portal team invited you to the Bayview ABA Staff Portal.')

      mail.set('fail')
      const failed = await runCli(
        ['--name', 'Rainy Day Speech', '--admin-email', 'head@rainy.test', '--admin-first-name', 'R', '--admin-last-name', 'D'],
        settings,
      )
      expect(failed.code).toBe(1)
      expect(failed.stderr).toContain('The invitation to head@rainy.test is saved, but its email could not be delivered.')
      expect(failed.stdout).toContain('Created practice "Rainy Day Speech"')
      expect(linkIn(failed.stdout).startsWith(`${publicUrl}/invite/`)).toBe(true)
      const [practice] = await database().select().from(practices).where(eq(practices.name, 'Rainy Day Speech'))
      const [outbox] = await database()
        .select()
        .from(emailOutbox)
        .where(and(eq(emailOutbox.practiceId, practice!.id), eq(emailOutbox.template, 'invitation')))
      expect(outbox!.status).toBe('failed')
    } finally {
      await mail.close()
    }
  })
})
