// Rule "device cookies": the right password from a browser that has logged in to the account is
// never held back by the per-address or per-IP waits, so an attacker's failures (or a clinic's
// shared IP) cannot keep the owner out; unknown browsers keep the ordinary throttle; the lock at
// 100 failures in a row holds for everybody; a known browser that fails 10 times in a row is no
// longer trusted.
import { createHash } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import { loginFailures, totpFactors } from '../../db/schema'
import { generateTotpCode } from '../../src/two-step/totp'
import { addKnownDevice, DEVICE_TTL_MS } from '../../src/auth/devices'
import {
  ADDRESS_FREE_FAILURES,
  ADDRESS_LOCK_FAILURES,
  addressKey,
  DEVICE_DISTRUST_FAILURES,
  IP_FREE_FAILURES,
  ipKey,
} from '../../src/auth/throttle'
import type { Agent } from '../support/agent'
import { createTestApp, TEST_DEVICE_SECRET, TEST_IP, type TestApp } from '../support/app'
import { HOUR } from '../support/clock'
import { seedPractice, SESSION_COOKIE, STRONG_PASSWORD, type PracticeWorld } from './support/world'

const DEVICE_COOKIE = '__Host-device'
const WRONG = 'Definitely wrong 4410 pelican'

let t: TestApp
let a: PracticeWorld

beforeAll(async () => {
  t = await createTestApp()
  a = await seedPractice(t, 'a')
}, 60_000)
afterAll(() => t.cleanup())

async function attempt(agent: Agent, email: string, password: string) {
  agent.cookies.delete(SESSION_COOKIE)
  const response = await agent.post('/login', { email, password })
  return { status: response.status, retryAfter: response.headers.get('Retry-After'), signedIn: agent.cookies.has(SESSION_COOKIE), response }
}

/** Sets a login_failures row as an attacker's failures would have left it. */
async function setFailures(key: string, failures: number) {
  const lastFailedAt = t.clock.now()
  await t.db
    .insert(loginFailures)
    .values({ key, failures, lastFailedAt })
    .onConflictDoUpdate({ target: loginFailures.key, set: { failures, lastFailedAt } })
}
const failuresOf = async (key: string) => (await t.db.select().from(loginFailures).where(eq(loginFailures.key, key)))[0]?.failures
const clearAll = () => t.db.delete(loginFailures)
const nonceIn = (agent: Agent) => decodeURIComponent(agent.cookies.get(DEVICE_COOKIE)!).split('~')[0]!.split('.')[1]!
const deviceKeyOf = (nonce: string) => `device:${createHash('sha256').update(nonce).digest('hex')}`

/** The member's own browser: it logged in once with the right password. */
async function knownBrowser() {
  const agent = t.agent()
  expect((await attempt(agent, a.member.email, STRONG_PASSWORD)).status).toBe(303)
  return agent
}

