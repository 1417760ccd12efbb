import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, auditEvents, emailOutbox, passkeys, recoveryCodes, totpFactors, twoStepFailures } from '../db/schema'
import { FACTOR_FREE_FAILURES } from '../src/two-step/failures'
import { generateTotpCode } from '../src/two-step/totp'
import { addPractice, createTestApp, logIn, type TestApp } from './support/app'
import { holdingSpends } from './support/hold-spend'
import { SoftAuthenticator } from './support/soft-authenticator'
import { codesIn, setupKeyIn } from './support/two-step-page'

// Removing a passkey, or making new recovery codes, confirmed with a recovery code: the code is
// checked, counted when wrong and spent in the change's own batch. A wrong code removes nothing and is counted; a burst of
// guesses gets no more checks than the throttle allows, a right code held in it included; one
// code removes one passkey however often it is posted at once; the last factor takes the codes
// with it, the one spent included.

const PAGE = '/account/two-step'
let t: TestApp
let serial = 0
const spends = holdingSpends()

beforeAll(async () => {
  t = await createTestApp({}, { wrapClient: spends.wrap })
})
afterAll(() => t.cleanup())

/** An admin of a practice of their own, signed in, with `keys` passkeys and so (with one or more) ten recovery codes. */
async function personWithPasskeys(keys: number) {
  const n = ++serial
  const email = `admin${n}@removal.test`
  await addPractice(t, `Removal Practice ${n}`, email)
  const agent = await logIn(t, email)
  let codes: string[] = []
  for (let i = 0; i < keys; i++) {
    const authenticator = new SoftAuthenticator({ rpId: 'localhost', origin: 'http://localhost' })
    const options = (await (await agent.post(`${PAGE}/passkeys/options`)).json()) as { challenge: string; user: { id: string } }
    const added = await agent.post(`${PAGE}/passkeys`, {
      name: `Key ${i}`,
      credential: JSON.stringify(await authenticator.create(options)),
    })
    expect([200, 303]).toContain(added.status)
    if (i === 0) codes = codesIn(await added.text())
  }
  if (keys > 0) expect(codes).toHaveLength(10)
  await t.settle()
  const [account] = await t.db.select().from(accounts).where(eq(accounts.email, email))
  const keyIds = (await t.db.select().from(passkeys).where(eq(passkeys.accountId, account!.id))).map((k) => k.id)
  return { agent, email, accountId: account!.id, codes, keyIds }
}
type Person = Awaited<ReturnType<typeof personWithPasskeys>>

const remove = (who: Person, keyId: string, recoveryCode: string) => who.agent.post(`${PAGE}/remove/passkey/${keyId}`, { recoveryCode })

/** What a removal leaves behind for the person. */
async function traces(who: Person) {
  await t.settle()
  const audit = await t.db.select().from(auditEvents).where(eq(auditEvents.actorAccountId, who.accountId))
  const outbox = await t.db.select().from(emailOutbox).where(eq(emailOutbox.recipient, who.email))
  const codes = await t.db.select().from(recoveryCodes).where(eq(recoveryCodes.accountId, who.accountId))
  return {
    passkeys: (await t.db.select().from(passkeys).where(eq(passkeys.accountId, who.accountId))).length,
    removed: audit.filter((row) => row.event === 'two_step.factor_removed').length,
    codesUsed: audit.filter((row) => row.event === 'two_step.recovery_code_used').map((row) => row.detail),
    codes: codes.length,
    unusedCodes: codes.filter((row) => row.usedAt === null).length,
    offNotices: outbox.filter((row) => row.template === 'two-step-off').length,
    usedNotices: outbox.filter((row) => row.template === 'recovery-code-used').length,
    failures:
      (
        await t.db
          .select()
          .from(twoStepFailures)
          .where(and(eq(twoStepFailures.accountId, who.accountId), eq(twoStepFailures.factor, 'recovery-code')))
      )[0]?.failures ?? 0,
  }
}

const tally = (statuses: number[]) => ({
  wrong: statuses.filter((s) => s === 422).length,
  throttled: statuses.filter((s) => s === 429).length,
})

