import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { linkIn, STRONG_PASSWORD } from '../support/staff'
import { expectAccessible } from './support/axe'
import { launchBrowser, openPage, type ConsoleRecord } from './support/browser'
import { readOutbox, waitForMail } from './support/outbox'
import { addStaffMember, button, createAccount, expectErrorBeside, field, logIn, sendInvitationFromProfile } from './support/page'
import { ADMIN_EMAIL, ADMIN_PASSWORD, PRACTICE_NAME, startServer, type RunningServer } from './support/server'

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
// The host's default practice time zone (DEFAULT_TIME_ZONE); the dates of the Expiration Date field are days there.
const PRACTICE_TIME_ZONE = 'America/New_York'

const amara = { firstName: 'Amara', lastName: 'Okafor', credentials: 'BCBA', email: 'amara.okafor@harbor.test' }
// The password set by Forgot Password, then the one set through the admin's link.
const CODE_PASSWORD = 'Lantern meadow quartz 2031'
const LINK_PASSWORD = 'Copper heron drifts 4417 slowly'

const SUBJECT = {
  // The code leads the subject, so a lock-screen notification shows it.
  code: new RegExp(`^\\d{8} is your ${PRACTICE_NAME} verification code$`),
  changed: `Your ${PRACTICE_NAME} Staff Portal password was changed`,
  link: `Reset your ${PRACTICE_NAME} Staff Portal password`,
}

const portalPanel = (page: Page) => page.getByRole('region', { name: 'Staff Portal' })
// The panel holds two live regions (its message and Copy Link's); each is found by its place.
const panelMessage = (page: Page) => page.locator('#panel-status')
const copyStatus = (page: Page) => page.locator('#portal-panel .copy-status')

/** A calendar day ("YYYY-MM-DD") in a time zone, `days` after the one `now` falls on. */
function dayInZone(now: Date, timeZone: string, days = 0): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
  const [y, m, d] = today.split('-').map(Number)
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10)
}

/** What a person reads on the page, with one address blanked out. */
async function visibleTextWithout(page: Page, email: string) {
  return (await page.locator('body').innerText()).replaceAll(email, '‹email›')
}

/**
 * The invitation journey, compactly: the admin logs in, adds a staff member, sends the
 * invitation from the Staff Portal tab, and the staff member creates an account from the
 * emailed link in their own browser. Returns the staff member's id.
 */
async function signUpStaffMember(server: RunningServer, admin: Page, staff: Page, person: typeof amara, password: string): Promise<string> {
  await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD, '/staff')
  const staffId = await addStaffMember(admin, person)
  await sendInvitationFromProfile(admin, staffId)
  const invitation = await waitForMail(server.url, (m) => m.to === person.email && m.subject.includes('invited'))
  await createAccount(staff, linkIn(invitation.text), password)
  return staffId
}

