import { fileURLToPath } from 'node:url'
import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import type { Browser, CDPSession, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { freePort } from '../../scripts/free-port'
import { generateTotpCode } from '../../src/two-step/totp'
import { expectAccessible } from './support/axe'
import { launchBrowser, openPage, type ConsoleRecord } from './support/browser'
import { waitForMail } from './support/outbox'
import { addStaffMember, button, createAccount, field, logIn, sendInvitationFromProfile } from './support/page'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type RunningServer } from './support/server'

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
const STAFF_PASSWORD = 'Marigold tractor sonnet 1911'

// WebAuthn needs a secure context whose host can be an RP ID: http://localhost is one,
// http://127.0.0.1 is not (Chromium: "This is an invalid domain"). So the host's APP_URL, and
// the address the browser opens, are http://localhost:<port>.
describe('two-step sign-in in a real browser', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let log: ConsoleRecord
  let cdp: CDPSession
  let authenticatorId: string
  let base: string
  let secret: Uint8Array
  let recoveryCodes: string[]
  // The server accepts each time step once, within one step of now: a later login waits, if it
  // must, until a step after the last one used is within reach.
  let lastStep = Math.floor(Date.now() / 30_000)
  const freshCode = async () => {
    while (Math.floor(Date.now() / 30_000) + 1 <= lastStep) await new Promise((resolve) => setTimeout(resolve, 1000))
    lastStep = Math.max(Math.floor(Date.now() / 30_000), lastStep + 1)
    return generateTotpCode(secret, new Date(lastStep * 30_000))
  }
  const logOut = async () => {
    await Promise.all([page.waitForURL('**/login?signed_out'), button(page, 'Log Out').click()])
  }

  beforeAll(async () => {
    const port = await freePort()
    base = `http://localhost:${port}`
    server = await startServer({ PORT: String(port), APP_URL: base })
    browser = await launchBrowser()
    ;({ page, log } = await openPage(browser, base))
    // A platform authenticator that verifies the user (as a fingerprint would) without asking.
    cdp = await page.context().newCDPSession(page)
    await cdp.send('WebAuthn.enable')
    ;({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        ctap2Version: 'ctap2_1',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    }))
    await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD, '/staff')
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('sets up an authenticator app from the shown Setup Key, and sees the recovery codes once', async () => {
    await page.goto('/portal')
    await Promise.all([page.waitForURL('**/account/two-step'), page.getByRole('link', { name: 'Two-Step Sign-In' }).click()])
    await expectAccessible(page)
    await Promise.all([page.waitForURL('**/account/two-step'), button(page, 'Set Up Authenticator App').click()])

    await page.getByRole('img', { name: 'QR code to scan with your authenticator app' }).waitFor()
    const setupKey = field(page, 'Setup Key')
    expect(await setupKey.getAttribute('readonly')).not.toBeNull()
    secret = decodeBase32IgnorePadding((await setupKey.inputValue()).replace(/ /g, ''))
    await expectAccessible(page)
    await page.screenshot({ path: `${SCREENSHOTS}two-step-setup.png`, fullPage: true })

    await field(page, 'Authentication Code').fill(generateTotpCode(secret, new Date(lastStep * 30_000)))
    await button(page, 'Turn On').click()
    const codes = page.getByRole('region', { name: 'Recovery Codes' }).locator('code')
    await codes.first().waitFor()
    expect(await codes.count()).toBe(10)
    recoveryCodes = await codes.allInnerTexts()
    await expectAccessible(page)

    await page.reload()
    expect(await page.getByRole('region', { name: 'Recovery Codes' }).locator('code').count()).toBe(0)
    expect(await page.locator('body').innerText()).toContain('10 of 10 recovery codes left')
  })

  test('adds a passkey with the browser authenticator, and lists it with Remove', async () => {
    await page.goto('/account/two-step')
    await field(page, 'Passkey Name').fill('Work laptop')
    await Promise.all([page.waitForURL('**/account/two-step?added'), button(page, 'Add Passkey').click()])
    expect(await page.locator('body').innerText()).toContain('Work laptop')
    await page.getByRole('button', { name: 'Remove Work laptop' }).waitFor()
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
    expect(credentials).toHaveLength(1)
    expect(credentials[0]!.isResidentCredential).toBe(true)
    expect(credentials[0]!.rpId).toBe('localhost')
    await expectAccessible(page)
  })

  test('logs in with the password and a code computed from the Setup Key', async () => {
    await logOut()
    await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD, '/login/two-step')
    await expectAccessible(page)
    await page.screenshot({ path: `${SCREENSHOTS}two-step-login.png`, fullPage: true })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: `${SCREENSHOTS}two-step-login-390.png`, fullPage: true })
    await page.setViewportSize({ width: 1280, height: 800 })
    await field(page, 'Authentication Code').fill(await freshCode())
    await Promise.all([page.waitForURL('**/staff'), button(page, 'Verify').click()])
  })

  test('logs in with a passkey alone from the login page', async () => {
    await logOut()
    await page.getByRole('button', { name: 'Log In with a Passkey' }).waitFor()
    await expectAccessible(page)
    await Promise.all([page.waitForURL('**/staff'), button(page, 'Log In with a Passkey').click()])
  })

  test('logs in with the password and a recovery code', async () => {
    await logOut()
    await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD, '/login/two-step')
    await Promise.all([page.waitForURL('**/login/two-step/recovery-code'), page.getByRole('link', { name: 'Use a Recovery Code' }).click()])
    await expectAccessible(page)
    await field(page, 'Recovery Code').fill(recoveryCodes[0]!)
    await Promise.all([page.waitForURL('**/staff'), button(page, 'Verify').click()])
  })

  test('the practice requires it of everyone: a new staff member sets it up right after the password', async () => {
    await page.goto('/settings')
    await field(page, 'Require Two-Step Sign-In').selectOption('everyone')
    await Promise.all([page.waitForURL('**/settings?saved'), button(page, 'Save').click()])
    await page.goto('/staff')
    const staffId = await addStaffMember(page, { firstName: 'Noor', lastName: 'Haddad', email: 'noor@clinic.test' })
    await sendInvitationFromProfile(page, staffId)
    const invitation = await waitForMail(base, (m) => m.to === 'noor@clinic.test')
    const link = /https?:\/\/\S+\/invite\/\S+/.exec(invitation.text)![0]
    await logOut()
    await createAccount(page, link, STAFF_PASSWORD)
    await logIn(page, 'noor@clinic.test', STAFF_PASSWORD, '/account/two-step/setup')
    await page.getByRole('heading', { level: 1, name: 'Set Up Two-Step Sign-In' }).waitFor()
    await expectAccessible(page)
    await page.screenshot({ path: `${SCREENSHOTS}two-step-required.png`, fullPage: true })
    await page.goto('/portal')
    expect(page.url()).toMatch(/\/account\/two-step\/setup$/)
    await Promise.all([page.waitForURL('**/account/two-step/setup'), button(page, 'Set Up Authenticator App').click()])
    const key = decodeBase32IgnorePadding((await field(page, 'Setup Key').inputValue()).replace(/ /g, ''))
    await field(page, 'Authentication Code').fill(generateTotpCode(key, new Date()))
    await button(page, 'Turn On').click()
    await page.getByRole('region', { name: 'Recovery Codes' }).locator('code').first().waitFor()
    await Promise.all([page.waitForURL('**/portal'), page.getByRole('link', { name: 'I Kept My Codes, Continue' }).click()])
    await logOut()
    await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD, '/login/two-step')
    await field(page, 'Authentication Code').fill(await freshCode())
    await Promise.all([page.waitForURL('**/staff'), button(page, 'Verify').click()])
  })

  test('the admin sees the person’s two-step state and resets it after a confirmation', async () => {
    await page.goto('/staff')
    await Promise.all([
      page.waitForURL('**/staff/*'),
      page
        .getByRole('link', { name: /Haddad/ })
        .first()
        .click(),
    ])
    await Promise.all([page.waitForURL('**/portal'), page.getByRole('link', { name: 'Staff Portal', exact: true }).click()])
    expect(await page.locator('body').innerText()).toContain('Recovery codes left')
    await page.screenshot({ path: `${SCREENSHOTS}two-step-admin.png`, fullPage: true })
    // The confirmation page a browser without script gets: its button repeats the action.
    await page.goto(`${page.url()}/two-step/reset`)
    await expectAccessible(page)
    await button(page, 'Reset Two-Step Sign-In').click()
    await page.getByText('Two-step sign-in was reset').waitFor()
  })

  test('removes the passkey, confirmed with the passkey itself', async () => {
    await page.goto('/account/two-step')
    await Promise.all([page.waitForURL('**/remove/passkey/**'), page.getByRole('button', { name: 'Remove Work laptop' }).click()])
    await expectAccessible(page)
    await Promise.all([page.waitForURL('**/account/two-step?removed'), button(page, 'Use a Passkey').click()])
    expect(await page.getByRole('button', { name: 'Remove Work laptop' }).count()).toBe(0)
    expect(await page.locator('body').innerText()).toContain('Removed.')
  })

  test('blocked nothing under the CSP and threw no script errors', () => {
    expect(log.cspViolations()).toEqual([])
    expect(log.pageErrors(), JSON.stringify(log.pageErrors())).toEqual([])
  })
})
