import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { expectAccessible } from './support/axe'
import { launchBrowser, openPage, type ConsoleRecord } from './support/browser'
import { field, fillStaffForm, saveStaffForm, type StaffDetails } from './support/page'
import { ADMIN_EMAIL, ADMIN_PASSWORD, PRACTICE_NAME, startServer, type RunningServer } from './support/server'

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))

type Person = StaffDetails & { credentials: string; phone: string; email: string }

const amara: Person = {
  firstName: 'Amara',
  lastName: 'Okafor',
  credentials: 'BCBA',
  phone: '(555) 201-3344',
  email: 'amara.okafor@harbor.test',
  email2: 'amara.okafor@personal.test',
}

const colleagues: Person[] = [
  { firstName: 'Benjamin', lastName: 'Whitlock', credentials: 'RBT', phone: '(555) 201-1180', email: 'ben.whitlock@harbor.test' },
  { firstName: 'Mei', lastName: 'Chen', credentials: 'SLP', phone: '(555) 201-7725', email: 'mei.chen@harbor.test' },
  { firstName: 'Diego', lastName: 'Ramírez', credentials: 'OT', phone: '(555) 201-4410', email: 'diego.ramirez@harbor.test' },
  { firstName: 'Elena', lastName: 'Petrova', credentials: 'RBT', phone: '(555) 201-9032', email: 'elena.petrova@harbor.test' },
]

describe('staff directory in a real browser', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let browserLog: ConsoleRecord

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    ;({ page, log: browserLog } = await openPage(browser, server.url))
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  test('an admin logs in, builds the directory, finds a person, opens the Staff Portal tab and logs out', async () => {
    // Log in.
    await page.goto('/login')
    await expectAccessible(page)
    await field(page, 'Email').fill(ADMIN_EMAIL)
    await field(page, 'Password').fill(ADMIN_PASSWORD)
    await Promise.all([page.waitForURL('**/staff'), page.getByRole('button', { name: 'Log In', exact: true }).click()])
    await page.getByRole('heading', { name: 'Staffs', level: 1 }).waitFor()
    const staffsLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staffs', exact: true })
    expect(await staffsLink.getAttribute('aria-current')).toBe('true')
    expect(await page.getByText(PRACTICE_NAME).isVisible()).toBe(true)
    await expectAccessible(page)

    // Add a staff member, first forgetting the last name.
    await Promise.all([page.waitForURL('**/staff/new'), page.getByRole('link', { name: 'Add Staff' }).click()])
    await page.getByRole('heading', { name: 'Add Staff', level: 1 }).waitFor()
    await expectAccessible(page)
    await fillStaffForm(page, { ...amara, lastName: '' })
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByRole('alert').waitFor()
    const lastName = field(page, 'Last Name')
    expect(await lastName.getAttribute('aria-invalid')).toBe('true')
    // "Beside the field": the message sits in the field's own box and the input points at it.
    const message = lastName.locator('xpath=..').locator('.field-error')
    expect(await message.textContent()).toBe('Enter a last name.')
    expect(await lastName.getAttribute('aria-describedby')).toContain(await message.getAttribute('id'))
    expect(await field(page, 'First Name').inputValue()).toBe(amara.firstName)
    expect(await field(page, 'Credentials').inputValue()).toBe(amara.credentials)
    expect(await field(page, 'Phone').inputValue()).toBe(amara.phone)
    expect(await field(page, 'Email').inputValue()).toBe(amara.email)
    expect(await field(page, 'Email 2').inputValue()).toBe(amara.email2)
    await expectAccessible(page)

    await lastName.fill(amara.lastName)
    await saveStaffForm(page)
    const profileHeading = page.getByRole('heading', { level: 1 })
    expect(await profileHeading.textContent()).toBe('Amara Okafor, BCBA')
    expect(await page.getByRole('status').textContent()).toBe('Saved.')
    const details = page.getByRole('region', { name: 'Details' })
    for (const text of [amara.phone, amara.email, amara.email2!]) expect(await details.getByText(text).isVisible(), text).toBe(true)
    await expectAccessible(page)

    // A few colleagues so the list looks like a practice.
    for (const person of colleagues) {
      await page.goto('/staff/new')
      await fillStaffForm(page, person)
      await saveStaffForm(page)
      expect(await profileHeading.textContent()).toBe(`${person.firstName} ${person.lastName}, ${person.credentials}`)
    }

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staffs', exact: true }).click()
    await page.waitForURL('**/staff')
    const rowNames = page.getByRole('table').getByRole('rowheader')
    expect(await rowNames.allTextContents()).toEqual([
      'Chen, Mei',
      'Okafor, Amara',
      'Petrova, Elena',
      'Ramírez, Diego',
      'Reyes, Dana',
      'Whitlock, Benjamin',
    ])
    mkdirSync(SCREENSHOTS, { recursive: true })
    await page.screenshot({ path: `${SCREENSHOTS}staffs.png` })

    // Search swaps the results in place and keeps the query in the address bar.
    const search = page.getByRole('searchbox', { name: 'Search' })
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('/staff?q=Oka') && r.request().headers()['hx-request'] === 'true'),
      search.fill('Oka'),
    ])
    await page.getByRole('status').filter({ hasText: '1 staff member matching “Oka”' }).waitFor()
    expect(await rowNames.allTextContents()).toEqual(['Okafor, Amara'])
    expect(new URL(page.url()).searchParams.get('q')).toBe('Oka')
    await expectAccessible(page)

    // The person's Staff Portal tab.
    await Promise.all([page.waitForURL(/\/staff\/[a-z2-7]{16}$/), page.getByRole('link', { name: 'Okafor, Amara' }).click()])
    await Promise.all([
      page.waitForURL(/\/staff\/[a-z2-7]{16}\/portal$/),
      page.getByRole('link', { name: 'Staff Portal', exact: true }).click(),
    ])
    const portal = page.getByRole('region', { name: 'Staff Portal' })
    expect(await portal.getByText('Yet to sign up', { exact: true }).isVisible()).toBe(true)
    for (const address of [amara.email, amara.email2!]) expect(await portal.getByText(address).isVisible(), address).toBe(true)
    await expectAccessible(page)
    await page.screenshot({ path: `${SCREENSHOTS}staff-portal-tab.png` })

    // Log out: back on the login page, and the staff pages are closed again.
    await Promise.all([page.waitForURL('**/login?signed_out'), page.getByRole('button', { name: 'Log Out', exact: true }).click()])
    // The login page also holds the passkey button's live region, empty until used.
    expect(await page.getByRole('status').filter({ hasText: /\S/ }).textContent()).toBe('You have logged out.')
    await page.goto('/staff')
    expect(new URL(page.url()).pathname).toMatch(/^\/login(\?|$)/)

    expect(browserLog.cspViolations()).toEqual([])
    expect(browserLog.pageErrors()).toEqual([])
  })
})
