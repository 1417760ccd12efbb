import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  accounts,
  auditEvents,
  loginFailures,
  passkeys,
  pendingLogins,
  recoveryCodes,
  sessions,
  totpFactors,
  twoStepFailures,
} from '../db/schema'
import { finishLogin } from '../src/auth/finish-login'
import { createSession } from '../src/auth/session'
import { addressKey, countLoginFailure } from '../src/auth/throttle'
import { checkPasskeyAssertion } from '../src/two-step/passkey-assertion'
import { startPasskeyAssertion } from '../src/two-step/passkey-assertion-options'
import { hashBrowserSecret } from '../src/two-step/passkey-login'
import { addPasskey, startPasskeyRegistration } from '../src/two-step/passkey-registration'
import { endPendingLoginStatement, findPendingLogin, startPendingLogin, type PendingLogin } from '../src/two-step/pending-login'
import type { TwoStepPerson } from '../src/two-step/person'
import { completeSecondStep } from '../src/two-step/second-step'
import { generateTotpCode, startTotpSetup, turnOnTotp } from '../src/two-step/totp'
import type { Agent } from './support/agent'
import { ADMIN_PASSWORD, addPractice, createTestApp, TEST_IP, type TestApp } from './support/app'
import { SoftAuthenticator } from './support/soft-authenticator'

// A login that ends a pending login (or uses a passkey's challenge) writes its session in the same
// batch as that end, each write guarded by what the end removes: whichever request ends it is the
// one whose session exists, and a request that comes second, or replays a finished login, writes
// nothing at all (no session, no audit row, no last login, no cleared failures).

const EMAIL = 'admin@harbor.test'
const EXPIRED = '/login?two_step_expired'

let t: TestApp
let person: TwoStepPerson
let secret: Uint8Array
let codes: string[]
let deps: Parameters<typeof turnOnTotp>[0] & { config: TestApp['config'] }
const authenticator = new SoftAuthenticator({ rpId: 'localhost', origin: 'http://localhost' })

beforeAll(async () => {
  t = await createTestApp()
  await addPractice(t, 'Harbor Therapy Group', EMAIL)
  const [row] = await t.db
    .select({ accountId: accounts.id, practiceId: accounts.practiceId, staffId: accounts.staffId })
    .from(accounts)
    .where(eq(accounts.email, EMAIL))
  person = row!
  deps = { db: t.db, clock: t.clock, config: t.config, logger: { info: () => {}, error: () => {} }, mailer: t.devMailbox! }
  await startTotpSetup(deps, person)
  const [factor] = await t.db.select().from(totpFactors)
  secret = decodeBase32IgnorePadding(factor!.secret)
  const on = await turnOnTotp(deps, { person, code: generateTotpCode(secret, t.clock.now()), ip: TEST_IP, hadFactor: false })
  codes = on.ok ? on.recoveryCodes! : []
  const options = await startPasskeyRegistration(deps, { person, email: EMAIL, displayName: 'Admin' })
  const response = JSON.stringify(await authenticator.create(options))
  expect(await addPasskey(deps, { person, name: 'Phone', response, ip: TEST_IP, hadFactor: true })).toMatchObject({ ok: true })
  await t.settle()
})
afterAll(() => t.cleanup())

/** A new time step, so the app's next code has not been used. */
function nextCode() {
  t.clock.advance(30_000)
  return generateTotpCode(secret, t.clock.now())
}

/** The password step, as the login page posts it: an agent holding the pending login's cookie. */
async function password(): Promise<Agent> {
  const agent = t.agent()
  const response = await agent.post('/login', { email: EMAIL, password: ADMIN_PASSWORD })
  expect(response.headers.get('Location')).toBe('/login/two-step')
  return agent
}

/** What a finished login leaves behind, counted for the account. */
async function traces() {
  const rows = async <T>(query: Promise<T[]>) => (await query).length
  const [account] = await t.db.select().from(accounts).where(eq(accounts.id, person.accountId))
  return {
    sessions: await rows(t.db.select().from(sessions).where(eq(sessions.accountId, person.accountId))),
    logins: await rows(
      t.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.actorAccountId, person.accountId), eq(auditEvents.event, 'login.succeeded'))),
    ),
    lastLoginAt: account!.lastLoginAt?.getTime() ?? null,
  }
}

const recoveryCodesUsed = async () =>
  (
    await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorAccountId, person.accountId), eq(auditEvents.event, 'two_step.recovery_code_used')))
  ).length

const pendingOfAccount = () => t.db.select().from(pendingLogins).where(eq(pendingLogins.accountId, person.accountId))

