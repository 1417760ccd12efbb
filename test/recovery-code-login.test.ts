import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, auditEvents, emailOutbox, pendingLogins, recoveryCodes, sessions, twoStepFailures } from '../db/schema'
import { FACTOR_FREE_FAILURES } from '../src/two-step/failures'
import { generateTotpCode } from '../src/two-step/totp'
import type { Agent } from './support/agent'
import { addPractice, createTestApp, logIn, type TestApp } from './support/app'
import { holdingSpends } from './support/hold-spend'
import { addStaff, linkIn, pathOf, sendInvitation, STRONG_PASSWORD } from './support/staff'
import { codesIn, setupKeyIn } from './support/two-step-page'

// The second step with a recovery code: the code is checked, spent and the login written in one
// batch, so a right code is three calls. What that batch must keep: a code opens one session
// however often it is posted at once, a wrong one is counted, a burst of guesses gets no more
// checks than the throttle allows (a right code held in it included), and a finished pending
// login opens nothing.

let t: TestApp
let admin: Agent
let serial = 0
const spends = holdingSpends()

beforeAll(async () => {
  t = await createTestApp({}, { wrapClient: spends.wrap })
  await addPractice(t, 'Harbor Therapy Group', 'admin@harbor.test')
  admin = await logIn(t, 'admin@harbor.test')
})
afterAll(() => t.cleanup())

/** A signed-up staff member with the authenticator app on, and so ten recovery codes. */
async function personWithCodes() {
  const email = `codes${++serial}@harbor.test`
  const id = await addStaff(admin, { firstName: 'Rowan', lastName: `Ellery ${serial}`, email1: email })
  await sendInvitation(admin, id, email)
  const mail = t.devMailbox!.list().find((m) => m.to === email)!
  await t.agent().post(pathOf(linkIn(mail.text)), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })
  const agent = await logIn(t, email, STRONG_PASSWORD)
  await agent.post('/account/two-step/app/setup')
  const secret = setupKeyIn(await (await agent.get('/account/two-step')).text())
  const on = await agent.post('/account/two-step/app/turn-on', { code: generateTotpCode(secret, t.clock.now()) })
  expect(on.status).toBe(200)
  t.clock.advance(30_000)
  await t.settle()
  const [account] = await t.db.select().from(accounts).where(eq(accounts.email, email))
  return { email, accountId: account!.id, codes: codesIn(await on.text()) }
}
type Person = Awaited<ReturnType<typeof personWithCodes>>

/** After the password: an agent holding a pending second step. */
async function afterPassword(who: Person) {
  const agent = t.agent()
  const answer = await agent.post('/login', { email: who.email, password: STRONG_PASSWORD })
  expect(answer.headers.get('Location')).toBe('/login/two-step')
  return agent
}

const post = (agent: Agent, recoveryCode: string) => agent.post('/login/two-step/recovery-code', { recoveryCode })
const hasSession = (response: Response) => response.headers.getSetCookie().join().includes('__Host-session=')

/** What a second step leaves behind for the person. */
async function traces(who: Person) {
  await t.settle()
  const audit = await t.db.select().from(auditEvents).where(eq(auditEvents.actorAccountId, who.accountId))
  return {
    sessions: (await t.db.select().from(sessions).where(eq(sessions.accountId, who.accountId))).length,
    logins: audit.filter((row) => row.event === 'login.succeeded').length,
    codesUsed: audit.filter((row) => row.event === 'two_step.recovery_code_used').map((row) => row.detail),
    unusedCodes: (await t.db.select().from(recoveryCodes).where(eq(recoveryCodes.accountId, who.accountId))).filter(
      (row) => row.usedAt === null,
    ).length,
    notices: (
      await t.db
        .select()
        .from(emailOutbox)
        .where(and(eq(emailOutbox.recipient, who.email), eq(emailOutbox.template, 'recovery-code-used')))
    ).length,
    failures:
      (
        await t.db
          .select()
          .from(twoStepFailures)
          .where(and(eq(twoStepFailures.accountId, who.accountId), eq(twoStepFailures.factor, 'recovery-code')))
      )[0]?.failures ?? 0,
  }
}

const codeUsedMails = (who: Person) =>
  t.devMailbox!.list().filter((m) => m.to === who.email && m.text.includes('You have 9 recovery codes left')).length

const tally = (statuses: number[]) => ({
  wrong: statuses.filter((s) => s === 401).length,
  throttled: statuses.filter((s) => s === 429).length,
})

