// Rule "recovery is not a weapon": the verify step answers a wrong code the same way whether or
// not the address has an account, and nothing another browser does (asking for codes, wrong
// tries) can stop the owner's browser from finishing its own reset.
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, auditEvents, emailOutbox } from '../../db/schema'
import { addKnownDevice } from '../../src/auth/devices'
import type { Agent } from '../support/agent'
import { createTestApp, type TestApp } from '../support/app'
import { HOUR, MINUTE } from '../support/clock'
import { addStaff, linkIn, pathOf, sendInvitation, STRONG_PASSWORD } from '../support/staff'
import { seedPractice, signIn, type PracticeWorld } from './support/world'

let t: TestApp
let a: PracticeWorld
let admin: Agent
const NEW_PASSWORD = 'Lantern meadow quartz 2031'

// Newest first, as the development outbox lists them.
const mailTo = (to: string) => t.devMailbox!.list().filter((m) => m.to === to)
const codeIn = (text: string) => /\b(\d{8})\b/.exec(text)![1]!

async function signedUp(email: string, firstName = 'Rowan', lastName = 'Ellery') {
  const id = await addStaff(admin, { firstName, lastName, email1: email })
  await sendInvitation(admin, id, email)
  const created = await t
    .agent()
    .post(pathOf(linkIn(mailTo(email)[0]!.text)), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })
  expect(created.status).toBe(303)
  return id
}

/** Send Code from a browser; an attacker's come from addresses of their own (`ip`). */
async function askCode(browser: Agent, email: string, ip?: string) {
  const response = await browser.post('/forgot-password', { email }, ip ? { 'X-Test-Client-IP': ip } : {})
  await t.settle()
  return response
}

const verify = (browser: Agent, email: string, code: string, password = NEW_PASSWORD, confirmPassword = password) =>
  browser.post('/forgot-password/verify', { email, code, password, confirmPassword })

/** The page with the address and the typed code masked, so two answers can be compared whole. */
const masked = async (response: Response, email: string, code: string) =>
  (await response.text()).replaceAll(email, '<email>').replaceAll(code, '<code>')

beforeAll(async () => {
  t = await createTestApp()
  a = await seedPractice(t, 'a')
  admin = await signIn(t, a.adminEmail)
}, 60_000)
afterAll(() => t.cleanup())

describe('the verify step tells nobody who has an account', () => {
  it('answers a wrong code with the same status and words for a known and an unknown address', async () => {
    await signedUp('known.verify@aldermere.test')
    const known = t.agent()
    const unknown = t.agent()
    await askCode(known, 'known.verify@aldermere.test')
    await askCode(unknown, 'nobody.verify@aldermere.test')
    const wrong = '11112222'
    for (let attempt = 1; attempt <= 6; attempt++) {
      const k = await verify(known, 'known.verify@aldermere.test', wrong)
      const u = await verify(unknown, 'nobody.verify@aldermere.test', wrong)
      expect(k.status).toBe(u.status)
      expect(await masked(k, 'known.verify@aldermere.test', wrong)).toBe(await masked(u, 'nobody.verify@aldermere.test', wrong))
    }
  })

  it('checks the strength of the new password only after the code matches, so a wrong code does not confirm a name', async () => {
    await signedUp('quill.verify@aldermere.test', 'Quillon', 'Varnavides')
    const known = t.agent()
    const unknown = t.agent()
    await askCode(known, 'quill.verify@aldermere.test')
    await askCode(unknown, 'quill.nobody@aldermere.test')
    // Long enough, and made of the person's own name: only someone who knows the name would try it.
    const nameOnly = 'QuillonVarnavides!Quillon'
    const k = await verify(known, 'quill.verify@aldermere.test', '33334444', nameOnly)
    const u = await verify(unknown, 'quill.nobody@aldermere.test', '33334444', nameOnly)
    expect(k.status).toBe(u.status)
    const knownText = await k.text()
    expect(knownText).not.toContain('your name')
    expect(knownText.replaceAll('quill.verify@aldermere.test', '<email>')).toBe(
      (await u.text()).replaceAll('quill.nobody@aldermere.test', '<email>'),
    )
    // With the right code, the same password is refused for being the person's name, and the
    // code and both passwords stay in the form.
    const code = codeIn(mailTo('quill.verify@aldermere.test')[0]!.text)
    const right = await verify(known, 'quill.verify@aldermere.test', code, nameOnly)
    expect(right.status).toBe(422)
    const page = await right.text()
    expect(page).toContain('name')
    expect(page).toContain(`value="${code}"`)
    // The refused password did not use up a try: the code still works.
    const done = await verify(known, 'quill.verify@aldermere.test', code)
    expect(done.status).toBe(303)
  })
})