describe('two requests finishing one pending login', () => {
  it('a code from the app and a recovery code posted at once open one session', async () => {
    const before = await traces()
    const used = await recoveryCodesUsed()
    const agent = await password()
    const answers = await Promise.all([
      agent.post('/login/two-step', { code: nextCode() }),
      agent.post('/login/two-step/recovery-code', { recoveryCode: codes[0]! }),
    ])
    expect(answers.map((a) => a.status)).toEqual([303, 303])
    expect(answers.filter((a) => a.headers.get('Location') === EXPIRED)).toHaveLength(1)
    // Both answers were right and both requests reached their finishing batch (the recovery code's
    // audit row is written in it either way); only the one that ended the pending login wrote a login.
    expect(await recoveryCodesUsed()).toBe(used + 1)
    const after = await traces()
    expect(after.sessions).toBe(before.sessions + 1)
    expect(after.logins).toBe(before.logins + 1)
    expect(await pendingOfAccount()).toEqual([])
  })

  it('two recovery codes posted at once open one session', async () => {
    const before = await traces()
    const used = await recoveryCodesUsed()
    const agent = await password()
    const answers = await Promise.all(
      [codes[1]!, codes[2]!].map((recoveryCode) => agent.post('/login/two-step/recovery-code', { recoveryCode })),
    )
    expect(answers.filter((a) => a.headers.get('Location') === EXPIRED)).toHaveLength(1)
    expect(await recoveryCodesUsed()).toBe(used + 2)
    const after = await traces()
    expect(after.sessions).toBe(before.sessions + 1)
    expect(after.logins).toBe(before.logins + 1)
  })

  it('a passkey and a code from the app posted at once open one session', async () => {
    const before = await traces()
    const agent = await password()
    const options = (await (await agent.post('/login/two-step/passkey/options')).json()) as { challenge: string }
    const passkeyResponse = JSON.stringify(await authenticator.get(options))
    const answers = await Promise.all([
      agent.post('/login/two-step/passkey', { passkeyResponse }),
      agent.post('/login/two-step', { code: nextCode() }),
    ])
    // The one that came second is sent back to the password, or (a passkey whose challenge went
    // with the pending login) refused: either way without a session.
    const signedIn = answers.filter((a) => a.status === 303 && a.headers.get('Location') !== EXPIRED)
    expect(signedIn).toHaveLength(1)
    expect(signedIn[0]!.headers.getSetCookie().join()).toContain('__Host-session=')
    const after = await traces()
    expect(after.sessions).toBe(before.sessions + 1)
    expect(after.logins).toBe(before.logins + 1)
  })
})

describe("the app's code, spent in the login's batch", () => {
  const totpFailures = async () =>
    (
      await t.db
        .select()
        .from(twoStepFailures)
        .where(and(eq(twoStepFailures.accountId, person.accountId), eq(twoStepFailures.factor, 'totp')))
    )[0]?.failures ?? 0
  const hasSession = (response: Response) => response.headers.getSetCookie().join().includes('__Host-session=')

  it('replayed in the same step by a second pending login: refused, counted, nothing written', async () => {
    const [first, second] = [await password(), await password()]
    const code = nextCode()
    expect(hasSession(await first.post('/login/two-step', { code }))).toBe(true)
    const before = await traces()
    const failures = await totpFailures()
    const replay = await second.post('/login/two-step', { code })
    expect(replay.status).toBe(401)
    expect(hasSession(replay)).toBe(false)
    expect(await totpFailures()).toBe(failures + 1)
    expect(await traces()).toEqual(before)
    // The second pending login is still there for a right answer.
    expect(hasSession(await second.post('/login/two-step', { code: nextCode() }))).toBe(true)
  })

  it('a wrong code is counted and ends nothing', async () => {
    const agent = await password()
    const before = await traces()
    const failures = await totpFailures()
    const wrong = await agent.post('/login/two-step', { code: '000000' })
    expect(wrong.status).toBe(401)
    expect(await totpFailures()).toBe(failures + 1)
    expect(await traces()).toEqual(before)
    expect(await pendingOfAccount()).toHaveLength(1)
    expect(hasSession(await agent.post('/login/two-step', { code: nextCode() }))).toBe(true)
    expect(await totpFailures()).toBe(0)
  })

  it('eight posts of one code at once, in one pending login or in eight, open one session', async () => {
    for (const agents of [Array.from({ length: 8 }, () => null), Array.from({ length: 8 }, () => 'own')]) {
      const shared = await password()
      const browsers = await Promise.all(agents.map(async (own) => (own ? password() : shared)))
      const before = await traces()
      const code = nextCode()
      const answers = await Promise.all(browsers.map((agent) => agent.post('/login/two-step', { code })))
      expect(answers.filter(hasSession)).toHaveLength(1)
      for (const refused of answers.filter((a) => !hasSession(a))) expect([401, 429, 303]).toContain(refused.status)
      const after = await traces()
      expect(after.sessions).toBe(before.sessions + 1)
      expect(after.logins).toBe(before.logins + 1)
      // The replays were counted after the right one cleared the failures: a handful, not a lock.
      expect(await totpFailures()).toBeGreaterThan(0)
      await t.db.delete(pendingLogins)
      t.clock.advance(60_000)
    }
    const agent = await password()
    expect(hasSession(await agent.post('/login/two-step', { code: nextCode() }))).toBe(true)
  })
})

