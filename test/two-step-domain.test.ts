import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { accounts, auditEvents, passkeys, recoveryCodes, sessions, totpFactors, twoStepFailures } from '../db/schema'
import { endPendingLoginStatement, findPendingLogin, startPendingLogin } from '../src/two-step/pending-login'
import type { TwoStepPerson } from '../src/two-step/person'
import { verifyPasskeyAssertion } from '../src/two-step/passkey-assertion'
import { startPasskeyAssertion } from '../src/two-step/passkey-assertion-options'
import { addPasskey, startPasskeyRegistration } from '../src/two-step/passkey-registration'
import { spendRecoveryCode } from '../src/two-step/recovery-code-check'
import { countRecoveryCodes, replaceRecoveryCodes } from '../src/two-step/recovery-codes'
import { startTotpSetup, generateTotpCode, turnOnTotp } from '../src/two-step/totp'
import { verifyTotpStep } from '../src/two-step/totp-check'
import { getTwoStepStatus, hasSecondFactor, resetTwoStep } from '../src/two-step/two-step'
import { FACTOR_FREE_FAILURES, FACTOR_LOCK_FAILURES } from '../src/two-step/failures'
import { addPractice, createTestApp, logIn, TEST_IP, type TestApp } from './support/app'
import { MINUTE } from './support/clock'
import { SoftAuthenticator } from './support/soft-authenticator'

let t: TestApp
let person: TwoStepPerson

beforeAll(async () => {
  t = await createTestApp({ APP_URL: 'http://localhost:8787' })
  await addPractice(t, 'Harbor Therapy Group', 'admin@harbor.test')
  const [row] = await t.db
    .select({ accountId: accounts.id, practiceId: accounts.practiceId, staffId: accounts.staffId })
    .from(accounts)
    .where(eq(accounts.email, 'admin@harbor.test'))
  person = row!
})
afterAll(() => t.cleanup())

// The app's own deps (mailer and logger included), as routes pass them.
let appDeps: Parameters<typeof turnOnTotp>[0] & { config: TestApp['config'] }
beforeAll(() => {
  appDeps = { db: t.db, clock: t.clock, config: t.config, logger: { info: () => {}, error: () => {} }, mailer: t.devMailbox! }
})

async function wipe() {
  for (const table of [totpFactors, passkeys, recoveryCodes, twoStepFailures]) await t.db.delete(table)
}

async function turnOnApp() {
  await startTotpSetup(appDeps, person)
  const [row] = await t.db.select().from(totpFactors).where(eq(totpFactors.accountId, person.accountId))
  const secret = decodeBase32IgnorePadding(row!.secret)
  const result = await turnOnTotp(appDeps, { person, code: generateTotpCode(secret, t.clock.now()), ip: TEST_IP, hadFactor: false })
  if (!result.ok) throw new Error('turn on failed')
  return { secret, recoveryCodes: result.recoveryCodes! }
}

describe('authenticator app', () => {
  beforeEach(wipe)

  it('turns on only with a correct code, and then a code works once', async () => {
    await startTotpSetup(appDeps, person)
    expect(await turnOnTotp(appDeps, { person, code: '000000', ip: TEST_IP, hadFactor: false })).toEqual({ ok: false, reason: 'wrong' })
    expect(await hasSecondFactor(appDeps, person.accountId)).toBe(false)
    const { secret, recoveryCodes: codes } = await turnOnApp()
    expect(codes).toHaveLength(10)
    expect(await hasSecondFactor(appDeps, person.accountId)).toBe(true)

    // The code that turned it on is spent; so is one used at login, whether sent once or twice at once.
    expect(await verifyTotpStep(appDeps, { person, code: generateTotpCode(secret, t.clock.now()), ip: TEST_IP })).toMatchObject({
      ok: false,
      reason: 'wrong',
    })
    t.clock.advance(30_000)
    const code = generateTotpCode(secret, t.clock.now())
    const both = await Promise.all([1, 2].map(() => verifyTotpStep(appDeps, { person, code, ip: TEST_IP })))
    expect(both.filter((r) => r.ok)).toHaveLength(1)
    // A code from an earlier step than the last accepted one is refused, even within the drift window.
    t.clock.advance(30_000)
    expect(await verifyTotpStep(appDeps, { person, code, ip: TEST_IP })).toMatchObject({ ok: false })
    expect(await verifyTotpStep(appDeps, { person, code: generateTotpCode(secret, t.clock.now()), ip: TEST_IP })).toEqual({ ok: true })
  })

  it('slows wrong codes down after a few, audits the burst, and locks at 100 until an admin resets', async () => {
    const { secret } = await turnOnApp()
    for (let i = 0; i < FACTOR_FREE_FAILURES; i++)
      expect(await verifyTotpStep(appDeps, { person, code: '000000', ip: TEST_IP })).toMatchObject({ reason: 'wrong' })
    const held = await verifyTotpStep(appDeps, { person, code: generateTotpCode(secret, t.clock.now()), ip: TEST_IP })
    expect(held).toMatchObject({ ok: false, reason: 'throttled' })
    const bursts = await t.db.select().from(auditEvents).where(eq(auditEvents.event, 'two_step.failures'))
    expect(bursts.at(-1)!.detail).toContain('5 wrong authentication codes')
    // Another factor is not held back by the app's failures.
    await t.db.update(twoStepFailures).set({ failures: FACTOR_LOCK_FAILURES })
    t.clock.advance(60 * MINUTE)
    expect(await verifyTotpStep(appDeps, { person, code: generateTotpCode(secret, t.clock.now()), ip: TEST_IP })).toEqual({
      ok: false,
      reason: 'locked',
    })
    expect((await getTwoStepStatus(appDeps, person.accountId)).locked).toEqual(['totp'])
  })
})

