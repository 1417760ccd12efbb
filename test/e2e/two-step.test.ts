import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import type { Browser, CDPSession, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { freePort } from '../../scripts/free-port'
import { generateTotpCode } from '../../src/two-step/totp'
import { expectAccessible } from './support/axe'
import { launchBrowser, openPage, type ConsoleRecord } from './support/browser'
import { button, field, logIn } from './support/page'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type RunningServer } from './support/server'

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
    const secret = decodeBase32IgnorePadding((await setupKey.inputValue()).replace(/ /g, ''))
    await expectAccessible(page)

    await field(page, 'Authentication Code').fill(generateTotpCode(secret, new Date()))
    await button(page, 'Turn On').click()
    const codes = page.getByRole('region', { name: 'Recovery Codes' }).locator('code')
    await codes.first().waitFor()
    expect(await codes.count()).toBe(10)
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

  test('removes the passkey, confirmed with the passkey itself', async () => {
    await Promise.all([page.waitForURL('**/remove/passkey/**'), page.getByRole('button', { name: 'Remove Work laptop' }).click()])
    await expectAccessible(page)
    await Promise.all([page.waitForURL('**/account/two-step?removed'), button(page, 'Use a Passkey').click()])
    expect(await page.getByRole('button', { name: 'Remove Work laptop' }).count()).toBe(0)
    expect(await page.locator('body').innerText()).toContain('Removed.')
  })

  test('blocked nothing under the CSP and threw no script errors', () => {
    expect(log.cspViolations()).toEqual([])
    expect(log.pageErrors()).toEqual([])
  })
})
