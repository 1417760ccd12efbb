import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { linkIn, STRONG_PASSWORD } from '../support/staff'
import { expectAccessible } from './support/axe'
import { launchBrowser, openPage, type ConsoleRecord } from './support/browser'
import { readOutbox } from './support/outbox'
import { addStaffMember, button, createAccount, expectErrorBeside, field, logIn, mainNav, sendInvitationFromProfile } from './support/page'
import { ADMIN_EMAIL, ADMIN_PASSWORD, PRACTICE_NAME, startServer, type RunningServer } from './support/server'

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))

/** `npm run practice:create` against the host's own database file, as ops would run it beside the host. */
function createPracticeWithCli(databaseUrl: string, appUrl: string, args: string[]) {
  const { MAILCHANNELS_API_KEY, TURSO_DATABASE_URL, TURSO_AUTH_TOKEN, ...inherited } = process.env
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/practice-create.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...inherited, DATABASE_URL: databaseUrl, APP_URL: appUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const jordan = { firstName: 'Jordan', lastName: 'Park', credentials: 'SLP', email: 'jordan.park@harbor.test' }
const otherAdmin = { name: 'Summit Speech', email: 'lead@summit.test' }

describe('practice administration in a real browser', () => {
  let dir: string
  let server: RunningServer
  let browser: Browser
  let admin: Page
  let staff: Page
  let summit: Page
  let logs: ConsoleRecord[] = []
  let summitLink: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'staff-portal-e2e-practice-'))
    const databaseUrl = `file:${join(dir, 'app.db')}`
    server = await startServer({ DATABASE_URL: databaseUrl })
    // A second practice beside the first, onboarded the way ops do it.
    const created = await createPracticeWithCli(databaseUrl, server.url, [
      '--name',
      otherAdmin.name,
      '--admin-email',
      otherAdmin.email,
      '--admin-first-name',
      'Sam',
      '--admin-last-name',
      'Lee',
      '--time-zone',
      'Europe/London',
    ])
    expect(created.code, created.stderr).toBe(0)
    summitLink = linkIn(created.stdout)
    browser = await launchBrowser()
    const page = async () => {
      const { page, log } = await openPage(browser, server.url)
      logs.push(log)
      return page
    }
    // Three browsers with nothing shared: the Harbor admin, the Harbor staff member, the Summit admin.
    admin = await page()
    staff = await page()
    summit = await page()
    mkdirSync(SCREENSHOTS, { recursive: true })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  test('the admin sets the practice up and makes a staff member an admin, who then sees the Staffs tab', async () => {
    // ── 1. The other practice's admin signs up from the link the CLI printed ──────────────────
    await summit.goto(summitLink)
    expect(await summit.getByText(otherAdmin.name).first().isVisible()).toBe(true)
    await field(summit, 'Password').fill(STRONG_PASSWORD)
    await field(summit, 'Confirm Password').fill(STRONG_PASSWORD)
    await Promise.all([summit.waitForURL('**/login?welcome&email=*'), button(summit, 'Create Account').click()])
    await field(summit, 'Password').fill(STRONG_PASSWORD)
    await Promise.all([summit.waitForURL('**/staff'), button(summit, 'Log In').click()])
    expect(await summit.locator('.brand-practice').textContent()).toBe(otherAdmin.name)

    // ── 2. Practice Settings: a bad time zone first, then a real one typed into the search ───────
    await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD, '/staff')
    await Promise.all([
      admin.waitForURL('**/settings'),
      mainNav(admin).getByRole('link', { name: 'Practice Settings', exact: true }).click(),
    ])
    expect(await admin.getByRole('heading', { level: 1 }).textContent()).toBe('Practice Settings')
    expect(await field(admin, 'Practice Name').inputValue()).toBe(PRACTICE_NAME)
    expect(await field(admin, 'Time Zone').inputValue()).toBe('America/New_York')
    expect(await field(admin, 'Sender Name').inputValue()).toBe('')
    // The field searches a list of every IANA zone.
    expect(await field(admin, 'Time Zone').getAttribute('list')).toBe('time-zones')
    expect(await admin.locator('#time-zones option[value="America/Los_Angeles"]').count()).toBe(1)
    await expectAccessible(admin)

    const timeZone = field(admin, 'Time Zone')
    await timeZone.fill('')
    await timeZone.pressSequentially('Mars/Olympus')
    const [refused] = await Promise.all([
      admin.waitForResponse((r) => r.url().endsWith('/settings') && r.request().method() === 'POST'),
      button(admin, 'Save').click(),
    ])
    expect(refused.status()).toBe(422)
    await admin.getByRole('alert').waitFor()
    await expectErrorBeside(admin, 'Time Zone', 'Use an IANA time zone name from the list, such as America/Chicago.')
    expect(await timeZone.inputValue()).toBe('Mars/Olympus')
    await expectAccessible(admin)

    await timeZone.fill('')
    await timeZone.pressSequentially('America/Los_Angeles')
    await field(admin, 'Sender Name').fill('Harbor Front Desk')
    await Promise.all([admin.waitForURL('**/settings?saved'), button(admin, 'Save').click()])
    expect(await admin.getByRole('status').textContent()).toBe('Saved. The new settings apply from now on.')
    expect(await field(admin, 'Time Zone').inputValue()).toBe('America/Los_Angeles')
    expect(await field(admin, 'Sender Name').inputValue()).toBe('Harbor Front Desk')
    expect(await admin.getByText('in America/Los_Angeles.', { exact: false }).isVisible()).toBe(true)
    await expectAccessible(admin)
    await admin.locator('#field-senderName').blur()
    await admin.screenshot({ path: `${SCREENSHOTS}practice-settings.png`, fullPage: false, caret: 'initial' })

    // The other practice kept its own settings.
    await summit.goto('/settings')
    expect(await field(summit, 'Practice Name').inputValue()).toBe(otherAdmin.name)
    expect(await field(summit, 'Time Zone').inputValue()).toBe('Europe/London')
    expect(await field(summit, 'Sender Name').inputValue()).toBe('')
    await expectAccessible(summit)

    // ── 3. A staff member is added, invited, and creates an account ─────────────────────────────
    await Promise.all([admin.waitForURL('**/staff'), mainNav(admin).getByRole('link', { name: 'Staffs', exact: true }).click()])
    // Nobody of the other practice is listed.
    expect(await admin.getByText('Lee, Sam').count()).toBe(0)
    const staffId = await addStaffMember(admin, jordan)
    await sendInvitationFromProfile(admin, staffId)

    const [mail] = await readOutbox(server.url)
    expect(mail!.to).toBe(jordan.email)
    await createAccount(staff, linkIn(mail!.text), STRONG_PASSWORD)
    await field(staff, 'Password').fill(STRONG_PASSWORD)
    await Promise.all([staff.waitForURL('**/portal'), button(staff, 'Log In').click()])
    expect(await mainNav(staff).getByRole('link', { name: 'Staffs', exact: true }).count()).toBe(0)
    expect(await mainNav(staff).getByRole('link', { name: 'Practice Settings', exact: true }).count()).toBe(0)

    // ── 4. The admin makes them an admin, confirming first ──────────────────────────────────────
    await Promise.all([admin.waitForURL(`**/staff/${staffId}`), admin.getByRole('link', { name: 'Details', exact: true }).click()])
    const access = admin.getByRole('region', { name: 'Access level' })
    expect(await access.locator('#access-level-value').textContent()).toBe('Staff')
    await expectAccessible(admin)
    expect(await admin.evaluate(() => typeof (window as unknown as { htmx?: unknown }).htmx)).toBe('object')
    // Asked in the app's own modal <dialog> (not window.confirm), Cancel first.
    await button(admin, 'Make Admin').click()
    const question = admin.getByRole('dialog', { name: `Make ${jordan.firstName} ${jordan.lastName} an admin?` })
    await question.waitFor()
    await expectAccessible(admin)
    const [promoted] = await Promise.all([
      admin.waitForResponse((r) => r.url().endsWith(`/staff/${staffId}/access-level`) && r.request().method() === 'POST'),
      question.getByRole('button', { name: 'Make Admin', exact: true }).click(),
    ])
    expect(promoted.status()).toBe(200)
    await admin.locator('#access-level-value', { hasText: 'Admin' }).waitFor()
    expect(await access.getByRole('status').textContent()).toContain(`${jordan.firstName} ${jordan.lastName} is now an admin.`)
    expect(await button(admin, 'Remove Admin').isVisible()).toBe(true)
    await expectAccessible(admin)
    await admin.screenshot({ path: `${SCREENSHOTS}access-level.png`, fullPage: true, caret: 'initial' })

    // ── 5. Their session ended; at their next login they have the Staffs tab ────────────────────
    // The login page carries the page they were on, and logging in returns them there.
    await staff.reload()
    await staff.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/portal')
    await field(staff, 'Email').fill(jordan.email)
    await field(staff, 'Password').fill(STRONG_PASSWORD)
    await Promise.all([staff.waitForURL('**/portal'), button(staff, 'Log In').click()])
    const staffsLink = mainNav(staff).getByRole('link', { name: 'Staffs', exact: true })
    expect(await staffsLink.isVisible()).toBe(true)
    expect(await mainNav(staff).getByRole('link', { name: 'Practice Settings', exact: true }).isVisible()).toBe(true)
    await Promise.all([staff.waitForURL('**/staff'), staffsLink.click()])
    expect(await staff.getByRole('heading', { level: 1 }).textContent()).toBe('Staffs')
    expect(await staff.getByRole('rowheader', { name: `${jordan.lastName}, ${jordan.firstName}` }).isVisible()).toBe(true)
    expect(await staff.getByText('Lee, Sam').count()).toBe(0)
    await expectAccessible(staff)

    // The other practice still has only its own admin.
    await summit.goto('/staff')
    expect(await summit.getByRole('rowheader', { name: 'Lee, Sam' }).isVisible()).toBe(true)
    expect(await summit.getByText(jordan.lastName).count()).toBe(0)

    // ── 6. Activity: what happened to Jordan, found by typing their name ───────────────────────
    await Promise.all([admin.waitForURL('**/activity'), mainNav(admin).getByRole('link', { name: 'Activity', exact: true }).click()])
    await field(admin, 'Staff').fill(`${jordan.firstName} ${jordan.lastName.slice(0, 2)}`)
    await admin.getByLabel('Event', { exact: true }).selectOption({ label: 'Access level changed' })
    await Promise.all([admin.waitForURL('**/activity?person=*'), button(admin, 'Filter').click()])
    expect(await admin.getByRole('status').textContent()).toBe('1 event')
    const row = admin.getByRole('table').getByRole('row').nth(1)
    expect(await row.getByRole('cell').nth(1).textContent()).toContain('Access level changed')
    expect(await row.getByRole('link', { name: `${jordan.firstName} ${jordan.lastName}` }).isVisible()).toBe(true)
    // The choices stay as they were typed.
    expect(await field(admin, 'Staff').inputValue()).toBe(`${jordan.firstName} ${jordan.lastName.slice(0, 2)}`)
    await expectAccessible(admin)
    await admin.screenshot({ path: `${SCREENSHOTS}activity.png`, fullPage: true, caret: 'initial' })
    // From the profile's link: that person only, named, with a way back to everyone.
    await admin.goto(`/staff/${staffId}/portal`)
    await Promise.all([
      admin.waitForURL(`**/activity?staff=${staffId}`),
      admin.getByRole('link', { name: 'All activity for this person' }).click(),
    ])
    expect(await admin.locator('.filter-chosen').textContent()).toBe(
      `Showing the activity of ${jordan.firstName} ${jordan.lastName}. Show everyone`,
    )
    await expectAccessible(admin)
    await admin.screenshot({ path: `${SCREENSHOTS}activity-person.png`, fullPage: true, caret: 'initial' })
    await Promise.all([admin.waitForURL('**/activity'), admin.getByRole('link', { name: 'Show everyone' }).click()])
    expect(await field(admin, 'Staff').inputValue()).toBe('')

    // ── 7. Nothing was blocked by the CSP and no script failed, in any browser ─────────────────
    for (const log of logs) {
      expect(log.cspViolations()).toEqual([])
      expect(log.pageErrors()).toEqual([])
    }
  })
})