describe('Remove a passkey, with a recovery code', () => {
  it('a right code removes it, spends the code and tells the person of both', async () => {
    const who = await personWithPasskeys(2)
    const before = await traces(who)
    const removed = await remove(who, who.keyIds[0]!, who.codes[0]!)
    expect(removed.status).toBe(303)
    expect(removed.headers.get('Location')).toBe(`${PAGE}?removed`)
    expect(await traces(who)).toEqual({
      ...before,
      passkeys: 1,
      removed: 1,
      codesUsed: ['9 left'],
      unusedCodes: 9,
      offNotices: 1,
      usedNotices: 1,
    })
  })

  it('the last factor takes every code with it, the one spent included', async () => {
    const who = await personWithPasskeys(1)
    const removed = await remove(who, who.keyIds[0]!, who.codes[0]!)
    expect(removed.headers.get('Location')).toBe(`${PAGE}?removed`)
    expect(await traces(who)).toMatchObject({ passkeys: 0, removed: 1, codesUsed: ['9 left'], codes: 0, offNotices: 1, usedNotices: 1 })
  })

  it('a wrong code removes nothing and is counted; a used one too', async () => {
    const who = await personWithPasskeys(2)
    const before = await traces(who)
    const wrong = await remove(who, who.keyIds[0]!, 'aaaaa-aaaaa')
    expect(wrong.status).toBe(422)
    expect(await traces(who)).toEqual({ ...before, failures: 1 })
    expect((await remove(who, who.keyIds[0]!, 'not a code')).status).toBe(422)
    expect((await traces(who)).failures).toBe(2)

    expect((await remove(who, who.keyIds[0]!, who.codes[0]!)).status).toBe(303)
    const spent = await traces(who)
    expect(spent).toMatchObject({ passkeys: 1, failures: 0, unusedCodes: 9 })
    expect((await remove(who, who.keyIds[1]!, who.codes[0]!)).status).toBe(422)
    expect(await traces(who)).toEqual({ ...spent, failures: 1 })
  })

  it(`a burst of wrong codes: at most ${FACTOR_FREE_FAILURES} checked, the rest throttled, a right code held in it not spent`, async () => {
    const who = await personWithPasskeys(2)
    const held = spends.holdNext()
    const right = remove(who, who.keyIds[0]!, who.codes[0]!)
    await held.atBatch
    const burst = await Promise.all(Array.from({ length: 3 * FACTOR_FREE_FAILURES }, () => remove(who, who.keyIds[0]!, 'aaaaa-aaaaa')))
    expect(tally(burst.map((a) => a.status))).toEqual({ wrong: FACTOR_FREE_FAILURES, throttled: 2 * FACTOR_FREE_FAILURES })
    held.release()
    expect((await right).status).toBe(429)
    expect(await traces(who)).toMatchObject({
      passkeys: 2,
      removed: 0,
      unusedCodes: 10,
      codesUsed: [],
      offNotices: 0,
      usedNotices: 0,
      failures: FACTOR_FREE_FAILURES,
    })

    t.clock.advance(1000)
    expect((await remove(who, who.keyIds[0]!, who.codes[0]!)).status).toBe(303)
    expect(await traces(who)).toMatchObject({ passkeys: 1, unusedCodes: 9, failures: 0 })
  })

  it('one code posted at once to remove two passkeys removes one', async () => {
    const who = await personWithPasskeys(3)
    const answers = await Promise.all(who.keyIds.slice(0, 2).map((id) => remove(who, id, who.codes[0]!)))
    expect(answers.map((a) => a.status).sort()).toEqual([303, 422])
    expect(await traces(who)).toMatchObject({
      passkeys: 2,
      removed: 1,
      codesUsed: ['9 left'],
      unusedCodes: 9,
      offNotices: 1,
      usedNotices: 1,
    })
  })
})

/** Someone with the authenticator app on (and so ten recovery codes), and `keys` passkeys besides. */
async function personWithApp(keys: number) {
  const who = await personWithPasskeys(keys)
  await who.agent.post(`${PAGE}/app/setup`)
  const secret = setupKeyIn(await (await who.agent.get(PAGE)).text())
  const on = await who.agent.post(`${PAGE}/app/turn-on`, { code: generateTotpCode(secret, t.clock.now()) })
  expect(on.status).toBe(200)
  const codes = keys === 0 ? codesIn(await on.text()) : who.codes
  expect(codes).toHaveLength(10)
  await t.settle()
  return { ...who, codes }
}

const appOf = async (who: Person) => (await t.db.select().from(totpFactors).where(eq(totpFactors.accountId, who.accountId)))[0]