describe('recovery codes', () => {
  beforeEach(wipe)

  it('each works once, even when the same code is posted many times at once', async () => {
    const { recoveryCodes: codes } = await turnOnApp()
    const code = codes[3]!
    const results = await Promise.all(Array.from({ length: 8 }, () => spendRecoveryCode(appDeps, { person, code, ip: TEST_IP })))
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(await countRecoveryCodes(appDeps, person.accountId)).toBe(9)
    // Typed with other spacing and case, still the same code, still spent.
    expect(await spendRecoveryCode(appDeps, { person, code: code.toUpperCase().replace('-', ' '), ip: TEST_IP })).toMatchObject({
      ok: false,
    })
    expect(await spendRecoveryCode(appDeps, { person, code: codes[4]!.replace('-', ''), ip: TEST_IP })).toEqual({ ok: true })
    const [stored] = await t.db.select().from(recoveryCodes).limit(1)
    expect(stored!.codeHash).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(await t.db.select().from(recoveryCodes))).not.toContain(codes[0]!.replace('-', ''))
    expect(t.devMailbox!.list().some((m) => m.subject.includes('A recovery code was used'))).toBe(true)
  })

  it('New Recovery Codes replaces every old one', async () => {
    const { recoveryCodes: old } = await turnOnApp()
    const fresh = await replaceRecoveryCodes(appDeps, { person, ip: TEST_IP })
    expect(fresh).toHaveLength(10)
    expect(await spendRecoveryCode(appDeps, { person, code: old[0]!, ip: TEST_IP })).toMatchObject({ ok: false })
    expect(await spendRecoveryCode(appDeps, { person, code: fresh[0]!, ip: TEST_IP })).toEqual({ ok: true })
  })
})