describe('the verify step, every way it can answer, tells nothing either', () => {
  it('answers the same for an unknown address, a disabled account and a known one, through to "tried too many times"', async () => {
    const disabledId = await signedUp('disabled.verify@aldermere.test', 'Wilhelmina', 'Drachenfels')
    expect((await admin.post(`/staff/${disabledId}/portal/access`, { action: 'disable', confirm: 'yes' })).status).toBe(200)
    await signedUp('enabled.verify@aldermere.test', 'Wilhelmina', 'Rosencrantz')
    const addresses = ['enabled.verify@aldermere.test', 'disabled.verify@aldermere.test', 'ghost.verify@aldermere.test']
    const browsers = addresses.map(() => t.agent())
    const asked = await Promise.all(addresses.map((email, i) => askCode(browsers[i]!, email, `198.51.104.${i}`)))
    expect(new Set(asked.map((r) => r.status))).toEqual(new Set([303]))
    const wrong = '55556666'
    // The tries, then past them, then a password refused before any code is looked at.
    for (let attempt = 1; attempt <= 6; attempt++) {
      const answers = await Promise.all(addresses.map((email, i) => verify(browsers[i]!, email, wrong)))
      const pages = await Promise.all(answers.map((r, i) => masked(r, addresses[i]!, wrong)))
      expect(new Set(answers.map((r) => r.status)).size).toBe(1)
      expect(new Set(pages).size).toBe(1)
    }
    const short = await Promise.all(addresses.map((email, i) => verify(browsers[i]!, email, wrong, 'short', 'shorter')))
    expect(new Set(await Promise.all(short.map((r, i) => masked(r, addresses[i]!, wrong)))).size).toBe(1)
  })
})

describe('recovery cannot be used against its owner', () => {
  it("another browser's wrong codes do not use up the owner's code", async () => {
    await signedUp('victim.tries@aldermere.test')
    const owner = t.agent()
    await askCode(owner, 'victim.tries@aldermere.test')
    const code = codeIn(mailTo('victim.tries@aldermere.test')[0]!.text)
    const attacker = t.agent()
    await askCode(attacker, 'victim.tries@aldermere.test')
    for (let i = 0; i < 10; i++) await verify(attacker, 'victim.tries@aldermere.test', String(10_000_000 + i))
    // A browser that never asked for a code guesses too.
    for (let i = 0; i < 10; i++) await verify(t.agent(), 'victim.tries@aldermere.test', String(20_000_000 + i))
    const done = await verify(owner, 'victim.tries@aldermere.test', code)
    expect(done.status).toBe(303)
    expect((await t.agent().post('/login', { email: 'victim.tries@aldermere.test', password: NEW_PASSWORD })).status).toBe(303)
  })

  it("another browser asking for codes neither voids the owner's code nor makes the owner's request answer 429", async () => {
    await signedUp('victim.flood@aldermere.test')
    const owner = t.agent()
    expect((await askCode(owner, 'victim.flood@aldermere.test')).status).toBe(303)
    const code = codeIn(mailTo('victim.flood@aldermere.test')[0]!.text)
    const attacker = t.agent()
    for (let i = 0; i < 12; i++) {
      await askCode(attacker, 'victim.flood@aldermere.test', '198.51.100.1')
      t.clock.advance(20_000)
    }
    // Fresh browsers too, one request each (an attacker can always drop its cookie), from
    // as many addresses (the per-IP limit cannot be what saves the owner).
    for (let i = 0; i < 15; i++) await askCode(t.agent(), 'victim.flood@aldermere.test', `198.51.101.${i}`)
    // The owner's code still works in the owner's browser.
    expect((await verify(owner, 'victim.flood@aldermere.test', code)).status).toBe(303)
    // And a browser of the owner's that has not asked yet is not refused either.
    expect((await askCode(t.agent(), 'victim.flood@aldermere.test')).status).toBe(303)
  })

  it('bounds the mail one address receives, whoever asks', async () => {
    await signedUp('victim.mail@aldermere.test')
    for (let i = 0; i < 60; i++) await askCode(t.agent(), 'victim.mail@aldermere.test', `198.51.102.${i}`)
    const codes = await t.db.select().from(emailOutbox).where(eq(emailOutbox.recipient, 'victim.mail@aldermere.test'))
    // Invitation email plus at most 10 codes an hour.
    expect(codes.filter((row) => row.template === 'reset-code').length).toBeLessThanOrEqual(10)
  })

  it("the owner's known browser still gets its code and finishes while the address is flooded", async () => {
    await signedUp('victim.device@aldermere.test')
    // The owner logged in here before: this browser holds a device cookie for the account.
    const owner = t.agent()
    expect((await owner.post('/login', { email: 'victim.device@aldermere.test', password: STRONG_PASSWORD })).status).toBe(303)
    await owner.post('/logout')
    // The entry a login leaves (src/auth/devices.ts), added here too so this test needs only the
    // device module and not the login's own use of it.
    const [me] = await t.db.select().from(accounts).where(eq(accounts.email, 'victim.device@aldermere.test'))
    owner.cookies.set(
      '__Host-device',
      addKnownDevice(t.config.DEVICE_COOKIE_SECRET, owner.cookies.get('__Host-device'), me!.id, t.clock.now()),
    )
    for (let i = 0; i < 60; i++) await askCode(t.agent(), 'victim.device@aldermere.test', `198.51.103.${i}`)
    const before = mailTo('victim.device@aldermere.test').length
    expect((await askCode(owner, 'victim.device@aldermere.test')).status).toBe(303)
    const mails = mailTo('victim.device@aldermere.test')
    expect(mails.length).toBe(before + 1)
    const done = await verify(owner, 'victim.device@aldermere.test', codeIn(mails[0]!.text))
    expect(done.status).toBe(303)
    const [account] = await t.db.select().from(accounts).where(eq(accounts.email, 'victim.device@aldermere.test'))
    expect(account).toBeDefined()
  })
})

