import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { expectAccessible } from './support/axe'
import { launchBrowser, openPage, recordConsole, type ConsoleRecord } from './support/browser'
import { button, fillStaffForm, logIn, overflow, saveStaffForm } from './support/page'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type RunningServer } from './support/server'

// Onboarding a practice from a desk and a phone: the Onboarding summary, the Status filter,
// Select All, Invite Selected asking in an accessible <dialog> (and on a page without
// JavaScript), Save and Invite, and no page scrolling sideways at 390 px.

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
const PHONE = { width: 390, height: 844 }

const people = [
  { firstName: 'Benjamin', lastName: 'Whitlock', credentials: 'RBT', email: 'ben.whitlock@harbor.test' },
  { firstName: 'Mei', lastName: 'Chen', credentials: 'SLP', email: 'mei.chen@harbor.test', email2: 'mei.chen.home@gmail.test' },
  { firstName: 'Diego', lastName: 'Ramírez', credentials: 'OT', email: 'diego.ramirez@harbor.test' },
  {
    firstName: 'Elena',
    lastName: 'Petrova-Lindqvist',
    credentials: 'BCBA',
    email: 'elena.petrova-lindqvist.longaddress@harbor-therapy-group.test',
  },
]

describe('onboarding a practice in a real browser', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let log: ConsoleRecord
  let amaraId = ''

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    ;({ page, log } = await openPage(browser, server.url))
    mkdirSync(SCREENSHOTS, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('Save and Invite, the Onboarding summary, the Status filter and Invite Selected with a dialog', async () => {
    await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD, '/staff')
    for (const person of people) {
      await page.goto('/staff/new')
      await fillStaffForm(page, person)
      await saveStaffForm(page)
    }
    // Save and Invite lands on the Staff Portal tab with the invitation sent.
    await page.goto('/staff/new')
    await fillStaffForm(page, { firstName: 'Amara', lastName: 'Okafor', credentials: 'BCBA', email: 'amara.okafor@harbor.test' })
    await Promise.all([page.waitForURL(/\/staff\/[a-z2-7]{16}\/portal\?saved&invited=sent$/), button(page, 'Save and Invite').click()])
    amaraId = /\/staff\/([a-z2-7]{16})\//.exec(page.url())![1]!
    const portal = page.getByRole('region', { name: 'Staff Portal' })
    expect(await portal.locator('#portal-status').textContent()).toBe('Signup initiated')
    expect(await button(page, 'Resend').isVisible()).toBe(true)
    expect(await button(page, 'Send Invitation').count()).toBe(0)
    await expectAccessible(page)

    // The Staffs list: the Onboarding region, then the Status filter applies at once.
    await page.goto('/staff')
    const onboarding = page.getByRole('region', { name: 'Onboarding' })
    expect(await onboarding.getByRole('link', { name: 'Yet to sign up: 4' }).isVisible()).toBe(true)
    expect(await onboarding.getByRole('link', { name: 'Signup initiated: 1' }).isVisible()).toBe(true)
    await expectAccessible(page)
    await page.screenshot({ path: `${SCREENSHOTS}onboarding-staffs-1280.png`, fullPage: true })
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('status=yet-to-sign-up') && r.request().headers()['hx-request'] === 'true'),
      page.getByLabel('Status', { exact: true }).selectOption({ label: 'Yet to sign up' }),
    ])
    await page.getByRole('status').filter({ hasText: 'with status “Yet to sign up”' }).waitFor()
    expect(await page.getByRole('table').getByRole('rowheader').allTextContents()).toEqual([
      'Chen, Mei',
      'Petrova-Lindqvist, Elena',
      'Ramírez, Diego',
      'Whitlock, Benjamin',
    ])
    expect(await page.getByRole('checkbox', { name: 'Mei Chen', exact: true }).isVisible()).toBe(true)

    // Select All ticks the page; Invite Selected asks in a modal dialog, Cancel first.
    await page.getByRole('checkbox', { name: 'Select All' }).check()
    expect(await page.getByRole('checkbox', { name: 'Diego Ramírez' }).isChecked()).toBe(true)
    const invite = button(page, 'Invite Selected')
    await invite.click()
    const dialog = page.getByRole('dialog', { name: 'Send 4 invitations?' })
    await dialog.waitFor()
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel')
    expect(await page.evaluate(() => document.querySelector('#dialog-slot dialog')?.matches(':modal'))).toBe(true)
    await expectAccessible(page)
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Invite Selected')

    await invite.click()
    await Promise.all([page.waitForURL('**/staff/invitations'), dialog.getByRole('button', { name: 'Send 4 Invitations' }).click()])
    await page.getByRole('heading', { name: '4 invitations sent', level: 1 }).waitFor()
    // htmx polls until every email has gone, then stops.
    await page.getByText('4 emails sent, 0 sending, 0 not delivered.').waitFor({ timeout: 15_000 })
    expect(await page.locator('[hx-trigger]').count()).toBe(0)
    await expectAccessible(page)

    // Revoke on the Staff Portal tab asks in the dialog too.
    await page.goto(`/staff/${amaraId}/portal`)
    await button(page, 'Revoke').click()
    const revoke = page.getByRole('dialog', { name: 'Revoke the invitation to amara.okafor@harbor.test?' })
    await revoke.waitFor()
    await revoke.getByRole('button', { name: 'Revoke' }).click()
    await page.getByRole('status').filter({ hasText: 'Invitation revoked.' }).waitFor()
    expect(await portal.locator('#portal-status').textContent()).toBe('Yet to sign up')
    await page.screenshot({ path: `${SCREENSHOTS}onboarding-staff-portal-1280.png`, fullPage: true })

    expect(log.cspViolations()).toEqual([])
    expect(log.pageErrors()).toEqual([])
  })

  test('without JavaScript, Revoke and Invite Selected ask on a page whose button repeats the action', async () => {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 }, javaScriptEnabled: false })
    const plain = await context.newPage()
    plain.setDefaultTimeout(15_000)
    await logIn(plain, ADMIN_EMAIL, ADMIN_PASSWORD, '/staff')
    await plain.goto('/staff/new')
    await fillStaffForm(plain, { firstName: 'Jo', lastName: 'Plain', email: 'jo.plain@harbor.test' })
    await Promise.all([plain.waitForURL(/\/portal\?saved&invited=sent$/), button(plain, 'Save and Invite').click()])
    // Copy Link needs script; Revoke asks on a page of its own.
    await Promise.all([plain.waitForURL('**/revoke'), button(plain, 'Revoke').click()])
    await plain.getByRole('heading', { name: 'Revoke the invitation to jo.plain@harbor.test?', level: 1 }).waitFor()
    expect(await plain.getByRole('link', { name: 'Cancel' }).isVisible()).toBe(true)
    // (axe needs script; the 390 px test checks the confirmation page with it.)
    await button(plain, 'Revoke').click()
    await plain.getByText('Invitation revoked.').waitFor()

    await plain.goto('/staff?q=jo')
    await plain.getByRole('checkbox', { name: 'Jo Plain' }).check()
    await Promise.all([plain.waitForURL('**/staff/invitations'), button(plain, 'Invite Selected').click()])
    await plain.getByRole('heading', { name: 'Send 1 invitation?', level: 1 }).waitFor()
    await Promise.all([plain.waitForURL('**/staff/invitations'), button(plain, 'Send 1 Invitation').click()])
    await plain.getByRole('heading', { name: '1 invitation sent' }).waitFor()
    await context.close()
  })

  test('at 390 px no page scrolls sideways; screenshots at both widths', async () => {
    const context = await browser.newContext({ baseURL: server.url, viewport: PHONE, hasTouch: true, isMobile: true })
    const phone = await context.newPage()
    const phoneLog = await recordConsole(phone)
    await phone.goto('/login')
    expect(await overflow(phone)).toBeLessThanOrEqual(0)
    await phone.goto('/forgot-password')
    expect(await overflow(phone)).toBeLessThanOrEqual(0)
    await logIn(phone, ADMIN_EMAIL, ADMIN_PASSWORD, '/staff')
    const pages = [
      '/staff',
      '/staff?status=signup-initiated',
      '/staff/new',
      `/staff/${amaraId}`,
      `/staff/${amaraId}/portal`,
      `/staff/${amaraId}/edit`,
      '/activity',
      '/settings',
      '/portal',
    ]
    const wide: string[] = []
    for (const path of pages) {
      await phone.goto(path)
      const extra = await overflow(phone)
      if (extra > 0) wide.push(`${path}: ${extra}px too wide`)
    }
    // Fragments after swaps: Search results, and the confirmation dialog.
    await phone.goto('/staff')
    await phone.getByRole('searchbox', { name: 'Search' }).fill('e')
    await phone.getByRole('status').filter({ hasText: 'matching “e”' }).waitFor()
    if ((await overflow(phone)) > 0) wide.push('/staff after Search')
    await phone.goto('/staff')
    await phone.screenshot({ path: `${SCREENSHOTS}onboarding-staffs-390.png`, fullPage: true })
    await phone.goto(`/staff/${amaraId}/portal`)
    await phone.screenshot({ path: `${SCREENSHOTS}onboarding-staff-portal-390.png`, fullPage: true })
    // The confirmation page, as a plain form post reaches it.
    await phone.goto('/staff?q=whitlock')
    await Promise.all([
      phone.waitForURL('**/staff/invitations'),
      phone.evaluate(() => {
        const form = document.getElementById('bulk-invite') as HTMLFormElement
        ;(document.querySelector('input[name="staffId"]') as HTMLInputElement).checked = true
        form.submit()
      }),
    ])
    await phone.getByRole('heading', { level: 1 }).waitFor()
    if ((await overflow(phone)) > 0) wide.push('the confirmation page')
    await expectAccessible(phone)
    expect(wide).toEqual([])
    await phone.goto(`/staff/${amaraId}/portal`)
    await expectAccessible(phone)
    await phone.goto('/staff')
    await expectAccessible(phone)
    expect(phoneLog.cspViolations()).toEqual([])
    await context.close()
  })
})
