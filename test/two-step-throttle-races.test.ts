import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, auditEvents, twoStepFailures } from '../db/schema'
import { FACTOR_FREE_FAILURES, FACTOR_LOCK_FAILURES } from '../src/two-step/failures'
import type { Factor } from '../src/two-step/failures'
import { countRecoveryCodes } from '../src/two-step/recovery-codes'
import { generateTotpCode } from '../src/two-step/totp'
import type { Agent } from './support/agent'
import { addPractice, createTestApp, logIn, type TestApp } from './support/app'
import { addStaff, linkIn, pathOf, sendInvitation, STRONG_PASSWORD } from './support/staff'
import { codesIn, setupKeyIn } from './support/two-step-page'

// Wrong second-step answers sent all at once: each must be counted before it is checked, so a
// burst gets no more checks than the throttle allows one at a time (FACTOR_FREE_FAILURES before
// the first wait), and the rest are refused as throttled, unchecked, the right answer included.

let t: TestApp
let admin: Agent
const BURST = 3 * FACTOR_FREE_FAILURES

beforeAll(async () => {
  t = await createTestApp()
  await addPractice(t, 'Harbor Therapy Group', 'admin@harbor.test')
  admin = await logIn(t, 'admin@harbor.test')
})
afterAll(() => t.cleanup())

/** A signed-up staff member with the authenticator app on: its secret and recovery codes. */
async function personWithApp(email: string) {
  const id = await addStaff(admin, { firstName: 'Rowan', lastName: 'Ellery', email1: email })
  await sendInvitation(admin, id, email)
  const mail = t.devMailbox!.list().find((m) => m.to === email)!
  await t.agent().post(pathOf(linkIn(mail.text)), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })
  const agent = await logIn(t, email, STRONG_PASSWORD)
  await agent.post('/account/two-step/app/setup')
  const secret = setupKeyIn(await (await agent.get('/account/two-step')).text())
  const on = await agent.post('/account/two-step/app/turn-on', { code: generateTotpCode(secret, t.clock.now()) })
  expect(on.status).toBe(200)
  t.clock.advance(30_000)
  const [account] = await t.db.select().from(accounts).where(eq(accounts.email, email))
  return { secret, recoveryCodes: codesIn(await on.text()), accountId: account!.id }
}

/** After the password: an agent holding the pending second step. */
async function secondStep(email: string) {
  const agent = t.agent()
  const answer = await agent.post('/login', { email, password: STRONG_PASSWORD })
  expect(answer.headers.get('Location')).toBe('/login/two-step')
  return agent
}

async function failuresOf(accountId: string, factor: Factor) {
  const [row] = await t.db
    .select()
    .from(twoStepFailures)
    .where(and(eq(twoStepFailures.accountId, accountId), eq(twoStepFailures.factor, factor)))
  return row?.failures ?? 0
}

const tally = (statuses: number[]) => ({
  wrong: statuses.filter((s) => s === 401).length,
  throttled: statuses.filter((s) => s === 429).length,
})

describe('parallel wrong answers at the second step', () => {
  it('authentication codes: only as many are checked as the throttle allows, then the right code waits too', async () => {
    const email = 'burst-app@harbor.test'
    const { secret, accountId } = await personWithApp(email)
    const agent = await secondStep(email)
    const right = generateTotpCode(secret, t.clock.now())
    const wrong = right === '000000' ? '111111' : '000000'
    const answers = await Promise.all(Array.from({ length: BURST }, () => agent.post('/login/two-step', { code: wrong })))
    expect(tally(answers.map((a) => a.status))).toEqual({ wrong: FACTOR_FREE_FAILURES, throttled: BURST - FACTOR_FREE_FAILURES })
    expect(await failuresOf(accountId, 'totp')).toBe(FACTOR_FREE_FAILURES)
    const bursts = await t.db.select().from(auditEvents).where(eq(auditEvents.event, 'two_step.failures'))
    expect(bursts.filter((b) => b.targetStaffId && b.detail.startsWith(`${FACTOR_FREE_FAILURES} wrong authentication codes`))).toHaveLength(
      1,
    )

    const held = await agent.post('/login/two-step', { code: right })
    expect(held.status).toBe(429)
    expect(agent.cookies.has('__Host-session')).toBe(false)
    expect(await failuresOf(accountId, 'totp')).toBe(FACTOR_FREE_FAILURES)

    // Once the wait is over, the right code is checked and clears the count.
    t.clock.advance(1000)
    const done = await agent.post('/login/two-step', { code: generateTotpCode(secret, t.clock.now()) })
    expect(done.status).toBe(303)
    expect(await failuresOf(accountId, 'totp')).toBe(0)
    t.clock.advance(30_000)
  })

  it('recovery codes: the same, and the right code is not spent while throttled', async () => {
    const email = 'burst-codes@harbor.test'
    const { recoveryCodes, accountId } = await personWithApp(email)
    const agent = await secondStep(email)
    const answers = await Promise.all(
      Array.from({ length: BURST }, () => agent.post('/login/two-step/recovery-code', { recoveryCode: 'aaaaa-aaaaa' })),
    )
    expect(tally(answers.map((a) => a.status))).toEqual({ wrong: FACTOR_FREE_FAILURES, throttled: BURST - FACTOR_FREE_FAILURES })
    expect(await failuresOf(accountId, 'recovery-code')).toBe(FACTOR_FREE_FAILURES)

    const held = await agent.post('/login/two-step/recovery-code', { recoveryCode: recoveryCodes[0]! })
    expect(held.status).toBe(429)
    expect(await countRecoveryCodes(t, accountId)).toBe(10)

    t.clock.advance(1000)
    const done = await agent.post('/login/two-step/recovery-code', { recoveryCode: recoveryCodes[0]! })
    expect(done.status).toBe(303)
    expect(await countRecoveryCodes(t, accountId)).toBe(9)
    expect(await failuresOf(accountId, 'recovery-code')).toBe(0)
    await t.settle()
  })

  it('at the lock: one more wrong code is counted and audited once, the rest are refused as locked', async () => {
    const email = 'burst-lock@harbor.test'
    const { secret, accountId } = await personWithApp(email)
    await t.db.insert(twoStepFailures).values({
      accountId,
      practiceId: (await t.db.select().from(accounts).where(eq(accounts.id, accountId)))[0]!.practiceId,
      factor: 'totp',
      failures: FACTOR_LOCK_FAILURES - 1,
      lastFailedAt: new Date(0),
    })
    const agent = await secondStep(email)
    const right = generateTotpCode(secret, t.clock.now())
    const wrong = right === '000000' ? '111111' : '000000'
    const answers = await Promise.all(Array.from({ length: BURST }, () => agent.post('/login/two-step', { code: wrong })))
    expect(tally(answers.map((a) => a.status))).toEqual({ wrong: 1, throttled: BURST - 1 })
    expect(await failuresOf(accountId, 'totp')).toBe(FACTOR_LOCK_FAILURES)
    const locks = await t.db.select().from(auditEvents).where(eq(auditEvents.event, 'two_step.failures'))
    expect(locks.filter((l) => l.detail.startsWith(`${FACTOR_LOCK_FAILURES} wrong authentication codes`))).toHaveLength(1)
    t.clock.advance(60 * 60_000)
    expect((await (await secondStep(email)).post('/login/two-step', { code: generateTotpCode(secret, t.clock.now()) })).status).toBe(429)
  })
})
