// Rule "breached passwords" (optional): with HIBP_API_URL set, a new password that the k-anonymity
// range API lists is refused beside the field; only a 5-character SHA-1 prefix is sent, with
// Add-Padding; a slow (over 2 s) or unreachable service never blocks; off unless set.
import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BREACHED_MESSAGE, checkBreachedPassword, HIBP_TIMEOUT_MS } from '../src/auth/breached-password'
import { parseConfig } from '../src/config'
import { createTestApp, HARBOR, logIn, addPractice, ADMIN_PASSWORD } from './support/app'

const BREACHED = 'Correct horse battery staple 2024'
const PADDED_ONLY = 'Padding entry only lantern 77 quiver'
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex').toUpperCase()

interface Seen {
  path: string
  padding: string | undefined
}
let server: Server
let base: string
const seen: Seen[] = []
let slow = false

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ path: request.url ?? '', padding: request.headers['add-padding'] as string | undefined })
    const prefix = (request.url ?? '').split('/').pop()!
    const lines = [`${'0'.repeat(35)}:3`, `${sha1(PADDED_ONLY).slice(5)}:0`]
    if (sha1(BREACHED).startsWith(prefix)) lines.push(`${sha1(BREACHED).slice(5)}:52`)
    const answer = () => response.writeHead(200, { 'Content-Type': 'text/plain' }).end(lines.join('\r\n'))
    if (slow) setTimeout(answer, HIBP_TIMEOUT_MS + 1500)
    else answer()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/range/`
})
afterAll(() => {
  server.closeAllConnections()
  server.close()
})

const configWith = (url?: string) => ({ config: parseConfig({ APP_URL: 'http://localhost', ...(url ? { HIBP_API_URL: url } : {}) }) })

describe('the breached-password check', () => {
  it('refuses a password the range API lists, sending only the 5-character prefix with Add-Padding', async () => {
    seen.length = 0
    expect(await checkBreachedPassword(configWith(base), BREACHED)).toEqual({ ok: false, message: BREACHED_MESSAGE })
    expect(seen).toEqual([{ path: `/range/${sha1(BREACHED).slice(0, 5)}`, padding: 'true' }])
    expect(JSON.stringify(seen)).not.toContain(sha1(BREACHED).slice(5))
  })

  it('accepts a password not listed, and one listed only as padding (count 0)', async () => {
    expect(await checkBreachedPassword(configWith(base), 'Never breached velvet orchard 5520')).toEqual({ ok: true })
    expect(await checkBreachedPassword(configWith(base), PADDED_ONLY)).toEqual({ ok: true })
  })

  it('is off unless HIBP_API_URL is set: no request at all', async () => {
    seen.length = 0
    expect(await checkBreachedPassword(configWith(), BREACHED)).toEqual({ ok: true })
    expect(seen).toEqual([])
  })

  it('never blocks: unreachable or slower than 2 s answers ok', async () => {
    expect(await checkBreachedPassword(configWith('http://127.0.0.1:9/range/'), BREACHED)).toEqual({ ok: true })
    slow = true
    const started = Date.now()
    expect(await checkBreachedPassword(configWith(base), BREACHED)).toEqual({ ok: true })
    expect(Date.now() - started).toBeLessThan(HIBP_TIMEOUT_MS + 1000)
    slow = false
  }, 10_000)

  it('refuses a breached new password on Forgot Password’s code step, and the same code then takes another', async () => {
    const t = await createTestApp({ HIBP_API_URL: base })
    try {
      await addPractice(t, HARBOR.name, HARBOR.adminEmail)
      const browser = t.agent()
      expect((await browser.post('/forgot-password', { email: HARBOR.adminEmail })).status).toBe(303)
      await t.settle()
      const mail = t.devMailbox!.list().find((m) => m.to === HARBOR.adminEmail)!
      const code = /verification code is (\d{8})\b/.exec(mail.text)![1]!
      const verify = (password: string) =>
        browser.post('/forgot-password/verify', { email: HARBOR.adminEmail, code, password, confirmPassword: password })
      const refused = await verify(BREACHED)
      expect(refused.status).toBe(422)
      expect(await refused.text()).toContain(BREACHED_MESSAGE)
      const done = await verify('Never breached velvet orchard 5520')
      expect(done.status).toBe(303)
    } finally {
      t.cleanup()
    }
  })

  it('refuses a breached new password on Change Password, beside the field', async () => {
    const t = await createTestApp({ HIBP_API_URL: base })
    try {
      await addPractice(t, HARBOR.name, HARBOR.adminEmail)
      const admin = await logIn(t, HARBOR.adminEmail)
      const response = await admin.post('/portal/password', {
        currentPassword: ADMIN_PASSWORD,
        password: BREACHED,
        confirmPassword: BREACHED,
      })
      expect(response.status).toBe(422)
      expect(await response.text()).toContain(BREACHED_MESSAGE)
    } finally {
      t.cleanup()
    }
  })
})