describe('a finished pending login', () => {
  it('replayed by its cookie opens nothing, whichever answer comes with it', async () => {
    const agent = await password()
    const cookie = agent.cookies.get('__Host-pending-login')!
    expect((await agent.post('/login/two-step', { code: nextCode() })).headers.get('Location')).not.toBe(EXPIRED)
    const before = await traces()

    const replay = () => {
      const thief = t.agent()
      thief.cookies.set('__Host-pending-login', cookie)
      return thief
    }
    const code = await replay().post('/login/two-step', { code: nextCode() })
    expect(code.headers.get('Location')).toBe(EXPIRED)
    expect(code.headers.getSetCookie().join()).not.toContain('__Host-session=')
    const recovery = await replay().post('/login/two-step/recovery-code', { recoveryCode: codes[3]! })
    expect(recovery.headers.get('Location')).toBe(EXPIRED)
    expect((await replay().post('/login/two-step/passkey/options')).status).toBe(401)
    expect(await traces()).toEqual(before)
    // The recovery code was never looked at: it still works.
    const unused = await t.db.select().from(recoveryCodes).where(eq(recoveryCodes.accountId, person.accountId))
    expect(unused.filter((c) => c.usedAt === null)).toHaveLength(codes.length - 3)
  })

  it('read before another request ended it writes nothing when its own right answer comes', async () => {
    // What the second of two racing requests sees: it found the pending login, checked its
    // answer, then reached its finishing batch after the first had ended it.
    const stale = async (): Promise<PendingLogin> => {
      const { token } = await startPendingLogin(deps, { ...person, ip: TEST_IP })
      return (await findPendingLogin(deps, token))!
    }
    const { token: _old, session: previous } = await createSession(deps, { accountId: person.accountId, ip: TEST_IP, userAgent: 'test' })
    await t.db.batch(countLoginFailure(t.db, t.clock.now(), { email: EMAIL, ip: '198.51.100.9', accountId: null }))
    const browser = { ip: TEST_IP, userAgent: 'test', previousSessionId: previous.id }
    const before = await traces()
    const failures = () =>
      t.db
        .select()
        .from(loginFailures)
        .where(eq(loginFailures.key, addressKey(EMAIL)))
    expect(await failures()).toHaveLength(1)

    const byCode = await stale()
    await endPendingLoginStatement(deps, byCode.id)
    expect(await completeSecondStep(deps, { ...browser, pending: byCode, answer: { totpCode: nextCode() } })).toEqual({
      ok: false,
      reason: 'expired',
    })

    const byRecoveryCode = await stale()
    await endPendingLoginStatement(deps, byRecoveryCode.id)
    expect(await completeSecondStep(deps, { ...browser, pending: byRecoveryCode, answer: { recoveryCode: codes[4]! } })).toEqual({
      ok: false,
      reason: 'expired',
    })

    const byPasskey = await stale()
    const options = await startPasskeyAssertion(deps, { purpose: 'second-step', person: byPasskey, pendingLoginId: byPasskey.id })
    const passkeyResponse = JSON.stringify(await authenticator.get(options))
    const [counter] = await t.db.select({ signCount: passkeys.signCount }).from(passkeys)
    await endPendingLoginStatement(deps, byPasskey.id)
    expect(await completeSecondStep(deps, { ...browser, pending: byPasskey, answer: { passkeyResponse } })).toMatchObject({ ok: false })
    expect(await t.db.select({ signCount: passkeys.signCount }).from(passkeys)).toEqual([counter])

    // No session, no audit row, no last login, the browser's old session still there, the
    // address's failures not cleared.
    expect(await traces()).toEqual(before)
    expect(await t.db.select().from(sessions).where(eq(sessions.id, previous.id))).toHaveLength(1)
    expect(await failures()).toHaveLength(1)
  })
})

