// The two-step notices (factor added, factor removed, recovery code used) are written in the
// change's own batch, under the condition that guards the change: a change that is refused or
// loses a race writes no notice, and one that happens is told once, by email, after the answer.
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  accounts,
  auditEvents,
  emailOutbox,
  passkeys,
  practices,
  recoveryCodes,
  sessions,
  totpFactors,
  twoStepFailures,
} from '../db/schema'
import { generateTotpCode, turnOnTotp } from '../src/two-step/totp'
import type { Agent } from './support/agent'
import { addPractice, createTestApp, logIn, TEST_IP, type TestApp } from './support/app'
import { SoftAuthenticator } from './support/soft-authenticator'
import { codesIn, setupKeyIn } from './support/two-step-page'

let t: TestApp
let serial = 0

beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.cleanup())

const PAGE = '/account/two-step'

/** An admin of a practice of their own, signed in, with no second factor yet. */
async function person() {
  const n = ++serial
  const email = `admin${n}@notices.test`
  await addPractice(t, `Notices Practice ${n}`, email)
  const agent = await logIn(t, email)
  const [account] = await t.db.select().from(accounts).where(eq(accounts.email, email))
  return { agent, email, account: account! }
}

type Person = Awaited<ReturnType<typeof person>>

/** The person's notices of one template, after every deferred sending has run. */
async function notices(who: Person, template: string) {
  await t.settle()
  return t.db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.recipient, who.email), eq(emailOutbox.template, template)))
}

const audited = async (who: Person, event: string) =>
  (await t.db.select().from(auditEvents)).filter((row) => row.event === event && row.actorAccountId === who.account.id)

const unusedCodes = async (who: Person) =>
  (await t.db.select().from(recoveryCodes).where(eq(recoveryCodes.accountId, who.account.id))).filter((row) => row.usedAt === null).length

async function setUpApp(agent: Agent) {
  await agent.post(`${PAGE}/app/setup`)
  return setupKeyIn(await (await agent.get(PAGE)).text())
}

async function turnOnApp(who: Person) {
  const secret = await setUpApp(who.agent)
  const on = await who.agent.post(`${PAGE}/app/turn-on`, { code: generateTotpCode(secret, t.clock.now()) })
  expect(on.status).toBe(200)
  t.clock.advance(30_000)
  return { secret, recoveryCodes: codesIn(await on.text()) }
}

async function registration(agent: Agent, authenticator = new SoftAuthenticator({ rpId: 'localhost', origin: 'http://localhost' })) {
  const options = (await (await agent.post(`${PAGE}/passkeys/options`)).json()) as { challenge: string; user: { id: string } }
  return { authenticator, credential: JSON.stringify(await authenticator.create(options)) }
}