describe('device cookies', () => {
  it('are set after a successful login only: __Host-, HttpOnly, Secure, SameSite=Lax, Path=/, 180 days', async () => {
    await clearAll()
    const stranger = t.agent()
    const failed = await attempt(stranger, a.member.email, WRONG)
    expect(failed.status).toBe(401)
    expect(failed.response.headers.getSetCookie().join('\n')).not.toContain(DEVICE_COOKIE)
    const agent = t.agent()
    const ok = await attempt(agent, a.member.email, STRONG_PASSWORD)
    expect(ok.status).toBe(303)
    const line = ok.response.headers.getSetCookie().find((l) => l.startsWith(`${DEVICE_COOKIE}=`))!
    expect(line).toMatch(/; Max-Age=15552000/)
    expect(line).toMatch(/; Path=\//)
    expect(line).toMatch(/; HttpOnly/)
    expect(line).toMatch(/; Secure/)
    expect(line).toMatch(/; SameSite=Lax/)
    expect(line).not.toMatch(/Domain=/i)
  })

  it("lets the owner's known browser in with the right password while an attacker's failures hold the address back", async () => {
    await clearAll()
    const own = await knownBrowser()
    await setFailures(addressKey(a.member.email), ADDRESS_FREE_FAILURES + 6)
    const fresh = await attempt(t.agent(), a.member.email, STRONG_PASSWORD)
    expect(fresh.status).toBe(429)
    const mine = await attempt(own, a.member.email, STRONG_PASSWORD)
    expect(mine.status).toBe(303)
    expect(mine.signedIn).toBe(true)
  })

  it('does not hold a known browser back behind a shared clinic IP with 20+ failures', async () => {
    await clearAll()
    const own = await knownBrowser()
    await setFailures(ipKey(TEST_IP), IP_FREE_FAILURES + 5)
    expect((await attempt(t.agent(), a.member.email, STRONG_PASSWORD)).status).toBe(429)
    expect((await attempt(t.agent(), a.adminEmail, STRONG_PASSWORD)).status).toBe(429)
    expect((await attempt(own, a.member.email, STRONG_PASSWORD)).status).toBe(303)
  })

  it("ignores a forged, an expired or another account's device entry", async () => {
    await clearAll()
    const otherAccountEntry = addKnownDevice(TEST_DEVICE_SECRET, undefined, a.adminAccountId, t.clock.now())
    const forgedWithOtherKey = addKnownDevice('a-secret-that-is-not-the-apps-0123456789', undefined, a.member.accountId, t.clock.now())
    const expired = addKnownDevice(
      TEST_DEVICE_SECRET,
      undefined,
      a.member.accountId,
      new Date(t.clock.now().getTime() - DEVICE_TTL_MS - 1000),
    )
    const genuine = addKnownDevice(TEST_DEVICE_SECRET, undefined, a.member.accountId, t.clock.now())
    const [accountId, nonce, expiry] = genuine.split('.')
    const tampered = [accountId, nonce, String(Number(expiry) + 3600), genuine.split('.')[3]].join('.')
    await setFailures(addressKey(a.member.email), ADDRESS_FREE_FAILURES + 6)
    for (const [what, value] of Object.entries({ otherAccountEntry, forgedWithOtherKey, expired, tampered, junk: 'not.a.device.cookie' })) {
      const agent = t.agent()
      agent.cookies.set(DEVICE_COOKIE, value!)
      expect((await attempt(agent, a.member.email, STRONG_PASSWORD)).status, what).toBe(429)
    }
    const agent = t.agent()
    agent.cookies.set(DEVICE_COOKIE, genuine)
    expect((await attempt(agent, a.member.email, STRONG_PASSWORD)).status).toBe(303)
  })

  it(`counts a known browser's own failures, and after ${10} in a row treats it as unknown`, async () => {
    expect(DEVICE_DISTRUST_FAILURES).toBe(10)
    await clearAll()
    const own = await knownBrowser()
    await setFailures(addressKey(a.member.email), ADDRESS_FREE_FAILURES + 6)
    // A wrong password from the known browser: 401, not held back, counted on the device and
    // toward the address's lock.
    expect((await attempt(own, a.member.email, WRONG)).status).toBe(401)
    const key = deviceKeyOf(nonceIn(own))
    expect(await failuresOf(key)).toBe(1)
    expect(await failuresOf(addressKey(a.member.email))).toBe(ADDRESS_FREE_FAILURES + 7)
    await t.db
      .update(loginFailures)
      .set({ failures: DEVICE_DISTRUST_FAILURES - 1 })
      .where(eq(loginFailures.key, key))
    expect((await attempt(own, a.member.email, WRONG)).status).toBe(401)
    expect(await failuresOf(key)).toBe(DEVICE_DISTRUST_FAILURES)
    // Ten in a row: this browser now waits like any other, right password included.
    expect((await attempt(own, a.member.email, STRONG_PASSWORD)).status).toBe(429)
  })

  it('lets a known browser through the second step too when the address is held back, and renews its entry only once both steps are done', async () => {
    await clearAll()
    t.clock.advance(HOUR)
    const own = await knownBrowser()
    // The member turns on an authenticator app, from their own signed-in browser.
    await own.post('/account/two-step/app/setup')
    const key = /name="setupKey" type="text" value="([A-Z2-7 ]+)"/.exec(await (await own.get('/account/two-step')).text())![1]!
    const secret = decodeBase32IgnorePadding(key.replace(/ /g, ''))
    expect((await own.post('/account/two-step/app/turn-on', { code: generateTotpCode(secret, t.clock.now()) })).status).toBe(200)
    t.clock.advance(30_000)
    await setFailures(addressKey(a.member.email), ADDRESS_FREE_FAILURES + 6)
    expect((await attempt(t.agent(), a.member.email, STRONG_PASSWORD)).status).toBe(429)
    const before = own.cookies.get(DEVICE_COOKIE)
    const first = await attempt(own, a.member.email, STRONG_PASSWORD)
    expect(first.status).toBe(303)
    expect(first.response.headers.get('Location')).toBe('/login/two-step')
    expect(own.cookies.get(DEVICE_COOKIE)).toBe(before)
    const second = await own.post('/login/two-step', { code: generateTotpCode(secret, t.clock.now()) })
    expect(second.status).toBe(303)
    expect(own.cookies.has(SESSION_COOKIE)).toBe(true)
    expect(own.cookies.get(DEVICE_COOKIE)).not.toBe(before)
    await t.db.delete(totpFactors)
  })

  it(`locks everybody, known browsers included, after ${ADDRESS_LOCK_FAILURES} failures in a row`, async () => {
    await clearAll()
    t.clock.advance(HOUR)
    const own = await knownBrowser()
    await setFailures(addressKey(a.member.email), ADDRESS_LOCK_FAILURES - 1)
    expect((await attempt(own, a.member.email, WRONG)).status).toBe(401)
    expect(await failuresOf(addressKey(a.member.email))).toBe(ADDRESS_LOCK_FAILURES)
    for (const agent of [own, t.agent()]) {
      const locked = await attempt(agent, a.member.email, STRONG_PASSWORD)
      expect(locked.status).toBe(429)
      expect(locked.retryAfter).toBeNull()
      expect(locked.signedIn).toBe(false)
    }
  })
})