describe('Remove the authenticator app, with a recovery code', () => {
  const removeApp = (who: Person, recoveryCode: string) => who.agent.post(`${PAGE}/remove/app`, { recoveryCode })

  it('a right code removes it, spends the code and tells the person of both', async () => {
    const who = await personWithApp(1)
    const before = await traces(who)
    const removed = await removeApp(who, who.codes[0]!)
    expect(removed.status).toBe(303)
    expect(removed.headers.get('Location')).toBe(`${PAGE}?removed`)
    expect(await appOf(who)).toBeUndefined()
    expect(await traces(who)).toEqual({ ...before, removed: 1, codesUsed: ['9 left'], unusedCodes: 9, offNotices: 1, usedNotices: 1 })
  })

  it('the last factor takes every code with it, the one spent included', async () => {
    const who = await personWithApp(0)
    expect((await removeApp(who, who.codes[0]!)).status).toBe(303)
    expect(await appOf(who)).toBeUndefined()
    expect(await traces(who)).toMatchObject({ removed: 1, codesUsed: ['9 left'], codes: 0, offNotices: 1, usedNotices: 1 })
  })

  it('a wrong or used code removes nothing and is counted', async () => {
    const who = await personWithApp(1)
    const before = await traces(who)
    expect((await removeApp(who, 'aaaaa-aaaaa')).status).toBe(422)
    expect(await appOf(who)).toMatchObject({ status: 'enabled' })
    expect(await traces(who)).toEqual({ ...before, failures: 1 })
    // Spent on a passkey's removal, then offered for the app's.
    expect((await remove(who, who.keyIds[0]!, who.codes[0]!)).status).toBe(303)
    const spent = await traces(who)
    expect((await removeApp(who, who.codes[0]!)).status).toBe(422)
    expect(await appOf(who)).toMatchObject({ status: 'enabled' })
    expect(await traces(who)).toEqual({ ...spent, failures: 1 })
  })
})

describe('New Recovery Codes, with a recovery code', () => {
  const renew = (who: Person, recoveryCode: string) => who.agent.post(`${PAGE}/recovery-codes/new`, { recoveryCode })
  const replaced = async (who: Person) =>
    (await t.db.select().from(auditEvents).where(eq(auditEvents.actorAccountId, who.accountId))).filter(
      (row) => row.event === 'two_step.recovery_codes_replaced',
    ).length
  const hashes = async (who: Person) =>
    (await t.db.select().from(recoveryCodes).where(eq(recoveryCodes.accountId, who.accountId))).map((row) => row.codeHash).sort()

  it('a right code puts ten new ones in place of every old one, itself included', async () => {
    const who = await personWithPasskeys(1)
    const old = await hashes(who)
    const renewed = await renew(who, who.codes[0]!)
    expect(renewed.status).toBe(200)
    const fresh = codesIn(await renewed.text())
    expect(fresh).toHaveLength(10)
    expect(fresh.filter((code) => who.codes.includes(code))).toEqual([])
    const now = await hashes(who)
    expect(now).toHaveLength(10)
    expect(now.filter((hash) => old.includes(hash))).toEqual([])
    expect(await traces(who)).toMatchObject({ codes: 10, unusedCodes: 10, codesUsed: ['9 left'], usedNotices: 1, failures: 0 })
    expect(await replaced(who)).toBe(1)
    // The old codes are gone, the new ones work.
    expect((await renew(who, who.codes[1]!)).status).toBe(422)
    expect((await renew(who, fresh[0]!)).status).toBe(200)
  })

  it('a wrong code changes nothing and is counted', async () => {
    const who = await personWithPasskeys(1)
    const old = await hashes(who)
    const before = await traces(who)
    expect((await renew(who, 'aaaaa-aaaaa')).status).toBe(422)
    expect(await hashes(who)).toEqual(old)
    expect(await traces(who)).toEqual({ ...before, failures: 1 })
    expect(await replaced(who)).toBe(0)
  })

  it('a right code held past a burst of wrong ones is refused as throttled and changes nothing', async () => {
    const who = await personWithPasskeys(1)
    const old = await hashes(who)
    const held = spends.holdNext()
    const right = renew(who, who.codes[0]!)
    await held.atBatch
    const burst = await Promise.all(Array.from({ length: 3 * FACTOR_FREE_FAILURES }, () => renew(who, 'aaaaa-aaaaa')))
    expect(tally(burst.map((a) => a.status))).toEqual({ wrong: FACTOR_FREE_FAILURES, throttled: 2 * FACTOR_FREE_FAILURES })
    held.release()
    expect((await right).status).toBe(429)
    expect(await hashes(who)).toEqual(old)
    expect(await traces(who)).toMatchObject({ unusedCodes: 10, codesUsed: [], usedNotices: 0, failures: FACTOR_FREE_FAILURES })
    expect(await replaced(who)).toBe(0)
  })

  it('one code posted twice at once renews the codes once', async () => {
    const who = await personWithPasskeys(1)
    const answers = await Promise.all([1, 2].map(() => renew(who, who.codes[0]!)))
    expect(answers.map((a) => a.status).sort()).toEqual([200, 422])
    expect(await traces(who)).toMatchObject({ codes: 10, unusedCodes: 10, codesUsed: ['9 left'], usedNotices: 1 })
    expect(await replaced(who)).toBe(1)
  })
})