describe('Turn On', () => {
  it('tells the person once, after the answer', async () => {
    const who = await person()
    const { recoveryCodes: codes } = await turnOnApp(who)
    expect(codes).toHaveLength(10)
    const [notice] = await notices(who, 'two-step-on')
    expect(notice).toMatchObject({ status: 'sent' })
    expect(JSON.parse(notice!.params)).toMatchObject({ factor: { kind: 'app' } })
    expect(await notices(who, 'two-step-on')).toHaveLength(1)
  })

  it('of two posts of the same code at once, one turns the app on: one notice, one set of codes, one audit row', async () => {
    const who = await person()
    const secret = await setUpApp(who.agent)
    const code = generateTotpCode(secret, t.clock.now())
    const answers = await Promise.all([1, 2].map(() => who.agent.post(`${PAGE}/app/turn-on`, { code })))
    expect(answers.map((a) => a.status).sort()).toEqual([200, 303])
    expect(await notices(who, 'two-step-on')).toHaveLength(1)
    expect(await unusedCodes(who)).toBe(10)
    expect(await audited(who, 'two_step.factor_added')).toHaveLength(1)
  })

  it('writes no notice when the secret was replaced after it was read (Set Up in another tab)', async () => {
    const who = await person()
    const stale = await setUpApp(who.agent)
    await who.agent.post(`${PAGE}/app/setup`)
    // As if the route had read the pending secret just before the other tab replaced it: the
    // batch's guard is that secret, so the change, its codes and its notice are refused together.
    const deps = { db: t.db, clock: t.clock, logger: { info: () => {}, error: () => {} }, mailer: t.devMailbox! }
    const subject = { accountId: who.account.id, practiceId: who.account.practiceId, staffId: who.account.staffId }
    // A practice requiring two-step sign-in holds this person's session to set-up: that is not ended either.
    await t.db.update(sessions).set({ twoStepSetup: true }).where(eq(sessions.accountId, who.account.id))
    const result = await turnOnTotp(deps, {
      person: subject,
      code: generateTotpCode(stale, t.clock.now()),
      ip: TEST_IP,
      hadFactor: false,
      pendingSecret: encodeBase32UpperCaseNoPadding(stale),
    })
    expect(result).toEqual({ ok: false, reason: 'no-setup' })
    expect(await notices(who, 'two-step-on')).toEqual([])
    expect((await t.db.select().from(totpFactors).where(eq(totpFactors.accountId, who.account.id)))[0]?.status).toBe('pending')
    expect(await unusedCodes(who)).toBe(0)
    expect(await audited(who, 'two_step.factor_added')).toEqual([])
    const held = await t.db.select({ setup: sessions.twoStepSetup }).from(sessions).where(eq(sessions.accountId, who.account.id))
    expect(held.length).toBeGreaterThan(0)
    expect(held.every((row) => row.setup)).toBe(true)
  })

  it('writes no notice for a wrong code', async () => {
    const who = await person()
    await setUpApp(who.agent)
    expect((await who.agent.post(`${PAGE}/app/turn-on`, { code: '000000' })).status).toBe(422)
    expect(await notices(who, 'two-step-on')).toEqual([])
    expect(await audited(who, 'two_step.factor_added')).toEqual([])
  })
})

describe('Add Passkey', () => {
  it('tells the person once, naming the passkey, and shows the codes with the first factor', async () => {
    const who = await person()
    const { credential } = await registration(who.agent)
    const added = await who.agent.post(`${PAGE}/passkeys`, { name: 'Phone', credential })
    expect(added.status).toBe(200)
    const html = await added.text()
    expect(codesIn(html)).toHaveLength(10)
    expect(html).toContain('aria-label="Remove Phone"')
    const [notice] = await notices(who, 'two-step-on')
    expect(notice).toMatchObject({ status: 'sent' })
    expect(JSON.parse(notice!.params)).toMatchObject({ factor: { kind: 'passkey', name: 'Phone' } })
    expect(await unusedCodes(who)).toBe(10)

    // A second passkey: no new codes, a notice of its own.
    const second = await registration(who.agent)
    const again = await who.agent.post(`${PAGE}/passkeys`, { name: 'Laptop', credential: second.credential })
    expect(again.status).toBe(303)
    expect(await notices(who, 'two-step-on')).toHaveLength(2)
    expect(await unusedCodes(who)).toBe(10)
  })

  it('of the same answer posted twice at once, one adds the passkey: one notice, one set of codes', async () => {
    const who = await person()
    const { credential } = await registration(who.agent)
    const answers = await Promise.all([1, 2].map(() => who.agent.post(`${PAGE}/passkeys`, { name: 'Phone', credential })))
    expect(answers.map((a) => a.status).sort()).toEqual([200, 422])
    expect(await t.db.select().from(passkeys).where(eq(passkeys.accountId, who.account.id))).toHaveLength(1)
    expect(await notices(who, 'two-step-on')).toHaveLength(1)
    expect(await unusedCodes(who)).toBe(10)
    expect(await audited(who, 'two_step.factor_added')).toHaveLength(1)
  })

  it('writes no notice for a passkey already registered (a fresh challenge, the same credential)', async () => {
    const who = await person()
    const first = await registration(who.agent)
    expect((await who.agent.post(`${PAGE}/passkeys`, { name: 'Phone', credential: first.credential })).status).toBe(200)
    const again = await registration(who.agent, first.authenticator)
    const answer = await who.agent.post(`${PAGE}/passkeys`, { name: 'Phone again', credential: again.credential })
    expect(answer.status).toBe(422)
    expect(await notices(who, 'two-step-on')).toHaveLength(1)
    expect(await audited(who, 'two_step.factor_added')).toHaveLength(1)
  })
})

