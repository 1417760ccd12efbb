import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { generateTotpCode } from '../../src/two-step/totp'
import { linkIn, STRONG_PASSWORD } from '../support/staff'
import { expectAccessible } from './support/axe'
import { launchBrowser, openPage, recordConsole, VIEWPORT, type ConsoleRecord } from './support/browser'
import { waitForMail } from './support/outbox'
import { button, field, fillStaffForm, logIn, saveStaffForm } from './support/page'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type RunningServer } from './support/server'

const EMAIL = 'valeria@harbor.test'
const langOf = (page: Page) => page.locator('html').getAttribute('lang')

describe('two-step sign-in in Spanish, in a real browser', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let log: ConsoleRecord
  let secret: Uint8Array
  // Each time step is accepted once: a later code waits, if it must, for a step after the last one used.
  let lastStep = Math.floor(Date.now() / 30_000)
  const freshCode = async () => {
    while (Math.floor(Date.now() / 30_000) + 1 <= lastStep) await new Promise((resolve) => setTimeout(resolve, 1000))
    lastStep = Math.max(Math.floor(Date.now() / 30_000), lastStep + 1)
    return generateTotpCode(secret, new Date(lastStep * 30_000))
  }

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    const { page: admin } = await openPage(browser, server.url)
    await logIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD, '/staff')
    await admin.goto('/staff/new')
    await fillStaffForm(admin, { firstName: 'Valeria', lastName: 'Soto', email: EMAIL })
    await admin.getByLabel('Language').selectOption('es')
    const id = await saveStaffForm(admin)
    await admin.goto(`/staff/${id}/portal`)
    await button(admin, 'Send Invitation').click()
    await admin.locator('#portal-status', { hasText: 'Signup initiated' }).waitFor()
    const invitation = await waitForMail(server.url, (m) => m.to === EMAIL)
    // A browser whose own language is English: the person's profile decides once they are known.
    const context = await browser.newContext({ baseURL: server.url, viewport: VIEWPORT, locale: 'en-US' })
    page = await context.newPage()
    log = await recordConsole(page)
    await page.goto(linkIn(invitation.text))
    await field(page, 'Contraseña').fill(STRONG_PASSWORD)
    await field(page, 'Confirmar contraseña').fill(STRONG_PASSWORD)
    await Promise.all([page.waitForURL('**/login?welcome*'), button(page, 'Crear cuenta').click()])
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('Show Password switches the type, the words and aria-pressed, in Spanish', async () => {
    expect(await langOf(page)).toBe('es')
    const password = field(page, 'Contraseña')
    const toggle = page.locator('.password-toggle')
    await password.fill(STRONG_PASSWORD)
    expect(await toggle.textContent()).toBe('Mostrar contraseña')
    expect(await toggle.getAttribute('aria-pressed')).toBe('false')
    await button(page, 'Mostrar contraseña').click()
    expect(await password.getAttribute('type')).toBe('text')
    expect(await toggle.getAttribute('aria-pressed')).toBe('true')
    expect(await button(page, 'Ocultar contraseña').count()).toBe(1)
    await expectAccessible(page)
    await button(page, 'Ocultar contraseña').press('Enter')
    expect(await password.getAttribute('type')).toBe('password')
    expect(await toggle.getAttribute('aria-pressed')).toBe('false')
    expect(await toggle.textContent()).toBe('Mostrar contraseña')
  })

  test('a Spanish-language staff member sets up an authenticator app in Spanish', async () => {
    await field(page, 'Contraseña').fill(STRONG_PASSWORD)
    await Promise.all([page.waitForURL('**/portal'), button(page, 'Iniciar sesión').click()])
    await Promise.all([page.waitForURL('**/account/two-step'), page.getByRole('link', { name: 'Inicio de sesión en dos pasos' }).click()])
    expect(await langOf(page)).toBe('es')
    await expectAccessible(page)
    await Promise.all([page.waitForURL('**/account/two-step'), button(page, 'Configurar aplicación de autenticación').click()])
    await page.getByRole('img', { name: 'Código QR para escanear con su aplicación de autenticación' }).waitFor()
    const setupKey = field(page, 'Clave de configuración')
    secret = decodeBase32IgnorePadding((await setupKey.inputValue()).replace(/ /g, ''))
    await expectAccessible(page)

    await field(page, 'Código de autenticación').fill('000000')
    await button(page, 'Activar').click()
    await expect
      .poll(() => page.locator('.field-error').first().textContent())
      .toBe('Ese código no es correcto. Revise que su teléfono tenga la hora correcta y escriba el código más reciente.')
    await expectAccessible(page)
    await field(page, 'Código de autenticación').fill(await freshCode())
    await button(page, 'Activar').click()
    const codes = page.getByRole('region', { name: 'Códigos de recuperación' }).locator('code')
    await codes.first().waitFor()
    expect(await codes.count()).toBe(10)
    await expectAccessible(page)
    const mail = await waitForMail(server.url, (m) => m.to === EMAIL && m.subject.startsWith('Inicio de sesión en dos pasos'))
    expect(mail.subject).toContain('se agregó una aplicación de autenticación')
  })

  test('logs in with the second step in Spanish, from a browser set to English', async () => {
    await Promise.all([page.waitForURL('**/login?signed_out'), button(page, 'Cerrar sesión').click()])
    await field(page, 'Correo electrónico').fill(EMAIL)
    await field(page, 'Contraseña').fill(STRONG_PASSWORD)
    await Promise.all([page.waitForURL('**/login/two-step'), button(page, 'Iniciar sesión').click()])
    expect(await langOf(page)).toBe('es')
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Inicio de sesión en dos pasos')
    expect(await page.getByRole('link', { name: 'Usar un código de recuperación' }).count()).toBe(1)
    await expectAccessible(page)
    await field(page, 'Código de autenticación').fill('000000')
    await button(page, 'Verificar').click()
    await expect.poll(() => page.locator('.field-error').first().textContent()).toBe('Ese código no es correcto o ya se usó.')
    await expectAccessible(page)
    await field(page, 'Código de autenticación').fill(await freshCode())
    await Promise.all([page.waitForURL('**/portal'), button(page, 'Verificar').click()])
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Le damos la bienvenida, Valeria')
    expect(log.cspViolations()).toEqual([])
  })
})
