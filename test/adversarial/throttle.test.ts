// Rule "login": failures counted in the database per account and per IP, slowing down then
// refusing (no more than 100 in a row per account); an unknown address is throttled exactly
// like a known one, so throttling tells nothing either.
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, loginFailures } from '../../db/schema'
import { generateId } from '../../src/ids'
import { ADDRESS_FREE_FAILURES, ADDRESS_LOCK_FAILURES, addressKey, IP_FREE_FAILURES, ipKey, MAX_DELAY_MS } from '../../src/auth/throttle'
import type { Agent } from '../support/agent'
import { createTestApp, TEST_IP, type TestApp } from '../support/app'
import { DAY, HOUR } from '../support/clock'
import { addStaff, linkIn, pathOf, sendInvitation } from '../support/staff'
import { seedPractice, SESSION_COOKIE, signIn, STRONG_PASSWORD, strongPasswordHash, type PracticeWorld } from './support/world'

let t: TestApp
let a: PracticeWorld
let admin: Agent
const WRONG = 'Definitely wrong 4410 pelican'
const people: Record<string, string> = {} // email → staff id

async function personWithAccount(email: string) {
  const id = await addStaff(admin, { firstName: 'Throttle', lastName: email.split('@')[0]!, email1: email })
  const now = t.clock.now()
  await t.db.insert(accounts).values({
    id: generateId(),
    practiceId: a.practiceId,
    staffId: id,
    email,
    passwordHash: await strongPasswordHash(),
    passwordChangedAt: now,
    createdAt: now,
  })
  people[email] = id
}

interface Attempt {
  status: number
  retryAfter: string | null
  body: string
  signedIn: boolean
}

async function attempt(email: string, password: string): Promise<Attempt> {
  const agent = t.agent()
  const response = await agent.post('/login', { email, password })
  return {
    status: response.status,
    retryAfter: response.headers.get('Retry-After'),
    body: await response.text(),
    signedIn: agent.cookies.has(SESSION_COOKIE),
  }
}
const withoutEmail = (x: Attempt, email: string) => ({ ...x, body: x.body.replaceAll(email.trim().toLowerCase(), '<email>') })
const row = async (key: string) => (await t.db.select().from(loginFailures).where(eq(loginFailures.key, key)))[0]
/** A fresh hour: the per-IP window forgets, every address delay (15 minutes at most) has passed. */
const nextHour = () => t.clock.advance(HOUR + 1000)

beforeAll(async () => {
  t = await createTestApp()
  a = await seedPractice(t, 'a')
  admin = await signIn(t, a.adminEmail)
  for (const email of [
    'count@aldermere.test',
    'slow@aldermere.test',
    'lock@aldermere.test',
    'reset@aldermere.test',
    'ip@aldermere.test',
    'change@aldermere.test',
  ])
    await personWithAccount(email)
}, 60_000)
afterAll(() => t.cleanup())