describe('the second step with a recovery code', () => {
  it('a right code opens one session, spends the code, audits what is left and tells the person', async () => {
    const who = await personWithCodes()
    const agent = await afterPassword(who)
    const before = await traces(who)
    const mails = codeUsedMails(who)
    const answer = await post(agent, who.codes[0]!)
    expect(answer.status).toBe(303)
    expect(hasSession(answer)).toBe(true)
    expect(await traces(who)).toEqual({
      ...before,
      sessions: before.sessions + 1,
      logins: before.logins + 1,
      codesUsed: ['9 left'],
      unusedCodes: 9,
      notices: 1,
    })
    expect(await t.db.select().from(pendingLogins).where(eq(pendingLogins.accountId, who.accountId))).toEqual([])
    expect(codeUsedMails(who)).toBe(mails + 1)

    // Written the way a person copies it, the next code works too, and the count goes on down.
    const next = await post(await afterPassword(who), ` ${who.codes[1]!.toUpperCase().replace('-', ' ')} `)
    expect(hasSession(next)).toBe(true)
    expect((await traces(who)).codesUsed).toEqual(['9 left', '8 left'])
  })

  it('a wrong code is counted and opens nothing; a right one after it clears the count', async () => {
    const who = await personWithCodes()
    const agent = await afterPassword(who)
    const before = await traces(who)
    const wrong = await post(agent, 'aaaaa-aaaaa')
    expect(wrong.status).toBe(401)
    expect(hasSession(wrong)).toBe(false)
    expect(await traces(who)).toEqual({ ...before, failures: 1 })
    const notACode = await post(agent, 'not a code at all')
    expect(notACode.status).toBe(401)
    expect((await traces(who)).failures).toBe(2)
    expect(await t.db.select().from(pendingLogins).where(eq(pendingLogins.accountId, who.accountId))).toHaveLength(1)

    expect(hasSession(await post(agent, who.codes[0]!))).toBe(true)
    expect((await traces(who)).failures).toBe(0)
  })

  it('a used code is refused as wrong and counted', async () => {
    const who = await personWithCodes()
    expect(hasSession(await post(await afterPassword(who), who.codes[0]!))).toBe(true)
    const before = await traces(who)
    const again = await post(await afterPassword(who), who.codes[0]!)
    expect(again.status).toBe(401)
    expect(await traces(who)).toEqual({ ...before, failures: 1 })
  })

  it(`a burst of wrong codes: at most ${FACTOR_FREE_FAILURES} checked, the rest throttled, a right code held in it not spent`, async () => {
    const who = await personWithCodes()
    const agent = await afterPassword(who)
    // The right code passes the first read (nothing counted yet), and its batch reaches the
    // database only once the burst has been answered: the throttle as it stands then refuses it.
    const held = spends.holdNext()
    const right = post(agent, who.codes[0]!)
    await held.atBatch
    const burst = await Promise.all(Array.from({ length: 3 * FACTOR_FREE_FAILURES }, () => post(agent, 'aaaaa-aaaaa')))
    expect(tally(burst.map((a) => a.status))).toEqual({ wrong: FACTOR_FREE_FAILURES, throttled: 2 * FACTOR_FREE_FAILURES })
    held.release()
    const refused = await right
    expect(refused.status).toBe(429)
    expect(hasSession(refused)).toBe(false)
    const after = await traces(who)
    expect(after).toMatchObject({ failures: FACTOR_FREE_FAILURES, unusedCodes: 10, codesUsed: [], notices: 0 })
    const bursts = await t.db.select().from(auditEvents).where(eq(auditEvents.event, 'two_step.failures'))
    expect(bursts.filter((b) => b.detail.startsWith(`${FACTOR_FREE_FAILURES} wrong recovery codes`))).toHaveLength(1)

    // Once the wait is over the same code is checked, and spent.
    t.clock.advance(1000)
    const done = await post(agent, who.codes[0]!)
    expect(hasSession(done)).toBe(true)
    expect(await traces(who)).toMatchObject({ failures: 0, unusedCodes: 9, codesUsed: ['9 left'], notices: 1 })
  })

  it('a burst with the right code in it: a session at most once, never more checks than the throttle allows', async () => {
    const who = await personWithCodes()
    const agent = await afterPassword(who)
    const answers = await Promise.all([
      ...Array.from({ length: 3 * FACTOR_FREE_FAILURES }, () => post(agent, 'aaaaa-aaaaa')),
      post(agent, who.codes[0]!),
    ])
    const signedIn = answers.filter(hasSession)
    expect(signedIn.length).toBeLessThanOrEqual(1)
    expect(tally(answers.map((a) => a.status)).wrong).toBeLessThanOrEqual(FACTOR_FREE_FAILURES)
    const after = await traces(who)
    expect(after.failures).toBeLessThanOrEqual(FACTOR_FREE_FAILURES)
    expect(after.unusedCodes).toBe(10 - signedIn.length)
    expect(after.sessions).toBe(1 + signedIn.length)
  })

  it('the same right code posted eight times at once, in one pending login or in eight: one session, spent once', async () => {
    for (const own of [false, true]) {
      const who = await personWithCodes()
      const shared = await afterPassword(who)
      const browsers = await Promise.all(Array.from({ length: 8 }, () => (own ? afterPassword(who) : shared)))
      const before = await traces(who)
      const answers = await Promise.all(browsers.map((agent) => post(agent, who.codes[0]!)))
      expect(answers.filter(hasSession)).toHaveLength(1)
      for (const refused of answers.filter((a) => !hasSession(a))) expect([401, 429, 303]).toContain(refused.status)
      const after = await traces(who)
      expect(after.sessions).toBe(before.sessions + 1)
      expect(after.logins).toBe(before.logins + 1)
      expect(after.codesUsed).toEqual(['9 left'])
      expect(after.unusedCodes).toBe(9)
      expect(after.notices).toBe(1)
    }
  })

  it('a finished pending login replayed by its cookie opens nothing and spends nothing', async () => {
    const who = await personWithCodes()
    const agent = await afterPassword(who)
    const cookie = agent.cookies.get('__Host-pending-login')!
    expect(hasSession(await post(agent, who.codes[0]!))).toBe(true)
    const before = await traces(who)
    const thief = t.agent()
    thief.cookies.set('__Host-pending-login', cookie)
    const replay = await post(thief, who.codes[1]!)
    expect(replay.status).toBe(303)
    expect(replay.headers.get('Location')).toBe('/login?two_step_expired')
    expect(hasSession(replay)).toBe(false)
    expect(await traces(who)).toEqual(before)
  })
})