describe('Log In with a Passkey', () => {
  it('the same answer posted twice at once opens one session', async () => {
    const before = await traces()
    const browser = t.agent()
    const options = (await (await browser.post('/login/passkey/options')).json()) as { challenge: string }
    const passkeyResponse = JSON.stringify(await authenticator.get(options))
    const answers = await Promise.all([1, 2].map(() => browser.post('/login/passkey', { passkeyResponse })))
    expect(answers.map((a) => a.status).sort()).toEqual([303, 401])
    const after = await traces()
    expect(after.sessions).toBe(before.sessions + 1)
    expect(after.logins).toBe(before.logins + 1)
  })

  /** A Log In with a Passkey answer checked up to its batch, for a browser. */
  async function checkedAnswer(browserSecret: string) {
    const browserHash = hashBrowserSecret(browserSecret)
    const options = await startPasskeyAssertion(deps, { purpose: 'passkey-login', browserHash, ip: TEST_IP })
    const response = JSON.stringify(await authenticator.get(options))
    const claim = await checkPasskeyAssertion(deps, { purpose: 'passkey-login', person: null, browserHash, response, ip: TEST_IP })
    if (!claim.ok) throw new Error('the answer should check')
    return claim
  }

  /** The login's batch guarded by the answer, and what the answer's own statements then say. */
  async function finishWith(claim: Awaited<ReturnType<typeof checkedAnswer>>) {
    const { trailing } = await finishLogin(
      deps,
      { account: { ...claim.holder!, accountId: claim.accountId }, ip: TEST_IP, userAgent: 'test', detail: 'passkey' },
      { onlyIf: claim.accepted, trailing: () => claim.statements },
    )
    return claim.settle(trailing)
  }

  it('a login guarded by an answer whose challenge another request used up writes nothing', async () => {
    const claim = await checkedAnswer('a-browser-secret-of-some-length-0123456789')
    // Another request with the same answer got there first and used the challenge up.
    expect((await t.db.batch(claim.statements))[2]).toHaveLength(1)
    const before = await traces()
    expect(await finishWith(claim)).toMatchObject({ ok: false })
    expect(await traces()).toEqual(before)
  })

  it('a counter moved by another answer between the check and the batch: no session, a failure counted', async () => {
    const claim = await checkedAnswer('another-browser-secret-of-some-length-0123')
    // A clone of the passkey answered elsewhere in the meantime with a higher counter.
    const [stored] = await t.db.select().from(passkeys)
    await t.db.update(passkeys).set({ signCount: stored!.signCount + 1000 })
    const passkeyFailures = async () =>
      (await t.db.select().from(twoStepFailures).where(eq(twoStepFailures.factor, 'passkey')))[0]?.failures ?? 0
    const counted = await passkeyFailures()
    const before = await traces()
    expect(await finishWith(claim)).toMatchObject({ ok: false })
    expect(await traces()).toEqual(before)
    expect(await passkeyFailures()).toBe(counted + 1)
    // Its challenge is used up all the same.
    expect((await t.db.batch(claim.statements))[2]).toEqual([])
    await t.db.update(passkeys).set({ signCount: stored!.signCount })
  })
})

describe('the login waits, held back', () => {
  it('still answer a passkey second step first, readable or not, and nothing is written', async () => {
    const agent = await password()
    const options = (await (await agent.post('/login/two-step/passkey/options')).json()) as { challenge: string }
    const passkeyResponse = JSON.stringify(await authenticator.get(options))
    for (let i = 0; i < 12; i++)
      await t.db.batch(countLoginFailure(t.db, t.clock.now(), { email: EMAIL, ip: '198.51.100.2', accountId: null }))
    t.clock.advance(30_000)
    const before = await traces()
    expect((await agent.post('/login/two-step/passkey', { passkeyResponse: 'not an answer' })).status).toBe(429)
    const held = await agent.post('/login/two-step/passkey', { passkeyResponse })
    expect(held.status).toBe(429)
    expect(held.headers.getSetCookie().join()).not.toContain('__Host-session=')
    expect(await traces()).toEqual(before)
    // The answer was not looked at: once the wait is over it still finishes the login.
    await t.db.delete(loginFailures)
    const done = await agent.post('/login/two-step/passkey', { passkeyResponse })
    expect(done.headers.getSetCookie().join()).toContain('__Host-session=')
  })
})
