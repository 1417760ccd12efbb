import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { expectAccessible } from './support/axe'
import { launchBrowser, recordConsole } from './support/browser'
import { button, logIn, overflow } from './support/page'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type RunningServer } from './support/server'

// Import Staff in a real browser: choose a file, Preview, Import, at a desk's width and a
// phone's, and once with JavaScript off (the Preview page carries the file's text to Import);
// then the import in Activity, and Activity's Export CSV.

/** A file as a spreadsheet saves it: a byte-order mark, semicolons, a quoted field, a bad row. */
const fileFor = (tag: string) => ({
  name: `staff-${tag}.csv`,
  mimeType: 'text/csv',
  buffer: Buffer.from(
    '\uFEFFFirst Name;Last Name;Credentials;Email;Access Level\r\n' +
      `Nadia;"Haddad, ${tag}";BCBA;nadia.${tag}@harbor.test;Admin\r\n` +
      `Tomas;Lind ${tag};RBT;tomas.${tag}@harbor.test;\r\n` +
      `;Nofirst ${tag};;nofirst.${tag}@harbor.test;\r\n`,
  ),
})

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))

describe('Import Staff in a real browser', () => {
  let server: RunningServer
  let browser: Browser

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    mkdirSync(SCREENSHOTS, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  async function importAt(width: number, javaScriptEnabled: boolean) {
    const tag = `w${width}${javaScriptEnabled ? '' : 'nojs'}`
    const context = await browser.newContext({ baseURL: server.url, viewport: { width, height: 844 }, javaScriptEnabled })
    const page = await context.newPage()
    page.setDefaultTimeout(15_000)
    const log = await recordConsole(page)
    const check = async () => {
      // axe runs as a script: only with JavaScript on.
      if (javaScriptEnabled) await expectAccessible(page)
      expect(await overflow(page)).toBeLessThanOrEqual(0)
      if (width === 390) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    }
    await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD, '/staff')
    await Promise.all([page.waitForURL('**/staff/import'), page.getByRole('link', { name: 'Import Staff' }).click()])
    await page.getByRole('heading', { name: 'Import Staff', level: 1 }).waitFor()
    expect(await page.getByText('At most 2 MB and 2,000 rows').isVisible()).toBe(true)
    await check()

    await page.getByLabel('CSV File', { exact: true }).setInputFiles(fileFor(tag))
    await Promise.all([page.waitForURL('**/staff/import'), button(page, 'Preview').click()])
    await page.getByRole('heading', { name: `Preview of staff-${tag}.csv`, level: 1 }).waitFor()
    expect(await page.getByRole('status').first().textContent()).toContain('Will import 2 staff members. Skipped: 1 row.')
    expect(await page.getByText('missing first name').isVisible()).toBe(true)
    expect(await page.getByRole('rowheader', { name: `Haddad, ${tag}, Nadia` }).isVisible()).toBe(true)
    await check()
    if (javaScriptEnabled) await page.screenshot({ path: `${SCREENSHOTS}import-preview-${width}.png`, fullPage: true })

    await page.getByLabel('Send invitations after import').check()
    await Promise.all([page.waitForURL('**/staff/import'), button(page, 'Import').click()])
    await page.getByRole('heading', { name: '2 staff members imported', level: 1 }).waitFor()
    expect(await page.getByRole('heading', { name: 'Skipped' }).isVisible()).toBe(true)
    expect(await page.getByRole('heading', { name: 'Invitations' }).isVisible()).toBe(true)
    await check()

    await page.goto(`/staff?q=${encodeURIComponent(`Lind ${tag}`)}`)
    expect(await page.getByRole('link', { name: `Lind ${tag}, Tomas` }).isVisible()).toBe(true)
    // The import in the trail, and the trail downloaded as CSV.
    await page.goto('/activity?event=staff.imported')
    expect(
      await page
        .getByRole('cell', { name: /Staff imported \(2 imported, 1 skipped, from staff-/ })
        .first()
        .isVisible(),
    ).toBe(true)
    await check()
    if (width === 1280 && javaScriptEnabled) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()])
      expect(download.suggestedFilename()).toMatch(/^activity-\d{4}-\d{2}-\d{2}\.csv$/)
    }
    expect(log.cspViolations()).toEqual([])
    expect(log.pageErrors()).toEqual([])
    await context.close()
  }

  test('at 1280 px: choose a file, Preview, Import', () => importAt(1280, true))
  test('at 390 px: the same, with nothing scrolling sideways', () => importAt(390, true))
  test('without JavaScript: Import from the Preview page without choosing the file again', () => importAt(1280, false))

  test('a file over 2 MB comes back with the message beside the file field', async () => {
    const context = await browser.newContext({ baseURL: server.url })
    const page = await context.newPage()
    page.setDefaultTimeout(15_000)
    await logIn(page, ADMIN_EMAIL, ADMIN_PASSWORD, '/staff')
    await page.goto('/staff/import')
    const line = 'Pat,Long,,pat@harbor.test\r\n'
    const big = {
      name: 'big.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('First Name,Last Name,Credentials,Email\r\n' + line.repeat(120_000)),
    }
    await page.getByLabel('CSV File', { exact: true }).setInputFiles(big)
    await Promise.all([page.waitForURL('**/staff/import'), button(page, 'Preview').click()])
    const error = page.locator('#csv-file-error')
    await error.waitFor()
    expect(await error.textContent()).toContain('The file is larger than 2 MB.')
    expect(await page.getByLabel('CSV File', { exact: true }).getAttribute('aria-describedby')).toContain('csv-file-error')
    await expectAccessible(page)
    await context.close()
  })
})