describe('Remove', () => {
  const setPolicy = (who: Person, policy: 'off' | 'admins' | 'everyone') =>
    t.db.update(practices).set({ twoStepPolicy: policy }).where(eq(practices.id, who.account.practiceId))

  it('tells of the code used, then of the factor removed, each once', async () => {
    const who = await person()
    const { recoveryCodes: codes } = await turnOnApp(who)
    const { credential } = await registration(who.agent)
    expect((await who.agent.post(`${PAGE}/passkeys`, { name: 'Phone', credential })).status).toBe(303)

    const removed = await who.agent.post(`${PAGE}/remove/app`, { recoveryCode: codes[0]! })
    expect(removed.headers.get('Location')).toBe(`${PAGE}?removed`)
    const [used] = await notices(who, 'recovery-code-used')
    expect(used).toMatchObject({ status: 'sent' })
    expect(JSON.parse(used!.params)).toMatchObject({ remaining: 9 })
    const [off] = await notices(who, 'two-step-off')
    expect(off).toMatchObject({ status: 'sent' })
    // Read as the notice was written, before the app's DELETE: a passkey stays.
    expect(JSON.parse(off!.params)).toMatchObject({ factor: { kind: 'app' }, stillOn: true })

    const [key] = await t.db.select().from(passkeys).where(eq(passkeys.accountId, who.account.id))
    const last = await who.agent.post(`${PAGE}/remove/passkey/${key!.id}`, { recoveryCode: codes[1]! })
    expect(last.headers.get('Location')).toBe(`${PAGE}?removed`)
    const offs = await notices(who, 'two-step-off')
    expect(offs).toHaveLength(2)
    expect(offs.map((row) => JSON.parse(row.params))).toContainEqual(
      expect.objectContaining({ factor: { kind: 'passkey', name: 'Phone' }, stillOn: false }),
    )
    expect(await notices(who, 'recovery-code-used')).toHaveLength(2)
  })

  it('refused by the practice’s policy: no notice, no code spent, no failure counted', async () => {
    const who = await person()
    const { recoveryCodes: codes } = await turnOnApp(who)
    await setPolicy(who, 'admins')
    const refused = await who.agent.post(`${PAGE}/remove/app`, { recoveryCode: codes[0]! })
    expect(refused.status).toBe(409)
    expect(await notices(who, 'two-step-off')).toEqual([])
    expect(await notices(who, 'recovery-code-used')).toEqual([])
    expect(await unusedCodes(who)).toBe(10)
    // Refused before the factor is tried: a wrong code is not counted either.
    expect((await who.agent.post(`${PAGE}/remove/app`, { code: '000000' })).status).toBe(409)
    expect((await who.agent.post(`${PAGE}/remove/app`, {})).status).toBe(409)
    expect(await t.db.select().from(twoStepFailures).where(eq(twoStepFailures.accountId, who.account.id))).toEqual([])
    await setPolicy(who, 'off')
  })

  it('of two removals at once, one removes the factor: one removal notice, each spent code told', async () => {
    const who = await person()
    const { recoveryCodes: codes } = await turnOnApp(who)
    const { credential } = await registration(who.agent)
    expect((await who.agent.post(`${PAGE}/passkeys`, { name: 'Phone', credential })).status).toBe(303)
    const answers = await Promise.all(codes.slice(0, 2).map((code) => who.agent.post(`${PAGE}/remove/app`, { recoveryCode: code })))
    expect(answers.map((a) => a.status)).toEqual([303, 303])
    expect(await notices(who, 'two-step-off')).toHaveLength(1)
    expect(await audited(who, 'two_step.factor_removed')).toHaveLength(1)
    // Both codes were right and are spent, whatever the removal did: each is told.
    expect(await notices(who, 'recovery-code-used')).toHaveLength(2)
  })

  it('a passkey that is not the person’s: 404 before a factor is asked for, nothing spent or told', async () => {
    const owner = await person()
    await turnOnApp(owner)
    const { credential } = await registration(owner.agent)
    expect((await owner.agent.post(`${PAGE}/passkeys`, { name: 'Phone', credential })).status).toBe(303)
    const [key] = await t.db.select().from(passkeys).where(eq(passkeys.accountId, owner.account.id))

    const other = await person()
    const { recoveryCodes: codes } = await turnOnApp(other)
    expect((await other.agent.post(`${PAGE}/remove/passkey/${key!.id}`, { recoveryCode: codes[0]! })).status).toBe(404)
    expect((await other.agent.post(`${PAGE}/remove/passkey/${key!.id}`, {})).status).toBe(404)
    // A passkey's answer has no read to carry the check: it is read on its own, first.
    expect((await other.agent.post(`${PAGE}/remove/passkey/${key!.id}`, { passkeyResponse: '{}' })).status).toBe(404)
    expect(await unusedCodes(other)).toBe(10)
    expect(await notices(other, 'recovery-code-used')).toEqual([])
    expect(await notices(owner, 'two-step-off')).toEqual([])
    expect(await t.db.select().from(passkeys).where(eq(passkeys.id, key!.id))).toHaveLength(1)
  })
})

