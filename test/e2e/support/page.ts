// What a person does on the portal's pages, found the way they find it: by label, role and
// name. The journeys keep their own checks between steps; these are the steps they share.
import type { Page } from 'playwright-core'
import { expect } from 'vitest'

export const field = (page: Page, label: string) => page.getByLabel(label, { exact: true })
export const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true })
export const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' })

/** The page's width beyond the viewport: 0 when nothing scrolls sideways (the 390 px checks). */
export const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)

/** The message the app shows beside a field: in the field's own box, and named by its aria-describedby. */
export async function expectErrorBeside(page: Page, label: string, text: string) {
  const input = field(page, label)
  expect(await input.getAttribute('aria-invalid')).toBe('true')
  // The field's own box: a password input sits one level deeper, beside its Show Password toggle.
  const message = input
    .locator('xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " field ")][1]')
    .locator('.field-error')
  expect(await message.textContent()).toBe(text)
  expect(await input.getAttribute('aria-describedby')).toContain(await message.getAttribute('id'))
}

/** Logs in on the login page and waits for the page the app sends this person to. */
export async function logIn(page: Page, email: string, password: string, landing: string) {
  await page.goto('/login')
  await field(page, 'Email').fill(email)
  await field(page, 'Password').fill(password)
  await Promise.all([page.waitForURL(`**${landing}`), button(page, 'Log In').click()])
}

export interface StaffDetails {
  firstName: string
  lastName: string
  credentials?: string
  phone?: string
  email?: string
  email2?: string
}

/** Fills Add Staff / Edit Staff; a detail left out is typed as empty. */
export async function fillStaffForm(page: Page, person: Partial<StaffDetails>) {
  await field(page, 'First Name').fill(person.firstName ?? '')
  await field(page, 'Last Name').fill(person.lastName ?? '')
  await field(page, 'Credentials').fill(person.credentials ?? '')
  await field(page, 'Phone').fill(person.phone ?? '')
  await field(page, 'Email').fill(person.email ?? '')
  await field(page, 'Email 2').fill(person.email2 ?? '')
}

/** Saves the staff form, waits for the profile the app redirects to, and returns its id. */
export async function saveStaffForm(page: Page): Promise<string> {
  await Promise.all([page.waitForURL(/\/staff\/[a-z2-7]{16}\?saved$/), button(page, 'Save').click()])
  return /\/staff\/([a-z2-7]{16})/.exec(new URL(page.url()).pathname)![1]!
}

/** From the Staffs list: Add Staff, fill, Save. Returns the new profile's id. */
export async function addStaffMember(page: Page, person: StaffDetails): Promise<string> {
  await Promise.all([page.waitForURL('**/staff/new'), page.getByRole('link', { name: 'Add Staff' }).click()])
  await fillStaffForm(page, person)
  return saveStaffForm(page)
}

/** From a profile: the Staff Portal tab, Send Invitation to the chosen address, and the badge's change. */
export async function sendInvitationFromProfile(page: Page, staffId: string) {
  await Promise.all([page.waitForURL(`**/staff/${staffId}/portal`), page.getByRole('link', { name: 'Staff Portal', exact: true }).click()])
  await button(page, 'Send Invitation').click()
  await page.locator('#portal-status', { hasText: 'Signup initiated' }).waitFor()
}

/** Opens an invitation link, sets the password twice and Create Account; lands on the login page. */
export async function createAccount(page: Page, link: string, password: string) {
  await page.goto(link)
  await field(page, 'Password').fill(password)
  await field(page, 'Confirm Password').fill(password)
  await Promise.all([page.waitForURL('**/login?welcome&email=*'), button(page, 'Create Account').click()])
}
