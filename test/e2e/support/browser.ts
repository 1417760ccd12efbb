import { existsSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

// Quiet, offline Chromium: no QUIC, no update or sync traffic while tests run.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export const VIEWPORT = { width: 1280, height: 800 }

/** Debian's Chromium; a missing browser is a failure with the fix in the message, never a skipped suite. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}. Install it with: apt-get update && apt-get install -y chromium`)
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS })
}

export interface ConsoleRecord {
  /** Every console message and uncaught page error, as "type: text". */
  readonly entries: string[]
  /** What the browser blocked because of the Content-Security-Policy. */
  cspViolations(): string[]
  pageErrors(): string[]
}

// Older Chromium says "Refused to execute inline script ..."; Chromium 156 says "Executing inline
// script violates the following Content Security Policy directive ...". Match both.
const CSP_MESSAGE = /Refused to |violates the following Content Security Policy/

/**
 * Records what the page says on its console, so a test can assert the CSP blocked nothing.
 * The page's own securitypolicyviolation events are recorded too, so a change in the
 * console wording cannot hide a violation.
 */
export async function recordConsole(page: Page): Promise<ConsoleRecord> {
  const entries: string[] = []
  page.on('console', (message) => entries.push(`${message.type()}: ${message.text()}`))
  page.on('pageerror', (error) => entries.push(`pageerror: ${error.message}`))
  await page.exposeFunction('__e2eCspViolation', (text: string) => entries.push(`securitypolicyviolation: ${text}`))
  // Init scripts come in through the DevTools protocol, which the CSP does not govern.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __e2eCspViolation(text: string): void }).__e2eCspViolation
      report(
        `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} in ${event.sourceFile || event.documentURI}:${event.lineNumber}`,
      )
    })
  })
  return {
    entries,
    cspViolations: () => entries.filter((entry) => entry.startsWith('securitypolicyviolation: ') || CSP_MESSAGE.test(entry)),
    pageErrors: () => entries.filter((entry) => entry.startsWith('pageerror: ')),
  }
}

/** One person's browser: a context of its own (cookies and storage shared with nobody), its console recorded. */
export async function openPage(browser: Browser, baseURL: string): Promise<{ page: Page; log: ConsoleRecord }> {
  const context = await browser.newContext({ baseURL, viewport: VIEWPORT })
  const page = await context.newPage()
  return { page, log: await recordConsole(page) }
}