describe('denial of service: a flood of requests for one address', () => {
  it('caps the code emails at 30 a day, limits each browser and each IP, and never stops the owner', async () => {
    await signedUp('victim.day@aldermere.test')
    const codeMails = async () =>
      (await t.db.select().from(emailOutbox).where(eq(emailOutbox.recipient, 'victim.day@aldermere.test'))).filter(
        (row) => row.template === 'reset-code',
      ).length
    // One attacker browser, one IP: its fourth request in a minute is refused, to it alone.
    const attacker = t.agent()
    for (let i = 0; i < 3; i++) expect((await askCode(attacker, 'victim.day@aldermere.test', '198.51.105.1')).status).toBe(303)
    expect((await askCode(attacker, 'victim.day@aldermere.test', '198.51.105.1')).status).toBe(429)
    // The same IP spraying other addresses: 30 an hour, then 429 from that IP only.
    let fromOneIp = 3
    for (let i = 0; i < 40; i++) if ((await askCode(t.agent(), `spray${i}@aldermere.test`, '198.51.105.1')).status === 303) fromOneIp++
    expect(fromOneIp).toBe(30)
    expect((await askCode(t.agent(), 'victim.day@aldermere.test', '198.51.105.2')).status).toBe(303)
    // A botnet, fresh browser and IP each time, for a whole day: the mail stays bounded.
    for (let hour = 0; hour < 24; hour++) {
      for (let i = 0; i < 12; i++) await askCode(t.agent(), 'victim.day@aldermere.test', `198.51.${106 + hour}.${i}`)
      t.clock.advance(HOUR)
    }
    expect(await codeMails()).toBeLessThanOrEqual(30)
    // The owner's own browser is never refused because of others: past the cap it is answered as
    // always (its mail waits for the cap, unless it is a known device: tested above), and the
    // request that sent nothing is on the record.
    const owner = t.agent()
    expect((await askCode(owner, 'victim.day@aldermere.test', '203.0.113.50')).status).toBe(303)
    const noMail = await t.db.select().from(auditEvents).where(eq(auditEvents.event, 'reset.code_requested'))
    expect(noMail.some((row) => row.detail.startsWith('no email: too many codes'))).toBe(true)
    for (let i = 0; i < 20; i++) await askCode(t.agent(), 'victim.day@aldermere.test', `198.51.140.${i}`)
    t.clock.advance(MINUTE)
    expect((await askCode(owner, 'victim.day@aldermere.test', '203.0.113.50')).status).toBe(303)
  })
})
