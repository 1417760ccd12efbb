import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { linkIn, STRONG_PASSWORD } from '../support/staff'
import { expectAccessible } from './support/axe'
import { launchBrowser, openPage, type ConsoleRecord } from './support/browser'
import { readOutbox } from './support/outbox'
import { button, expectErrorBeside, field, fillStaffForm, saveStaffForm } from './support/page'
import { ADMIN_EMAIL, ADMIN_PASSWORD, PRACTICE_NAME, startServer, type RunningServer } from './support/server'

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))

const amara = {
  firstName: 'Amara',
  lastName: 'Okafor',
  credentials: 'BCBA',
  phone: '(555) 201-3344',
  email: 'amara.okafor@harbor.test',
  // The admin invites this one, so the test proves the chosen address is used, not the primary.
  email2: 'amara.okafor@personal.test',
}

const portalPanel = (page: Page) => page.getByRole('region', { name: 'Staff Portal' })
// The badge has no role of its own; its id is the one the panel gives it, in the page and in the fragment alike.
const portalBadge = (page: Page) => page.locator('#portal-status')

describe('the invitation journey in a real browser', () => {
  let server: RunningServer
  let browser: Browser
  // The admin's browser and the staff member's own, with nothing shared (cookies included).
  let admin: Page
  let staff: Page
  let adminLog: ConsoleRecord
  let staffLog: ConsoleRecord

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    ;({ page: admin, log: adminLog } = await openPage(browser, server.url))
    ;({ page: staff, log: staffLog } = await openPage(browser, server.url))
    mkdirSync(SCREENSHOTS, { recursive: true })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('admin invites a chosen address, the staff member creates an account and logs in, the admin sees "Signed up"', async () => {
    // ── 1. The admin logs in and adds a staff member with two addresses ─────────────────────────
    await admin.goto('/login')
    await expectAccessible(admin)
    await field(admin, 'Email').fill(ADMIN_EMAIL)
    await field(admin, 'Password').fill(ADMIN_PASSWORD)
    await Promise.all([admin.waitForURL('**/staff'), button(admin, 'Log In').click()])
    await expectAccessible(admin)

    await Promise.all([admin.waitForURL('**/staff/new'), admin.getByRole('link', { name: 'Add Staff' }).click()])
    await expectAccessible(admin)
    await fillStaffForm(admin, amara)
    // Saving lands on the new profile.
    const staffId = await saveStaffForm(admin)
    await expectAccessible(admin)

    // ── 2. Staff Portal tab: send the invitation to the second address ─────────────────────────
    await Promise.all([
      admin.waitForURL(`**/staff/${staffId}/portal`),
      admin.getByRole('link', { name: 'Staff Portal', exact: true }).click(),
    ])
    expect(await portalBadge(admin).textContent()).toBe('Yet to sign up')
    await expectAccessible(admin)

    // The radio's name is the address itself (the primary one also says "Primary").
    const second = admin.getByRole('radio', { name: amara.email2, exact: true })
    expect(await admin.getByRole('radio', { name: amara.email }).isChecked()).toBe(true)
    await second.check()

    // A marker on window survives an htmx swap but not a page load: proof the badge changed in place.
    // htmx must be there before the click, or the form would post the old-fashioned way (and still pass).
    expect(await admin.evaluate(() => typeof (window as unknown as { htmx?: unknown }).htmx)).toBe('object')
    await admin.evaluate(() => ((window as unknown as { __marker: number }).__marker = 1))
    const [response] = await Promise.all([
      admin.waitForResponse((r) => r.url().endsWith(`/staff/${staffId}/portal/invitations`) && r.request().method() === 'POST'),
      button(admin, 'Send Invitation').click(),
    ])
    expect(response.request().headers()['hx-request']).toBe('true')
    expect(response.status()).toBe(200)
    // The response is in; wait for htmx to swap it (the badge text is the visible sign).
    await admin.locator('#portal-status', { hasText: 'Signup initiated' }).waitFor()
    expect(await admin.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(1)
    expect(admin.url()).toBe(`${server.url}/staff/${staffId}/portal`)
    expect(await portalBadge(admin).textContent()).toBe('Signup initiated')
    const panel = portalPanel(admin)
    // The outcome lives in a status region outside the swapped panel, so it is announced;
    // Send Invitation is gone while the invitation is pending (Resend and Revoke take its
    // place), so focus moves to the outcome rather than to the top of the page.
    expect(await admin.locator('#panel-status').textContent()).toBe(`Invitation sent to ${amara.email2}.`)
    // Focus moves once htmx settles the swap, a moment after the badge changes: wait for it.
    await admin.waitForFunction(() => document.activeElement?.id === 'panel-status', undefined, { timeout: 5_000 }).catch(() => {})
    expect(await admin.evaluate(() => document.activeElement?.id)).toBe('panel-status')
    // The pending invitation's details name the chosen address, with Resend and Revoke beside them.
    expect(await panel.locator('.callout').textContent()).toContain(`Invitation sent to ${amara.email2} on`)
    expect(await button(admin, 'Resend').isVisible()).toBe(true)
    expect(await button(admin, 'Revoke').isVisible()).toBe(true)
    await expectAccessible(admin)
    await admin.screenshot({ path: `${SCREENSHOTS}portal-tab-pending.png`, fullPage: true })

    // ── 3. The email, read where a mail client would get it ────────────────────────────────────
    const [mail] = await readOutbox(server.url)
    expect(mail!.to).toBe(amara.email2)
    expect(mail!.subject).toBe(`You're invited to the ${PRACTICE_NAME} Staff Portal`)
    const link = linkIn(mail!.text)
    // Without APP_URL the host builds links from where it listens.
    expect(link.startsWith(`${server.url}/invite/`)).toBe(true)
    expect(mail!.html).toContain(`href="${link}"`)

    // The staff member opens it in their own browser.
    await staff.goto(link)
    await staff.getByRole('heading', { name: 'Create your account', level: 1 }).waitFor()
    expect(await staff.getByText(`Welcome, ${amara.firstName}.`).isVisible()).toBe(true)
    expect(await field(staff, 'Email').inputValue()).toBe(amara.email2)
    const password = field(staff, 'Password')
    const confirm = field(staff, 'Confirm Password')
    await expectAccessible(staff)

    // The README picture: the form filled in as a person would, focus ring aside.
    await password.fill(STRONG_PASSWORD)
    await confirm.fill(STRONG_PASSWORD)
    await confirm.blur()
    await staff.screenshot({ path: `${SCREENSHOTS}create-account.png`, fullPage: true })

    // Passwords that differ (one stray character): the page comes back with the reason beside Confirm Password.
    await confirm.fill(`${STRONG_PASSWORD}!`)
    const [refused] = await Promise.all([
      staff.waitForResponse((r) => r.url() === link && r.request().method() === 'POST'),
      button(staff, 'Create Account').click(),
    ])
    expect(refused.status()).toBe(422)
    await staff.getByRole('alert').waitFor()
    await expectErrorBeside(staff, 'Confirm Password', 'The two passwords do not match.')
    expect(await staff.getByRole('alert').getByRole('link', { name: 'The two passwords do not match.' }).isVisible()).toBe(true)
    expect(new URL(staff.url()).pathname).toBe(new URL(link).pathname)
    await expectAccessible(staff)

    // The same strong password twice creates the account and sends the person to log in.
    await password.fill(STRONG_PASSWORD)
    await confirm.fill(STRONG_PASSWORD)
    await Promise.all([staff.waitForURL('**/login?welcome&email=*'), button(staff, 'Create Account').click()])
    expect(await staff.locator('.alert[role="status"]').textContent()).toBe('Your account is ready. Log in with your email and password.')
    expect(await field(staff, 'Email').inputValue()).toBe(amara.email2)
    // The email is filled, so the cursor waits in Password.
    expect(await staff.evaluate(() => document.activeElement?.id)).toBe('field-password')
    await expectAccessible(staff)

    // Only the password is typed.
    await field(staff, 'Password').fill(STRONG_PASSWORD)
    await Promise.all([staff.waitForURL('**/portal'), button(staff, 'Log In').click()])
    expect(await staff.getByRole('heading', { level: 1 }).textContent()).toBe(`Welcome, ${amara.firstName}`)
    const profile = staff.getByRole('region', { name: 'Your profile' })
    for (const text of [`${amara.firstName} ${amara.lastName}`, amara.credentials, PRACTICE_NAME])
      expect(await profile.getByText(text, { exact: true }).isVisible(), text).toBe(true)
    // Both addresses on file are listed (the primary one with its badge).
    for (const address of [amara.email, amara.email2])
      expect(await profile.getByRole('listitem').filter({ hasText: address }).isVisible(), address).toBe(true)
    expect(await button(staff, 'Log Out').isVisible()).toBe(true)
    // A staff member has no admin navigation.
    expect(await staff.getByRole('link', { name: 'Staffs', exact: true }).count()).toBe(0)
    await expectAccessible(staff)

    // ── 4. Back with the admin: the tab and the list both say "Signed up" ──────────────────────
    await admin.reload()
    expect(await portalBadge(admin).textContent()).toBe('Signed up')
    expect(await portalPanel(admin).getByText(`for ${amara.email2}.`, { exact: false }).isVisible()).toBe(true)
    expect(await button(admin, 'Send Invitation').count()).toBe(0)
    await expectAccessible(admin)
    await admin.screenshot({ path: `${SCREENSHOTS}portal-tab-signed-up.png`, fullPage: true })

    await Promise.all([
      admin.waitForURL('**/staff'),
      admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staffs', exact: true }).click(),
    ])
    const row = admin.getByRole('row').filter({ has: admin.getByRole('rowheader', { name: 'Okafor, Amara' }) })
    expect(await row.locator('.badge').textContent()).toBe('Signed up')
    await expectAccessible(admin)

    // ── 5. The used link again: a page that explains, not an error ─────────────────────────────
    const again = await staff.goto(link)
    expect(again!.status()).toBe(410)
    expect(await staff.getByRole('heading', { level: 1 }).textContent()).toBe('This invitation was already used')
    expect(await staff.getByRole('link', { name: 'Go to the login page' }).isVisible()).toBe(true)
    expect(await button(staff, 'Create Account').count()).toBe(0)
    await expectAccessible(staff)

    // ── 6. Nothing was blocked by the CSP and no script failed, in either browser ──────────────
    expect(adminLog.cspViolations()).toEqual([])
    expect(adminLog.pageErrors()).toEqual([])
    expect(staffLog.cspViolations()).toEqual([])
    expect(staffLog.pageErrors()).toEqual([])
  })
})