describe('password recovery in a real browser', () => {
  let server: RunningServer
  let browser: Browser
  // The admin's browser and the staff member's own, with nothing shared (cookies included).
  let admin: Page
  let staff: Page
  let adminLog: ConsoleRecord
  let staffLog: ConsoleRecord
  let staffId: string

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    ;({ page: admin, log: adminLog } = await openPage(browser, server.url))
    ;({ page: staff, log: staffLog } = await openPage(browser, server.url))
    mkdirSync(SCREENSHOTS, { recursive: true })
    staffId = await signUpStaffMember(server, admin, staff, amara, STRONG_PASSWORD)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('Forgot Password: the staff member gets a code by email, sets a new password with it and logs in', async () => {
    // ── 1. Login page → Forgot Password → Send Code ────────────────────────────────────────────
    await staff.goto('/login')
    await expectAccessible(staff)
    await Promise.all([staff.waitForURL('**/forgot-password'), staff.getByRole('link', { name: 'Forgot Password', exact: true }).click()])
    await staff.getByRole('heading', { name: 'Forgot your password?', level: 1 }).waitFor()
    await expectAccessible(staff)
    await field(staff, 'Email').fill(amara.email)
    await Promise.all([staff.waitForURL('**/forgot-password/verify?email=*'), button(staff, 'Send Code').click()])

    // ── 2. The verification page ───────────────────────────────────────────────────────────────
    await staff.getByRole('heading', { name: 'Reset your password', level: 1 }).waitFor()
    expect(await staff.getByRole('status').textContent()).toBe(
      `If an account exists for ${amara.email}, a verification code is on its way. It expires in 10 minutes and works only in this browser.`,
    )
    for (const label of ['Verification Code', 'New Password', 'Confirm New Password'])
      expect(await field(staff, label).isVisible(), label).toBe(true)
    expect(await button(staff, 'Reset Password').isVisible()).toBe(true)
    expect(await field(staff, 'Verification Code').inputValue()).toBe('')
    const knownPage = await visibleTextWithout(staff, amara.email)
    await expectAccessible(staff)

    // The code goes out just after the redirect: poll for it.
    const codeMail = await waitForMail(server.url, (m) => m.to === amara.email && SUBJECT.code.test(m.subject))
    const code = /verification code is (\d{8})\b/.exec(codeMail.text)?.[1]
    expect(code, codeMail.text).toMatch(/^\d{8}$/)
    expect(codeMail.subject.startsWith(code!)).toBe(true)
    expect(codeMail.html).toContain(code)
    expect(codeMail.text).toContain('If you did not ask for this, ignore this email; your password has not changed.')

    // ── 2b. Every problem at once, each beside its field; what was typed stays; a live count ──
    await field(staff, 'Verification Code').fill('12ab')
    await field(staff, 'New Password').fill('password1')
    expect(await staff.locator('#field-password-count').textContent()).toBe('9 of at least 15 characters')
    await field(staff, 'Confirm New Password').fill('password2')
    const [problems] = await Promise.all([
      staff.waitForResponse((r) => r.url().endsWith('/forgot-password/verify') && r.request().method() === 'POST'),
      button(staff, 'Reset Password').click(),
    ])
    expect(problems.status()).toBe(422)
    await staff.getByRole('alert').waitFor()
    await expectErrorBeside(staff, 'Verification Code', 'Enter the 8-digit code from the email.')
    await expectErrorBeside(staff, 'New Password', 'Use at least 15 characters (this has 9).')
    await expectErrorBeside(staff, 'Confirm New Password', 'The two passwords do not match.')
    expect(await field(staff, 'New Password').inputValue()).toBe('password1')
    expect(await field(staff, 'Confirm New Password').inputValue()).toBe('password2')
    expect(await staff.locator('#field-password-count').textContent()).toBe('9 of at least 15 characters')
    await expectAccessible(staff)

    // The README picture: the form filled in as a person would, focus ring aside.
    await field(staff, 'Verification Code').fill(code!)
    await field(staff, 'New Password').fill(CODE_PASSWORD)
    await field(staff, 'Confirm New Password').fill(CODE_PASSWORD)
    await field(staff, 'Confirm New Password').blur()
    await staff.screenshot({ path: `${SCREENSHOTS}forgot-password-code.png`, fullPage: true, caret: 'initial' })

    // ── 3. A wrong code first (with a good password): the reason sits beside the code ──────────
    const wrongCode = code!.slice(0, 7) + String((Number(code!.at(-1)) + 1) % 10)
    await field(staff, 'Verification Code').fill(wrongCode)
    const [refused] = await Promise.all([
      staff.waitForResponse((r) => r.url().endsWith('/forgot-password/verify') && r.request().method() === 'POST'),
      button(staff, 'Reset Password').click(),
    ])
    expect(refused.status()).toBe(422)
    await staff.getByRole('alert').waitFor()
    await expectErrorBeside(staff, 'Verification Code', 'That code is not right. 4 tries left.')
    expect(await staff.getByRole('alert').getByRole('link', { name: 'That code is not right. 4 tries left.' }).isVisible()).toBe(true)
    // What was typed is kept, both passwords included: nothing to type again but the code.
    expect(await field(staff, 'Verification Code').inputValue()).toBe(wrongCode)
    expect(await field(staff, 'New Password').inputValue()).toBe(CODE_PASSWORD)
    expect(await field(staff, 'Confirm New Password').inputValue()).toBe(CODE_PASSWORD)
    await expectAccessible(staff)

    // ── 4. The right code and a new password twice → login page ────────────────────────────────
    await field(staff, 'Verification Code').fill(code!)
    await field(staff, 'New Password').fill(CODE_PASSWORD)
    await field(staff, 'Confirm New Password').fill(CODE_PASSWORD)
    await Promise.all([staff.waitForURL('**/login?reset&email=*'), button(staff, 'Reset Password').click()])
    expect(await staff.locator('.alert[role="status"]').textContent()).toBe('Your password was changed. Log in with your new password.')
    expect(await field(staff, 'Email').inputValue()).toBe(amara.email)
    await expectAccessible(staff)

    // The old password no longer opens the account.
    await field(staff, 'Password').fill(STRONG_PASSWORD)
    const [oldTry] = await Promise.all([
      staff.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'),
      button(staff, 'Log In').click(),
    ])
    expect(oldTry.status()).toBe(401)
    expect(await staff.getByRole('alert').textContent()).toBe('That email and password do not match an account with portal access.')
    await expectAccessible(staff)

    // The new one does.
    await field(staff, 'Password').fill(CODE_PASSWORD)
    await Promise.all([staff.waitForURL('**/portal'), button(staff, 'Log In').click()])
    expect(await staff.getByRole('heading', { level: 1 }).textContent()).toBe(`Welcome, ${amara.firstName}`)
    await expectAccessible(staff)

    // The notice of the change reached the person.
    const changed = await waitForMail(server.url, (m) => m.to === amara.email && m.subject === SUBJECT.changed)
    expect(changed.text).toContain('every session was signed out')

    // ── 5. An address with no account gets the very same page (in a browser with no session) ───
    const { page: stranger, log: strangerLog } = await openPage(browser, server.url)
    const nobody = 'nobody.here@harbor.test'
    await stranger.goto('/forgot-password')
    await field(stranger, 'Email').fill(nobody)
    await Promise.all([stranger.waitForURL('**/forgot-password/verify?email=*'), button(stranger, 'Send Code').click()])
    expect(await stranger.getByRole('status').textContent()).toBe(
      `If an account exists for ${nobody}, a verification code is on its way. It expires in 10 minutes and works only in this browser.`,
    )
    expect(await visibleTextWithout(stranger, nobody)).toBe(knownPage)
    await expectAccessible(stranger)
    // Nothing is mailed to an address without an account (give a deferred send the time it would need).
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect((await readOutbox(server.url)).filter((m) => m.to === nobody)).toEqual([])
    expect(strangerLog.cspViolations()).toEqual([])
    expect(strangerLog.pageErrors()).toEqual([])
    await stranger.context().close()

    expect(staffLog.cspViolations()).toEqual([])
    expect(staffLog.pageErrors()).toEqual([])
  })

  test('admin reset link: Generate Link, Copy Link, Send to Email; the staff member sets a new password with it', async () => {
    const origin = server.url
    await admin.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin })

    // ── 1. The Staff Portal tab of a signed-up staff member ────────────────────────────────────
    const now = new Date()
    await admin.goto(`/staff/${staffId}/portal`)
    expect(await portalPanel(admin).locator('#portal-status').textContent()).toBe('Signed up')
    const date = field(admin, 'Expiration Date')
    expect(await date.getAttribute('type')).toBe('date')
    expect(await date.inputValue()).toBe(dayInZone(now, PRACTICE_TIME_ZONE, 1))
    expect(await date.getAttribute('min')).toBe(dayInZone(now, PRACTICE_TIME_ZONE))
    expect(await date.getAttribute('max')).toBe(dayInZone(now, PRACTICE_TIME_ZONE, 7))
    expect(await field(admin, 'Reset Link').count()).toBe(0)
    await expectAccessible(admin)

    // ── 2. Generate Link swaps the panel in place ──────────────────────────────────────────────
    expect(await admin.evaluate(() => typeof (window as unknown as { htmx?: unknown }).htmx)).toBe('object')
    await admin.evaluate(() => ((window as unknown as { __marker: number }).__marker = 1))
    const [generated] = await Promise.all([
      admin.waitForResponse((r) => r.url().endsWith(`/staff/${staffId}/portal/reset-links`) && r.request().method() === 'POST'),
      button(admin, 'Generate Link').click(),
    ])
    expect(generated.request().headers()['hx-request']).toBe('true')
    expect(generated.status()).toBe(200)
    const resetField = field(admin, 'Reset Link')
    await resetField.waitFor()
    expect(await admin.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(1)
    expect(admin.url()).toBe(`${server.url}/staff/${staffId}/portal`)
    expect(await resetField.getAttribute('readonly')).not.toBeNull()
    const link = await resetField.inputValue()
    expect(link.startsWith(`${server.url}/reset/`), link).toBe(true)
    expect(await panelMessage(admin).textContent()).toBe('Reset link generated. Copy it, or send it to their email.')
    // app.js reveals Copy Link on htmx:load, which fires after the settle, a moment after the swap.
    await button(admin, 'Copy Link').waitFor({ state: 'visible', timeout: 2000 })
    expect(await button(admin, 'Send to Email').isVisible()).toBe(true)
    await expectAccessible(admin)

    // ── 3. Copy Link puts the field's value on the clipboard and says so ───────────────────────
    await button(admin, 'Copy Link').click()
    await copyStatus(admin).filter({ hasText: 'Link copied to the clipboard.' }).waitFor()
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(link)
    await expectAccessible(admin)
    // Playwright hides the caret by writing a style attribute on every input and leaves an empty
    // style="" behind; htmx's settle then copies it onto the swapped-in inputs, which the CSP
    // (style-src 'self') reports. So the caret is left alone and focus taken off instead.
    await admin.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    await admin.screenshot({ path: `${SCREENSHOTS}generate-link-panel.png`, fullPage: true, caret: 'initial' })

    // ── 4. Send to Email mails that same link ──────────────────────────────────────────────────
    const [sent] = await Promise.all([
      admin.waitForResponse((r) => r.url().endsWith(`/staff/${staffId}/portal/reset-links/email`) && r.request().method() === 'POST'),
      button(admin, 'Send to Email').click(),
    ])
    expect(sent.request().headers()['hx-request']).toBe('true')
    await panelMessage(admin).filter({ hasText: 'The reset link was sent to' }).waitFor()
    expect(await panelMessage(admin).textContent()).toBe(`The reset link was sent to ${amara.email}.`)
    expect(await admin.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(1)
    await expectAccessible(admin)
    const linkMail = await waitForMail(server.url, (m) => m.to === amara.email && m.subject === SUBJECT.link)
    expect(linkMail.text).toContain(link)
    expect(linkMail.html).toContain(`href="${link}"`)

    // ── 4b. Generate Link again while that link is live: it says so and asks first ─────────────
    await button(admin, 'Generate Link').click()
    await admin.getByRole('heading', { name: 'Replace the reset link that still works?' }).waitFor()
    expect(await portalPanel(admin).getByText(`It was emailed to ${amara.email}.`).isVisible()).toBe(true)
    expect(await field(admin, 'Reset Link').count()).toBe(0)
    await expectAccessible(admin)
    await Promise.all([admin.waitForURL(`**/staff/${staffId}/portal`), admin.getByRole('link', { name: 'Keep the Current Link' }).click()])
    expect(await button(admin, 'Generate Link').isVisible()).toBe(true)

    // ── 5. The staff member (still signed in from before) opens the link ───────────────────────
    const changedNotices = async () => (await readOutbox(server.url)).filter((m) => m.to === amara.email && m.subject === SUBJECT.changed)
    const changedBefore = (await changedNotices()).length
    await staff.goto('/portal')
    expect(new URL(staff.url()).pathname).toBe('/portal')
    const opened = await staff.goto(link)
    expect(opened!.status()).toBe(200)
    await staff.getByRole('heading', { name: 'Set a new password', level: 1 }).waitFor()
    expect(await staff.getByText(`Hello ${amara.firstName}.`).isVisible()).toBe(true)
    for (const label of ['New Password', 'Confirm New Password']) expect(await field(staff, label).isVisible(), label).toBe(true)
    expect(await button(staff, 'Reset Password').isVisible()).toBe(true)
    await expectAccessible(staff)

    await field(staff, 'New Password').fill(LINK_PASSWORD)
    await field(staff, 'Confirm New Password').fill(LINK_PASSWORD)
    // The login page shows (instead of sending a signed-in person home): the reset ended their session.
    await Promise.all([staff.waitForURL('**/login?reset&email=*'), button(staff, 'Reset Password').click()])
    expect(await staff.locator('.alert[role="status"]').textContent()).toBe('Your password was changed. Log in with your new password.')
    expect(await field(staff, 'Email').inputValue()).toBe(amara.email)
    await expectAccessible(staff)
    await field(staff, 'Password').fill(LINK_PASSWORD)
    await Promise.all([staff.waitForURL('**/portal'), button(staff, 'Log In').click()])
    expect(await staff.getByRole('heading', { level: 1 }).textContent()).toBe(`Welcome, ${amara.firstName}`)
    await expectAccessible(staff)
    // A second "password was changed" notice arrived.
    await expect.poll(async () => (await changedNotices()).length, { timeout: 5_000 }).toBe(changedBefore + 1)

    // ── 6. The used link again: a page that explains ───────────────────────────────────────────
    const again = await staff.goto(link)
    expect(again!.status()).toBe(410)
    expect(await staff.getByRole('heading', { level: 1 }).textContent()).toBe('This reset link was already used')
    expect(await button(staff, 'Reset Password').count()).toBe(0)
    await expectAccessible(staff)

    // ── 7. A date past the last allowed day: the browser holds it back, and so does the server ──
    await admin.reload()
    const tooLate = dayInZone(new Date(), PRACTICE_TIME_ZONE, 30)
    await date.fill(tooLate)
    const posts: string[] = []
    const onRequest = (request: { url(): string; method(): string }) => {
      if (request.method() === 'POST' && request.url().includes('/reset-links')) posts.push(request.url())
    }
    admin.on('request', onRequest)
    await button(admin, 'Generate Link').click()
    await admin.waitForTimeout(300)
    admin.off('request', onRequest)
    // The form has no novalidate: the date input's own max stops the submit before any request.
    expect(await date.evaluate((input: HTMLInputElement) => input.validity.rangeOverflow)).toBe(true)
    expect(posts).toEqual([])

    // Without the max attribute the browser lets it through; the server still refuses it.
    await date.evaluate((input: HTMLInputElement) => input.removeAttribute('max'))
    const [badDate] = await Promise.all([
      admin.waitForResponse((r) => r.url().endsWith(`/staff/${staffId}/portal/reset-links`) && r.request().method() === 'POST'),
      button(admin, 'Generate Link').click(),
    ])
    expect(badDate.status()).toBe(422)
    await admin.locator('#field-expirationDate-error').waitFor()
    await expectErrorBeside(admin, 'Expiration Date', 'Choose a date from today up to 7 days ahead.')
    // The choice is kept, and the max is back (the panel was swapped in anew).
    expect(await date.inputValue()).toBe(tooLate)
    expect(await date.getAttribute('max')).toBe(dayInZone(new Date(), PRACTICE_TIME_ZONE, 7))
    expect(await field(admin, 'Reset Link').count()).toBe(0)
    await expectAccessible(admin)

    // ── 8. Nothing was blocked by the CSP and no script failed, in either browser ──────────────
    expect(adminLog.cspViolations()).toEqual([])
    expect(adminLog.pageErrors()).toEqual([])
    expect(staffLog.cspViolations()).toEqual([])
    expect(staffLog.pageErrors()).toEqual([])
  })
})
