import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { freePort } from '../../scripts/free-port'
import { generateTotpCode } from '../../src/two-step/totp'
import { linkIn, STRONG_PASSWORD } from '../support/staff'
import { expectAccessible } from './support/axe'
import { launchBrowser, recordConsole, type ConsoleRecord } from './support/browser'
import { waitForMail } from './support/outbox'
import { button, createAccount, field, fillStaffForm, logIn, overflow, saveStaffForm, sendInvitationFromProfile } from './support/page'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type RunningServer } from './support/server'

// Every page a person reaches, staff side and admin side, signed in and out, and the fragments
// htmx swaps in, at 390 × 844 (a phone): nothing may scroll sideways. The onboarding journey
// covers the Staffs pages; this one walks the staff member's whole account on a phone.

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
const PHONE = { width: 390, height: 844 }
const rosa = {
  firstName: 'Rosa',
  lastName: 'Villanueva-Castellanos',
  credentials: 'RBT',
  email: 'rosa.villanueva-castellanos.longaddress@harbor-therapy-group.test',
}
const kai = { firstName: 'Kai', lastName: 'Nakamura', credentials: 'OT', email: 'kai.nakamura@harbor.test' }

describe('every page at phone width', () => {
  let server: RunningServer
  let browser: Browser
  let adminPhone: Page
  let staffPhone: Page
  let logs: ConsoleRecord[] = []
  const contexts: BrowserContext[] = []
  const wide: string[] = []
  let rosaId = ''
  let base = ''
  let kaiId = ''

  /** Notes the page (or the state after a swap) if it is wider than the phone. */
  const check = async (page: Page, what: string) => {
    const extra = await overflow(page)
    if (extra > 0) wide.push(`${what}: ${extra}px too wide`)
  }
  const visit = async (page: Page, path: string) => {
    await page.goto(path)
    await check(page, path)
  }
  const phone = async (baseURL: string) => {
    const context = await browser.newContext({ baseURL, viewport: PHONE, hasTouch: true, isMobile: true })
    contexts.push(context)
    const page = await context.newPage()
    logs.push(await recordConsole(page))
    return page
  }

  beforeAll(async () => {
    // http://localhost (not 127.0.0.1) so the two-step pages run in a context passkeys accept.
    const port = await freePort()
    base = `http://localhost:${port}`
    server = await startServer({ PORT: String(port), APP_URL: base })
    browser = await launchBrowser()
    adminPhone = await phone(base)
    staffPhone = await phone(base)
    mkdirSync(SCREENSHOTS, { recursive: true })
  })
  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await server?.stop()
  })

  test('signed out: login (both languages), Forgot Password and its code step, an unknown page', async () => {
    await visit(staffPhone, '/login')
    await Promise.all([staffPhone.waitForURL('**/login?lang=es'), staffPhone.getByRole('link', { name: 'Español' }).click()])
    expect(await staffPhone.locator('html').getAttribute('lang')).toBe('es')
    await check(staffPhone, '/login in Spanish')
    await Promise.all([staffPhone.waitForURL('**/login?lang=en'), staffPhone.getByRole('link', { name: 'English' }).click()])
    await visit(staffPhone, '/forgot-password')
    await field(staffPhone, 'Email').fill('nobody.with.a.rather.long.address@harbor-therapy-group.test')
    await Promise.all([staffPhone.waitForURL('**/forgot-password/verify**'), button(staffPhone, 'Send Code').click()])
    await check(staffPhone, 'the code step of Forgot Password')
    await expectAccessible(staffPhone)
    const missing = await staffPhone.goto('/no-such-page')
    expect(missing!.status()).toBe(404)
    await check(staffPhone, 'the 404 page')
  })

  test('admin on a phone: Add Staff, Send Invitation, the Staff Portal tab and its dialog, settings', async () => {
    await logIn(adminPhone, ADMIN_EMAIL, ADMIN_PASSWORD, '/staff')
    for (const person of [rosa, kai]) {
      await adminPhone.goto('/staff/new')
      await fillStaffForm(adminPhone, person)
      const id = await saveStaffForm(adminPhone)
      await check(adminPhone, `the profile of ${person.firstName}`)
      await sendInvitationFromProfile(adminPhone, id)
      await check(adminPhone, `the Staff Portal tab of ${person.firstName} after Send Invitation`)
      if (person === rosa) rosaId = id
      else kaiId = id
    }
    // Revoke asks in a dialog; the page under it must not widen either.
    await adminPhone.goto(`/staff/${kaiId}/portal`)
    await button(adminPhone, 'Revoke').click()
    const dialog = adminPhone.getByRole('dialog', { name: `Revoke the invitation to ${kai.email}?` })
    await dialog.waitFor()
    await check(adminPhone, 'the Revoke dialog')
    await expectAccessible(adminPhone)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    // Sign Out Everyone asks in the same dialog as every destructive action.
    await adminPhone.goto('/settings')
    await button(adminPhone, 'Sign Out Everyone').click()
    const everyone = adminPhone.getByRole('dialog', { name: 'Sign out everyone in Harbor Therapy Group?' })
    await everyone.waitFor()
    await check(adminPhone, 'the Sign Out Everyone dialog')
    await everyone.getByRole('button', { name: 'Cancel' }).click()
    await everyone.waitFor({ state: 'detached' })
    for (const path of ['/settings', '/activity', '/activity?event=login.failed', '/dev/outbox', `/staff/${rosaId}/edit`]) {
      await visit(adminPhone, path)
    }
  })

  test('staff on a phone: Create Account, the portal home, Change Password, Two-Step Sign-In end to end', async () => {
    const invitation = await waitForMail(base, (m) => m.to === rosa.email)
    const link = linkIn(invitation.text)
    await visit(staffPhone, new URL(link).pathname)
    await expectAccessible(staffPhone)
    await createAccount(staffPhone, new URL(link).pathname, STRONG_PASSWORD)
    await check(staffPhone, 'the login page after Create Account')
    await logIn(staffPhone, rosa.email, STRONG_PASSWORD, '/portal')
    await check(staffPhone, '/portal (the sessions table)')
    // This device's card has no actions, so no empty "Actions" line either.
    expect(
      await staffPhone
        .locator('.table-stack tbody td')
        .evaluateAll((cells) => cells.filter((c) => c.getBoundingClientRect().height > 0 && !c.textContent?.trim()).length),
    ).toBe(0)
    await expectAccessible(staffPhone)
    await staffPhone.screenshot({ path: `${SCREENSHOTS}portal-home-390.png`, fullPage: true })
    await staffPhone.setViewportSize({ width: 1280, height: 800 })
    await staffPhone.screenshot({ path: `${SCREENSHOTS}portal-home-1280.png`, fullPage: true })
    await staffPhone.setViewportSize(PHONE)
    await visit(staffPhone, '/portal/password')
    // Every password problem at once, beside the fields.
    await field(staffPhone, 'Current Password').fill('not it')
    await field(staffPhone, 'New Password').fill('short')
    await field(staffPhone, 'Confirm New Password').fill('shorter')
    await button(staffPhone, 'Change Password').click()
    await staffPhone.locator('.field-error').first().waitFor()
    await check(staffPhone, 'Change Password with errors')

    await visit(staffPhone, '/account/two-step')
    await button(staffPhone, 'Set Up Authenticator App').click()
    await staffPhone.getByRole('img', { name: 'QR code to scan with your authenticator app' }).waitFor()
    await check(staffPhone, 'Set Up Authenticator App (QR code and Setup Key)')
    await expectAccessible(staffPhone)
    await staffPhone.screenshot({ path: `${SCREENSHOTS}two-step-setup-390.png`, fullPage: true })
    // The whole Setup Key is in view: a person copies it by eye into an app on the same phone.
    expect(await field(staffPhone, 'Setup Key').evaluate((input) => input.scrollWidth - input.clientWidth)).toBeLessThanOrEqual(0)
    const secret = decodeBase32IgnorePadding((await field(staffPhone, 'Setup Key').inputValue()).replace(/ /g, ''))
    const step = Math.floor(Date.now() / 30_000)
    await field(staffPhone, 'Authentication Code').fill(generateTotpCode(secret, new Date(step * 30_000)))
    await button(staffPhone, 'Turn On').click()
    await staffPhone.getByRole('region', { name: 'Recovery Codes' }).locator('code').first().waitFor()
    await check(staffPhone, 'the Recovery Codes after Turn On')
    await visit(staffPhone, '/account/two-step/remove/app')
    await visit(staffPhone, '/account/two-step/recovery-codes/new')

    // The second step of the next login, and the recovery-code form.
    await staffPhone.goto('/portal')
    await Promise.all([staffPhone.waitForURL('**/login?signed_out'), button(staffPhone, 'Log Out').click()])
    await logIn(staffPhone, rosa.email, STRONG_PASSWORD, '/login/two-step')
    await check(staffPhone, 'the second step (Authentication Code)')
    await expectAccessible(staffPhone)
    await visit(staffPhone, '/login/two-step/recovery-code')
    await field(staffPhone, 'Recovery Code').fill('aaaa-bbbb')
    await button(staffPhone, 'Verify').click()
    await staffPhone.locator('.field-error').first().waitFor()
    await check(staffPhone, 'a wrong Recovery Code')
  })

  test('admin reset link on a phone: Generate Link swaps in the link; the staff member opens it', async () => {
    await adminPhone.goto(`/staff/${rosaId}/portal`)
    await check(adminPhone, 'the Staff Portal tab of a signed-up person')
    await button(adminPhone, 'Generate Link').click()
    const resetLink = field(adminPhone, 'Reset Link')
    await resetLink.waitFor()
    await check(adminPhone, 'the Staff Portal tab after Generate Link')
    await expectAccessible(adminPhone)
    const link = await resetLink.inputValue()
    await visit(staffPhone, new URL(link).pathname)
    await expectAccessible(staffPhone)

    expect(wide).toEqual([])
    for (const log of logs) {
      expect(log.cspViolations()).toEqual([])
      expect(log.pageErrors()).toEqual([])
    }
  })
})
