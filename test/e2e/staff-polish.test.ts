import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { linkIn, STRONG_PASSWORD } from '../support/staff'
import { expectAccessible } from './support/axe'
import { launchBrowser, openPage } from './support/browser'
import { readOutbox } from './support/outbox'
import { button, field, fillStaffForm, logIn, saveStaffForm } from './support/page'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type RunningServer } from './support/server'

const langOf = (page: Page) => page.locator('html').getAttribute('lang')

describe('staff-facing polish in a real browser', () => {
  let server: RunningServer
  let browser: Browser

  beforeAll(async () => {
    // ADMIN_FIRST_NAME / ADMIN_LAST_NAME empty: the admin is bootstrapped as "Practice Admin".
    server = await startServer({ ADMIN_FIRST_NAME: '', ADMIN_LAST_NAME: '' })
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('Show Password switches the field between hidden and shown, by mouse and by keyboard; without script it is not there', async () => {
    const { page, log } = await openPage(browser, server.url)
    await page.goto('/login')
    const password = field(page, 'Password')
    // One button whose words follow the state: "Show Password", then "Hide Password" while shown.
    const toggle = page.locator('.password-toggle')
    await password.fill('secret words here')
    expect(await password.getAttribute('type')).toBe('password')
    expect(await toggle.getAttribute('aria-pressed')).toBe('false')
    await button(page, 'Show Password').click()
    expect(await password.getAttribute('type')).toBe('text')
    expect(await toggle.getAttribute('aria-pressed')).toBe('true')
    expect(await button(page, 'Hide Password').count()).toBe(1)
    await toggle.focus()
    await page.keyboard.press('Space')
    expect(await password.getAttribute('type')).toBe('password')
    expect(await toggle.textContent()).toBe('Show Password')
    await page.keyboard.press('Enter')
    expect(await password.getAttribute('type')).toBe('text')
    await expectAccessible(page)
    expect(log.cspViolations()).toEqual([])

    const noScript = await browser.newContext({ baseURL: server.url, javaScriptEnabled: false })
    const plain = await noScript.newPage()
    await plain.goto('/login')
    expect(await plain.getByRole('button', { name: 'Show Password' }).count()).toBe(0)
    await noScript.close()
  })

  test('the first admin is asked for a name, may skip once, is asked again, then saves it', async () => {
    const { page } = await openPage(browser, server.url)
    await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD, '/portal/name?next=%2Fstaff')
    await expectAccessible(page)
    await Promise.all([page.waitForURL('**/staff'), page.getByRole('link', { name: 'Skip for Now' }).click()])
    await page.context().clearCookies()
    await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD, '/portal/name?next=%2Fstaff')
    await field(page, 'First Name').fill('Dana')
    await field(page, 'Last Name').fill('Reyes')
    await Promise.all([page.waitForURL('**/staff'), button(page, 'Save').click()])
    await expect.poll(() => page.locator('.whoami').textContent()).toContain('Dana Reyes')
  })

  test('"Still there?" appears two minutes before the idle limit and "Stay Signed In" keeps the session', async () => {
    const { page, log } = await openPage(browser, server.url)
    // The browser's clock is the test's to move; the server keeps real time and stays the authority.
    await page.clock.install()
    await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD, '/staff')
    await page.goto('/settings')
    await page.getByLabel('Sign Out After').selectOption('5')
    await Promise.all([page.waitForURL('**/settings?saved'), button(page, 'Save').click()])
    expect(await page.locator('body').getAttribute('data-idle-minutes')).toBe('5')

    const dialog = page.getByRole('dialog', { name: 'Still there?' })
    expect(await dialog.isVisible()).toBe(false)
    await page.clock.fastForward('02:59')
    expect(await dialog.isVisible()).toBe(false)
    await page.clock.fastForward('00:02')
    await expect.poll(() => dialog.isVisible()).toBe(true)
    await expectAccessible(page)

    const keepAlive = page.waitForResponse((response) => response.url().endsWith('/portal/keep-alive'))
    await button(page, 'Stay Signed In').click()
    expect((await keepAlive).status()).toBe(204)
    await expect.poll(() => dialog.isVisible()).toBe(false)
    // The timer started again: no warning until three minutes from now.
    await page.clock.fastForward('02:30')
    expect(await dialog.isVisible()).toBe(false)
    expect(page.url()).toContain('/settings')
    expect(log.cspViolations()).toEqual([])
    expect(log.pageErrors()).toEqual([])

    await page.getByLabel('Sign Out After').selectOption('30')
    await Promise.all([page.waitForURL('**/settings?saved'), button(page, 'Save').click()])
  })

  test('a Spanish-speaking staff member gets a Spanish invitation, Create Account and login, and both languages are accessible', async () => {
    const { page: admin } = await openPage(browser, server.url)
    await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD, '/staff')
    await admin.goto('/staff/new')
    await fillStaffForm(admin, { firstName: 'Lucía', lastName: 'Ramírez', email: 'lucia@harbor.test' })
    await admin.getByLabel('Language').selectOption('es')
    const id = await saveStaffForm(admin)
    await admin.goto(`/staff/${id}/portal`)
    expect(await langOf(admin)).toBe('en')
    await button(admin, 'Send Invitation').click()
    await expect.poll(() => admin.locator('#portal-status').textContent()).toBe('Signup initiated')

    const mail = (await readOutbox(server.url)).find((m) => m.to === 'lucia@harbor.test')!
    expect(mail.subject).toBe('Invitación al Staff Portal de Harbor Therapy Group')
    expect(mail.text).toContain('Dana Reyes le invitó al Staff Portal de Harbor Therapy Group.')

    const { page: staff, log } = await openPage(browser, server.url)
    await staff.goto(linkIn(mail.text))
    expect(await langOf(staff)).toBe('es')
    await expectAccessible(staff)
    await field(staff, 'Contraseña').fill(STRONG_PASSWORD)
    await field(staff, 'Confirmar contraseña').fill('otra cosa')
    await button(staff, 'Crear cuenta').click()
    await expect.poll(() => staff.locator('.field-error').first().textContent()).toBe('Las dos contraseñas no coinciden.')
    await expectAccessible(staff)
    await field(staff, 'Contraseña').fill(STRONG_PASSWORD)
    await field(staff, 'Confirmar contraseña').fill(STRONG_PASSWORD)
    await Promise.all([staff.waitForURL('**/login?welcome*'), button(staff, 'Crear cuenta').click()])
    expect(await langOf(staff)).toBe('es')
    await expectAccessible(staff)
    await field(staff, 'Contraseña').fill(STRONG_PASSWORD)
    await Promise.all([staff.waitForURL('**/portal'), button(staff, 'Iniciar sesión').click()])
    expect(await langOf(staff)).toBe('es')
    expect(await staff.getByRole('heading', { level: 1 }).textContent()).toBe('Le damos la bienvenida, Lucía')
    await expectAccessible(staff)

    // The other language, by the link on a signed-out page.
    const { page: visitor } = await openPage(browser, server.url)
    await visitor.goto('/login')
    expect(await langOf(visitor)).toBe('en')
    await Promise.all([visitor.waitForURL('**/login?lang=es'), visitor.getByRole('link', { name: 'Español' }).click()])
    expect(await langOf(visitor)).toBe('es')
    expect(await visitor.getByRole('button', { name: 'Mostrar contraseña' }).count()).toBe(1)
    await expectAccessible(visitor)
    await visitor.goto('/forgot-password')
    expect(await langOf(visitor)).toBe('es')
    expect(log.cspViolations()).toEqual([])
  })
})