describe('passkeys', () => {
  beforeEach(wipe)
  const rp = { rpId: 'localhost', origin: 'http://localhost:8787' }

  async function register(authenticator = new SoftAuthenticator(rp)) {
    const options = await startPasskeyRegistration(appDeps, { person, email: 'admin@harbor.test', displayName: 'Admin' })
    expect(options).toMatchObject({
      rp: { id: 'localhost' },
      attestation: 'none',
      authenticatorSelection: { userVerification: 'required' },
    })
    const response = JSON.stringify(await authenticator.create(options))
    return { authenticator, result: await addPasskey(appDeps, { person, name: 'Work laptop', response, ip: TEST_IP, hadFactor: false }) }
  }

  it('registers, then signs a second step once per challenge', async () => {
    const { authenticator, result } = await register()
    expect(result).toMatchObject({ ok: true })
    const pending = await startPendingLogin(appDeps, { ...person, ip: TEST_IP })
    const login = (await findPendingLogin(appDeps, pending.token))!
    const options = await startPasskeyAssertion(appDeps, { purpose: 'second-step', person, pendingLoginId: login.id })
    expect(options.allowCredentials).toEqual([{ type: 'public-key', id: authenticator.id }])
    const answer = JSON.stringify(await authenticator.get(options))
    const verify = () =>
      verifyPasskeyAssertion(appDeps, { purpose: 'second-step', person, pendingLoginId: login.id, response: answer, ip: TEST_IP })
    expect(await verify()).toMatchObject({ ok: true, accountId: person.accountId })
    // The same answer again: the challenge is gone.
    expect(await verify()).toMatchObject({ ok: false })
    expect(await endPendingLoginStatement(appDeps, login.id)).toHaveLength(1)
    expect(await endPendingLoginStatement(appDeps, login.id)).toHaveLength(0)
  })

  it('refuses another origin, a challenge of another purpose, no user verification, and a counter that goes back', async () => {
    const { authenticator } = await register()
    const options = await startPasskeyAssertion(appDeps, { purpose: 'confirm', person })
    const phished = JSON.stringify(await authenticator.get(options, { origin: 'http://localhost:8788' }))
    expect(await verifyPasskeyAssertion(appDeps, { purpose: 'confirm', person, response: phished, ip: TEST_IP })).toMatchObject({
      ok: false,
    })
    const fine = JSON.stringify(await authenticator.get(options))
    expect(await verifyPasskeyAssertion(appDeps, { purpose: 'passkey-login', person: null, response: fine, ip: TEST_IP })).toMatchObject({
      ok: false,
    })
    expect(await verifyPasskeyAssertion(appDeps, { purpose: 'confirm', person, response: fine, ip: TEST_IP })).toMatchObject({ ok: true })
    // A clone would send a counter no higher than the one stored.
    await t.db.update(passkeys).set({ signCount: 1000 })
    const next = await startPasskeyAssertion(appDeps, { purpose: 'confirm', person })
    const cloned = JSON.stringify(await authenticator.get(next))
    expect(await verifyPasskeyAssertion(appDeps, { purpose: 'confirm', person, response: cloned, ip: TEST_IP })).toMatchObject({
      ok: false,
    })

    const unverified = new SoftAuthenticator({ ...rp, userVerified: false })
    expect((await register(unverified)).result).toEqual({ ok: false, reason: 'invalid' })
  })

  it('logs in with a discoverable passkey alone: the user handle names the account', async () => {
    const { authenticator } = await register()
    const options = await startPasskeyAssertion(appDeps, { purpose: 'passkey-login' })
    expect(options.allowCredentials).toEqual([])
    const answer = JSON.stringify(await authenticator.get(options))
    expect(await verifyPasskeyAssertion(appDeps, { purpose: 'passkey-login', person: null, response: answer, ip: TEST_IP })).toMatchObject({
      ok: true,
      accountId: person.accountId,
    })
  })
})

describe('pending login', () => {
  it('expires after five minutes and is not a session', async () => {
    const { token } = await startPendingLogin(appDeps, { ...person, ip: TEST_IP })
    expect(await findPendingLogin(appDeps, token)).not.toBeNull()
    const agent = t.agent()
    agent.cookies.set('__Host-session', token)
    expect((await agent.get('/portal')).status).toBe(303)
    t.clock.advance(5 * MINUTE)
    expect(await findPendingLogin(appDeps, token)).toBeNull()
  })
})

describe('Reset Two-Step Sign-In', () => {
  it('removes every factor and code, ends sessions, audits and emails; only within the admin practice', async () => {
    await wipe()
    await turnOnApp()
    await addPractice(t, 'Summit Speech', 'admin@summit.test')
    const [otherAdmin] = await t.db.select().from(accounts).where(eq(accounts.email, 'admin@summit.test'))
    await logIn(t, 'admin@harbor.test')
    expect(
      await resetTwoStep(appDeps, {
        admin: { accountId: otherAdmin!.id, practiceId: otherAdmin!.practiceId },
        staffId: person.staffId,
        ip: TEST_IP,
      }),
    ).toEqual({ ok: false, reason: 'not-found' })
    expect(await hasSecondFactor(appDeps, person.accountId)).toBe(true)

    expect(
      await resetTwoStep(appDeps, {
        admin: { accountId: person.accountId, practiceId: person.practiceId },
        staffId: person.staffId,
        ip: TEST_IP,
      }),
    ).toEqual({ ok: true })
    expect(await hasSecondFactor(appDeps, person.accountId)).toBe(false)
    expect(await countRecoveryCodes(appDeps, person.accountId)).toBe(0)
    expect(await t.db.select().from(sessions).where(eq(sessions.accountId, person.accountId))).toEqual([])
    expect((await t.db.select().from(auditEvents).where(eq(auditEvents.event, 'two_step.reset'))).length).toBe(1)
    expect(t.devMailbox!.list()[0]!.subject).toContain('reset two-step sign-in')
  })
})
