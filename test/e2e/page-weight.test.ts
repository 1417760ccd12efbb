// Page weight in a real browser against the Node host: what a first visit transfers (headers
// and compressed bodies, CSS and htmx included), what an htmx partial transfers, and that a
// second visit takes the hashed CSS and scripts from the cache instead of the network.
import type { Browser, BrowserContext, Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { staffForm } from '../support/staff'
import { launchBrowser, recordConsole } from './support/browser'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type RunningServer } from './support/server'

// 30 KB until this round; the round's client features (the confirmation dialog, Show Password,
// the live length counter, the session warning, the language switch) grew the shared app.js and
// app.css from 3.2 to 6.7 KB gzipped, and the login page also loads passkey.js (1.5 KB).
// docs/benchmarks.md has the figures.
const PAGE_BUDGET = 32_000
const PARTIAL_BUDGET = 5_000
const STAFF = 30

interface Transfer {
  url: string
  bytes: number
  encoding: string | null
  cacheControl: string | null
}

/** Records every request the page completes with the bytes it took on the wire. */
function recordTransfers(page: Page) {
  const transfers: Transfer[] = []
  const pending: Promise<void>[] = []
  page.on('requestfinished', (request: Request) => {
    pending.push(
      (async () => {
        const [sizes, response] = await Promise.all([request.sizes(), request.response()])
        const headers = response ? await response.allHeaders() : {}
        transfers.push({
          url: new URL(request.url()).pathname + new URL(request.url()).search,
          bytes: sizes.responseHeadersSize + sizes.responseBodySize,
          encoding: headers['content-encoding'] ?? null,
          cacheControl: headers['cache-control'] ?? null,
        })
      })(),
    )
  })
  return {
    async settle() {
      await Promise.all(pending.splice(0))
      return transfers
    },
    reset: () => void transfers.splice(0),
  }
}

const total = (transfers: Transfer[]) => transfers.reduce((sum, t) => sum + t.bytes, 0)
const describeTransfers = (transfers: Transfer[]) =>
  transfers.map((t) => `${String(t.bytes).padStart(6)} B  ${t.encoding ?? 'identity'}  ${t.url}`).join('\n')

describe('page weight', () => {
  let server: RunningServer
  let browser: Browser
  let signedIn: Awaited<ReturnType<BrowserContext['storageState']>>

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    // A full page of staff, added the way the form posts them.
    const seeding = await browser.newContext({ baseURL: server.url })
    const post = (path: string, form: Record<string, string>) =>
      seeding.request.post(path, { form, headers: { Origin: server.url }, maxRedirects: 0 })
    expect((await post('/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })).status()).toBe(303)
    for (let i = 0; i < STAFF; i++) {
      const n = String(i).padStart(2, '0')
      const saved = await post(
        '/staff',
        staffForm({ firstName: `Person${n}`, lastName: `Okafor-Whitlock${n}`, phone: '(555) 201-3344', email1: `person${n}@harbor.test` }),
      )
      expect(saved.status()).toBe(303)
    }
    signedIn = await seeding.storageState()
    await seeding.close()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  test(`the login page, with its CSS and scripts, transfers under ${PAGE_BUDGET / 1000} KB on a first visit`, async () => {
    const context = await browser.newContext({ baseURL: server.url })
    const page = await context.newPage()
    const log = await recordConsole(page)
    const transfers = recordTransfers(page)
    await page.goto('/login', { waitUntil: 'networkidle' })
    const all = await transfers.settle()
    console.log(`login page, first visit: ${total(all)} B\n${describeTransfers(all)}`)
    expect(all.map((t) => t.url.split('?')[0])).toEqual(expect.arrayContaining(['/login', '/app.css', '/htmx.min.js', '/app.js']))
    // Text goes compressed; the files are linked by content hash and cached as immutable.
    for (const t of all) expect(t.encoding, t.url).toBe('gzip')
    for (const t of all.filter((t) => t.url !== '/login')) {
      expect(t.url).toMatch(/\?v=[0-9a-f]{16}$/)
      expect(t.cacheControl).toBe('public, max-age=31536000, immutable')
    }
    expect(total(all)).toBeLessThan(PAGE_BUDGET)
    expect(log.cspViolations()).toEqual([])
    await context.close()
  })

  test(`the Staffs list (${STAFF} people) transfers under ${PAGE_BUDGET / 1000} KB, a Search partial under ${PARTIAL_BUDGET / 1000} KB, and a second visit only the page`, async () => {
    const context = await browser.newContext({ baseURL: server.url, storageState: signedIn })
    const page = await context.newPage()
    const log = await recordConsole(page)
    const transfers = recordTransfers(page)
    await page.goto('/staff', { waitUntil: 'networkidle' })
    await page.getByRole('heading', { name: 'Staffs', level: 1 }).waitFor()
    const first = await transfers.settle()
    console.log(`Staffs list, first visit: ${total(first)} B\n${describeTransfers(first)}`)
    expect(first.map((t) => t.url.split('?')[0])).toEqual(expect.arrayContaining(['/staff', '/app.css', '/htmx.min.js', '/app.js']))
    expect(await page.locator('#staff-results tbody tr').count()).toBe(25)
    expect(total(first)).toBeLessThan(PAGE_BUDGET)

    // Search: htmx asks for the rows alone.
    transfers.reset()
    const answered = page.waitForResponse((r) => r.url().includes('/staff?') && r.request().headers()['hx-request'] === 'true')
    await page.getByLabel('Search', { exact: true }).fill('Okafor-Whitlock1')
    const partial = await answered
    await page.getByText('10 staff members matching').waitFor()
    const sizes = await partial.request().sizes()
    const partialBytes = sizes.responseHeadersSize + sizes.responseBodySize
    console.log(`Search partial: ${partialBytes} B (${sizes.responseBodySize} B body) ${partial.url()}`)
    expect(partialBytes).toBeLessThan(PARTIAL_BUDGET)

    // Coming back: the page itself, and nothing else from the network. A search htmx still had
    // in flight (the filter's second trigger, under load) must not count as the second visit's.
    await page.waitForTimeout(300) // the search box's trigger delay (250 ms)
    await page.waitForFunction(() => !document.querySelector('.htmx-request'))
    transfers.reset()
    await page.goto('/staff', { waitUntil: 'networkidle' })
    const again = (await transfers.settle()).filter((t) => t.bytes > 0)
    console.log(`Staffs list, second visit: ${total(again)} B\n${describeTransfers(again)}`)
    expect(again.map((t) => t.url)).toEqual(['/staff'])
    expect(log.cspViolations()).toEqual([])
    await context.close()
  })
})
