// A burst of authenticator-app codes past the throttle: each guess that got past the first read
// of the failures is refused as throttled, and nothing in the answer tells the right code from a
// wrong one: not the status, not the number of calls to the database, not the statements sent
// (over Turso each call is a network round trip, and a right code that cost one more would stand
// out by its time). Checked at the second step of a login and at New Recovery Codes.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Client } from '@libsql/client'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, recoveryCodes, sessions, twoStepFailures } from '../db/schema'
import { FACTOR_FREE_FAILURES } from '../src/two-step/failures'
import { generateTotpCode } from '../src/two-step/totp'
import type { Agent } from './support/agent'
import { addPractice, createTestApp, logIn, type TestApp } from './support/app'
import { HOUR } from './support/clock'
import { addStaff, linkIn, pathOf, sendInvitation, STRONG_PASSWORD } from './support/staff'
import { setupKeyIn } from './support/two-step-page'

/** Every call sent, as its statements, with the request it came from; the next one that writes can be held back until released. */
const asked = new AsyncLocalStorage<string>()
const sent: { by: string | undefined; statements: string[] }[] = []
let hold: { reached: () => void; released: Promise<void> } | null = null
const writes = (sql: string) => /^\s*(insert|update|delete)\b/i.test(sql)
const recording = (client: Client): Client =>
  new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown
      if (typeof value !== 'function') return value
      if (property !== 'batch' && property !== 'execute') return value.bind(target)
      return async (...args: unknown[]) => {
        const given = args[0] as (string | { sql: string })[] | string | { sql: string }
        const statements = (Array.isArray(given) ? given : [given]).map((st) => (typeof st === 'string' ? st : st.sql))
        sent.push({ by: asked.getStore(), statements })
        if (hold && statements.some(writes)) {
          const held = hold
          hold = null
          held.reached()
          await held.released
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args)
      }
    },
  })

function holdNextWrite() {
  let reached!: () => void
  let release!: () => void
  const atBatch = new Promise<void>((resolve) => (reached = resolve))
  hold = { reached, released: new Promise<void>((resolve) => (release = resolve)) }
  return { atBatch, release }
}

let t: TestApp
let admin: Agent
let serial = 0

beforeAll(async () => {
  t = await createTestApp({}, { wrapClient: recording })
  await addPractice(t, 'Harbor Therapy Group', 'admin@harbor.test')
  admin = await logIn(t, 'admin@harbor.test')
})
afterAll(() => t.cleanup())

/** A staff member with the app on; their secret, account and signed-in agent. */
async function personWithApp() {
  const email = `oracle${++serial}@harbor.test`
  admin = await logIn(t, 'admin@harbor.test')
  const staffId = await addStaff(admin, { firstName: 'Rowan', lastName: `Ellery${serial}`, email1: email })
  await sendInvitation(admin, staffId, email)
  const mail = t.devMailbox!.list().find((m) => m.to === email)!
  await t.agent().post(pathOf(linkIn(mail.text)), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })
  const agent = await logIn(t, email, STRONG_PASSWORD)
  await agent.post('/account/two-step/app/setup')
  const secret = setupKeyIn(await (await agent.get('/account/two-step')).text())
  expect((await agent.post('/account/two-step/app/turn-on', { code: generateTotpCode(secret, t.clock.now()) })).status).toBe(200)
  t.clock.advance(30_000)
  const [account] = await t.db.select().from(accounts).where(eq(accounts.email, email))
  return { email, secret, account: account!, agent }
}
type Person = Awaited<ReturnType<typeof personWithApp>>

/** One short of the wait: the next wrong code is the one that starts it. */
async function oneShortOfTheWait(who: Person) {
  await t.db.delete(twoStepFailures).where(eq(twoStepFailures.accountId, who.account.id))
  await t.db.insert(twoStepFailures).values({
    accountId: who.account.id,
    practiceId: who.account.practiceId,
    factor: 'totp',
    failures: FACTOR_FREE_FAILURES - 1,
    lastFailedAt: new Date(t.clock.now().getTime() - HOUR),
  })
}

const wrongFor = (right: string, n: number) => String((Number(right) + 1 + n * 7919) % 1_000_000).padStart(6, '0')

/**
 * Posts `code` so that it passes the first read of the failures (which only reads), then holds
 * its first call that writes (the one that checks it) until another wrong code has started the
 * wait; what it answered and the calls it made from the held one on.
 */
async function heldBehindTheWait(post: (code: string) => Promise<Response>, code: string, other: () => Promise<Response>) {
  const held = holdNextWrite()
  const tag = `try ${sent.length}`
  const answer = asked.run(tag, () => post(code))
  await held.atBatch
  const from = sent.length - 1
  expect([401, 422]).toContain((await other()).status)
  held.release()
  const response = await answer
  // This request's own calls, from the held one on (its notices' sending aside, after the answer).
  const calls = sent.slice(from).filter((call) => call.by === tag && !call.statements.some((sql) => sql.includes('"email_outbox"')))
  return { status: response.status, calls: calls.map((call) => call.statements) }
}

describe('a code held back by the throttle answers alike, right or wrong', () => {
  it('at the second step of a login', async () => {
    const who = await personWithApp()
    const secondStep = async () => {
      const agent = t.agent()
      expect((await agent.post('/login', { email: who.email, password: STRONG_PASSWORD })).headers.get('Location')).toBe('/login/two-step')
      return agent
    }
    const outcomes = []
    for (const right of [true, false]) {
      t.clock.advance(HOUR)
      const code = generateTotpCode(who.secret, t.clock.now())
      await oneShortOfTheWait(who)
      const [mine, other] = [await secondStep(), await secondStep()]
      outcomes.push(
        await heldBehindTheWait(
          (c) => mine.post('/login/two-step', { code: c }),
          right ? code : wrongFor(code, 1),
          () => other.post('/login/two-step', { code: wrongFor(code, 2) }),
        ),
      )
    }
    const [ofRight, ofWrong] = outcomes
    expect(ofRight!.status).toBe(429)
    expect(ofWrong!.status).toBe(429)
    expect(ofRight!.calls).toEqual(ofWrong!.calls)
    expect(await t.db.select().from(sessions).where(eq(sessions.accountId, who.account.id))).toHaveLength(1)
  })

  it('at New Recovery Codes, confirmed with a code from the app', async () => {
    const who = await personWithApp()
    const codesBefore = await t.db.select().from(recoveryCodes).where(eq(recoveryCodes.accountId, who.account.id))
    const right = generateTotpCode(who.secret, t.clock.now())
    const outcomes = []
    for (const code of [right, wrongFor(right, 1)]) {
      // (The clock stays: the person's session would end. The failures' last one is an hour old.)
      await oneShortOfTheWait(who)
      outcomes.push(
        await heldBehindTheWait(
          (c) => who.agent.post('/account/two-step/recovery-codes/new', { code: c }),
          code,
          () => who.agent.post('/account/two-step/recovery-codes/new', { code: wrongFor(right, 2) }),
        ),
      )
    }
    const [ofRight, ofWrong] = outcomes
    expect(ofRight!.status).toBe(429)
    expect(ofWrong!.status).toBe(429)
    expect(ofRight!.calls).toEqual(ofWrong!.calls)
    const codesAfter = await t.db
      .select()
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.accountId, who.account.id)))
    expect(codesAfter.map((c) => c.id).sort()).toEqual(codesBefore.map((c) => c.id).sort())
  })
})