describe('New Recovery Codes', () => {
  it('with a recovery code: the code used is told once, and the page shows the new codes', async () => {
    const who = await person()
    const { recoveryCodes: codes } = await turnOnApp(who)
    const renewed = await who.agent.post(`${PAGE}/recovery-codes/new`, { recoveryCode: codes[0]! })
    expect(renewed.status).toBe(200)
    const fresh = codesIn(await renewed.text())
    expect(fresh).toHaveLength(10)
    expect(fresh).not.toContain(codes[1])
    expect(await unusedCodes(who)).toBe(10)
    const used = await notices(who, 'recovery-code-used')
    expect(used).toHaveLength(1)
    expect(used[0]).toMatchObject({ status: 'sent' })
  })

  it('with an app code used up in the same batch: of two posts of one code at once, one renews the codes', async () => {
    const who = await person()
    const { secret, recoveryCodes: old } = await turnOnApp(who)
    const code = generateTotpCode(secret, t.clock.now())
    const answers = await Promise.all([1, 2].map(() => who.agent.post(`${PAGE}/recovery-codes/new`, { code })))
    expect(answers.map((a) => a.status).sort()).toEqual([200, 422])
    const winner = answers.find((a) => a.status === 200)!
    const loser = answers.find((a) => a.status === 422)!
    const fresh = codesIn(await winner.text())
    expect(fresh).toHaveLength(10)
    // The refused one says so beside the field, as for a wrong code, and counts a failure.
    expect(await loser.text()).toContain('That code is not right, or was already used.')
    expect(await unusedCodes(who)).toBe(10)
    expect(await audited(who, 'two_step.recovery_codes_replaced')).toHaveLength(1)
    const failures = await t.db.select().from(twoStepFailures).where(eq(twoStepFailures.accountId, who.account.id))
    expect(failures.map((row) => [row.factor, row.failures])).toEqual([['totp', 1]])
    // The codes in place are the ones the winner showed: an old one is refused, a shown one works.
    t.clock.advance(30_000)
    expect((await who.agent.post(`${PAGE}/recovery-codes/new`, { recoveryCode: old[0]! })).status).toBe(422)
    expect((await who.agent.post(`${PAGE}/recovery-codes/new`, { recoveryCode: fresh[0]! })).status).toBe(200)
  })
})