describe('login throttling', () => {
  it('counts failures in the database per address (hashed, any case or spacing) and per IP', async () => {
    nextHour()
    expect((await attempt('count@aldermere.test', WRONG)).status).toBe(401)
    expect((await attempt('  COUNT@Aldermere.TEST ', WRONG)).status).toBe(401)
    expect((await attempt('ghost.count@aldermere.test', WRONG)).status).toBe(401)
    const known = await row(addressKey('count@aldermere.test'))
    const unknown = await row(addressKey('ghost.count@aldermere.test'))
    const [account] = await t.db.select().from(accounts).where(eq(accounts.email, 'count@aldermere.test'))
    expect(known).toMatchObject({ failures: 2, accountId: account!.id })
    expect(unknown).toMatchObject({ failures: 1, accountId: null })
    expect((await row(ipKey(TEST_IP)))!.failures).toBe(3)
    // The table keeps no address in clear.
    const everything = JSON.stringify(await t.db.select().from(loginFailures))
    expect(everything).not.toContain('count@aldermere.test')
    expect(everything).not.toContain('ghost.count')
  })

  it(`slows an address down after ${ADDRESS_FREE_FAILURES} failures with 429, Retry-After and when to try again, growing waits, the right password included, and an unknown address exactly alike`, async () => {
    const runFor = async (email: string) => {
      nextHour()
      // The first and the fifth failures are real; the count in between is moved on directly
      // (each real one costs half a second of scrypt).
      const seen: Attempt[] = [await attempt(email, WRONG)]
      await t.db
        .update(loginFailures)
        .set({ failures: ADDRESS_FREE_FAILURES - 1 })
        .where(eq(loginFailures.key, addressKey(email)))
      seen.push(await attempt(email, WRONG))
      const waits: number[] = []
      for (let step = 0; step < 3; step++) {
        // Even the right password is refused while the address waits.
        const held = await attempt(email, STRONG_PASSWORD)
        seen.push(held)
        waits.push(Number(held.retryAfter))
        if (step < 2) {
          t.clock.advance(Number(held.retryAfter) * 1000)
          seen.push(await attempt(email, WRONG))
        }
      }
      return { seen, waits }
    }
    const known = await runFor('slow@aldermere.test')
    const unknown = await runFor('ghost.slow@aldermere.test')

    expect(known.seen.slice(0, 2).map((s) => s.status)).toEqual([401, 401])
    expect(known.seen[2]!.status).toBe(429)
    const held = known.seen.filter((s) => s.status === 429)
    expect(held).toHaveLength(3)
    for (const h of held) {
      expect(h.retryAfter).toMatch(/^[1-9]\d*$/)
      expect(h.body).toMatch(/Too many failed attempts\. Try again in \d+ (second|minute)s?\./)
      expect(h.signedIn).toBe(false)
    }
    expect(known.waits[0]).toBeGreaterThanOrEqual(1)
    for (let i = 1; i < known.waits.length; i++) expect(known.waits[i]).toBeGreaterThan(known.waits[i - 1]!)
    // An unknown address goes through exactly the same answers.
    expect(unknown.seen.map((s) => withoutEmail(s, 'ghost.slow@aldermere.test'))).toEqual(
      known.seen.map((s) => withoutEmail(s, 'slow@aldermere.test')),
    )
    // And the waits stop growing at the cap.
    await t.db
      .update(loginFailures)
      .set({ failures: 60, lastFailedAt: t.clock.now() })
      .where(eq(loginFailures.key, addressKey('slow@aldermere.test')))
    const capped = await attempt('slow@aldermere.test', STRONG_PASSWORD)
    expect(capped.status).toBe(429)
    expect(Number(capped.retryAfter)).toBeLessThanOrEqual(MAX_DELAY_MS / 1000)
  })

  it(`never lets more than ${ADDRESS_LOCK_FAILURES} failures in a row through: then 429 without Retry-After, for good, known and unknown alike`, async () => {
    // The first failure is real (it makes the row as the app makes it); the count is then moved
    // on to 99 directly, since each real failure costs half a second of scrypt; the 100th is real.
    const runFor = async (email: string) => {
      nextHour()
      expect((await attempt(email, WRONG)).status).toBe(401)
      await t.db
        .update(loginFailures)
        .set({ failures: ADDRESS_LOCK_FAILURES - 1, lastFailedAt: new Date(t.clock.now().getTime() - DAY) })
        .where(eq(loginFailures.key, addressKey(email)))
      const seen = [await attempt(email, WRONG)]
      for (let i = 0; i < 3; i++) seen.push(await attempt(email, i === 0 ? STRONG_PASSWORD : WRONG))
      t.clock.advance(30 * DAY)
      seen.push(await attempt(email, STRONG_PASSWORD))
      return seen
    }
    const known = await runFor('lock@aldermere.test')
    const unknown = await runFor('ghost.lock@aldermere.test')
    expect(known[0]!.status).toBe(401)
    for (const locked of known.slice(1)) {
      expect(locked.status).toBe(429)
      expect(locked.retryAfter).toBeNull()
      expect(locked.signedIn).toBe(false)
      expect(locked.body).toContain('locked')
    }
    expect((await row(addressKey('lock@aldermere.test')))!.failures).toBe(ADDRESS_LOCK_FAILURES)
    expect(unknown.map((s) => withoutEmail(s, 'ghost.lock@aldermere.test'))).toEqual(
      known.map((s) => withoutEmail(s, 'lock@aldermere.test')),
    )
  })

  it("lets an admin's Unlock lift the lock", async () => {
    admin = await signIn(t, a.adminEmail) // the clock has moved past the last session
    const response = await admin.post(
      `/staff/${people['lock@aldermere.test']}/portal/access`,
      { action: 'unlock' },
      { 'HX-Request': 'true' },
    )
    expect(response.status).toBe(200)
    expect(await row(addressKey('lock@aldermere.test'))).toBeUndefined()
    const after = await attempt('lock@aldermere.test', STRONG_PASSWORD)
    expect(after.status).toBe(303)
    expect(after.signedIn).toBe(true)
  })

  it('starts counting again from zero after a successful login', async () => {
    nextHour()
    expect((await attempt('reset@aldermere.test', WRONG)).status).toBe(401)
    await t.db
      .update(loginFailures)
      .set({ failures: ADDRESS_FREE_FAILURES - 1 })
      .where(eq(loginFailures.key, addressKey('reset@aldermere.test')))
    expect((await attempt('reset@aldermere.test', STRONG_PASSWORD)).status).toBe(303)
    expect(await row(addressKey('reset@aldermere.test'))).toBeUndefined()
    expect((await attempt('reset@aldermere.test', WRONG)).status).toBe(401)
    expect((await row(addressKey('reset@aldermere.test')))!.failures).toBe(1)
  })

  it(`slows every login from an IP after ${IP_FREE_FAILURES} failures from it in an hour, whatever the address`, async () => {
    nextHour()
    await t.db
      .insert(loginFailures)
      .values({ key: ipKey(TEST_IP), failures: IP_FREE_FAILURES, lastFailedAt: t.clock.now() })
      .onConflictDoUpdate({ target: loginFailures.key, set: { failures: IP_FREE_FAILURES, lastFailedAt: t.clock.now() } })
    for (const email of ['brand.new@aldermere.test', 'ip@aldermere.test']) {
      const held = await attempt(email, STRONG_PASSWORD)
      expect(held.status, email).toBe(429)
      expect(held.retryAfter).toMatch(/^[1-9]\d*$/)
    }
    nextHour()
    expect((await attempt('ip@aldermere.test', STRONG_PASSWORD)).status).toBe(303)
  })

  it('counts wrong current passwords on Change Password against the same address, and refuses while throttled', async () => {
    nextHour()
    const staffMember = await signIn(t, 'change@aldermere.test')
    const change = (current: string) =>
      staffMember.post('/portal/password', {
        currentPassword: current,
        password: 'Orchard velvet magnet 5520 hue',
        confirmPassword: 'Orchard velvet magnet 5520 hue',
      })
    expect((await change(WRONG)).status).toBe(422)
    expect((await row(addressKey('change@aldermere.test')))!.failures).toBe(1)
    await t.db
      .update(loginFailures)
      .set({ failures: ADDRESS_FREE_FAILURES - 1 })
      .where(eq(loginFailures.key, addressKey('change@aldermere.test')))
    expect((await change(WRONG)).status).toBe(422)
    expect((await row(addressKey('change@aldermere.test')))!.failures).toBe(ADDRESS_FREE_FAILURES)
    expect((await change(STRONG_PASSWORD)).status).toBe(429)
    expect((await attempt('change@aldermere.test', STRONG_PASSWORD)).status).toBe(429)
  })

  it("lets an admin's Unlock lift a lock whose failures began before the account existed", async () => {
    // Someone who knows a new hire's address fails logins with it before the invitation is used.
    const email = 'early.bird@aldermere.test'
    admin = await signIn(t, a.adminEmail)
    const id = await addStaff(admin, { firstName: 'Early', lastName: 'Bird', email1: email })
    await sendInvitation(admin, id, email)
    const link = linkIn(t.devMailbox!.list()[0]!.text)
    nextHour()
    expect((await attempt(email, WRONG)).status).toBe(401)
    await t.db
      .update(loginFailures)
      .set({ failures: ADDRESS_LOCK_FAILURES })
      .where(eq(loginFailures.key, addressKey(email)))
    expect((await t.agent().post(pathOf(link), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })).status).toBe(303)
    expect((await attempt(email, STRONG_PASSWORD)).status).toBe(429)
    // The admin presses Unlock; the page says it worked...
    admin = await signIn(t, a.adminEmail)
    const unlocked = await admin.post(`/staff/${id}/portal/access`, { action: 'unlock' }, { 'HX-Request': 'true' })
    expect(unlocked.status).toBe(200)
    expect(await unlocked.text()).toContain('Login unlocked')
    // ...so logging in must work.
    const after = await attempt(email, STRONG_PASSWORD)
    expect(after.status, 'still locked after Unlock').toBe(303)
  })
})
