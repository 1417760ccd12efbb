// Recovery rules of DESIGN.md pinned at their edges: disabled access, the admin's reset links on
// the record, the reset-link trap, the account emails, and the boundaries a mutation run found
// untested (password length in characters, the strength score, the idle limit, the outbox row).
import { and, desc, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, auditEvents, emailOutbox, loginFailures, passwordResetLinks, staff } from '../db/schema'
import { checkNewPassword, MIN_SCORE, passwordScore } from '../src/auth/password-policy'
import { generateId } from '../src/ids'
import type { Agent } from './support/agent'
import { createTestApp, type TestApp } from './support/app'
import { MINUTE } from './support/clock'
import { addStaff } from './support/staff'
import {
  generateResetLinkFor,
  seedPractice,
  signIn,
  strongPasswordHash,
  tomorrowFor,
  type PracticeWorld,
} from './adversarial/support/world'

let t: TestApp
let a: PracticeWorld
let admin: Agent
const NEW_PASSWORD = 'Lantern meadow quartz 2031'
const NOT_YOU = 'If you did not ask for this, ignore this email; your password has not changed.'

const mailTo = (to: string) => t.devMailbox!.list().filter((m) => m.to === to)
const codeIn = (text: string) => /verification code is (\d{8})\b/.exec(text)![1]!
let nextIp = 1
/** Each browser of these tests asks from an address of its own, below the per-IP limit. */
const ask = async (browser: Agent, email: string) => {
  const response = await browser.post('/forgot-password', { email }, { 'X-Test-Client-IP': `192.0.2.${nextIp++}` })
  await t.settle()
  return response
}
const verify = (browser: Agent, email: string, code: string, password = NEW_PASSWORD, confirmPassword = password) =>
  browser.post('/forgot-password/verify', { email, code, password, confirmPassword })
const portal = (staffId: string) => `/staff/${staffId}/portal`
const access = (staffId: string, action: string) => admin.post(`${portal(staffId)}/access`, { action, confirm: 'yes' })

/** A staff member of practice A with a portal account (password STRONG_PASSWORD). */
async function member(firstName: string, email: string, role: 'staff' | 'admin' = 'staff') {
  const id = await addStaff(admin, { firstName, lastName: 'Ostrander', email1: email })
  if (role === 'admin') await t.db.update(staff).set({ role }).where(eq(staff.id, id))
  const accountId = generateId()
  const now = t.clock.now()
  await t.db.insert(accounts).values({
    id: accountId,
    practiceId: a.practiceId,
    staffId: id,
    email,
    passwordHash: await strongPasswordHash(),
    passwordChangedAt: now,
    createdAt: now,
  })
  return { id, accountId, email }
}

const auditOf = async (event: string, staffId: string) =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.event, event), eq(auditEvents.targetStaffId, staffId)))
    .orderBy(desc(auditEvents.createdAt))

beforeAll(async () => {
  t = await createTestApp()
  a = await seedPractice(t, 'a')
  admin = await signIn(t, a.adminEmail)
}, 60_000)
afterAll(() => t.cleanup())

describe('the verify form keeps what was typed and says everything at once', () => {
  it('lists every problem together, each beside its field, with the passwords kept', async () => {
    const m = await member('Rosalind', 'rosalind@aldermere.test')
    const browser = t.agent()
    await ask(browser, m.email)
    const response = await verify(browser, m.email, '12ab', 'password1', 'password2')
    expect(response.status).toBe(422)
    const html = await response.text()
    expect(html).toMatch(/id="field-code-error">Enter the 8-digit code from the email\./)
    expect(html).toMatch(/id="field-password-error">Use at least 15 characters \(this has 9\)\./)
    expect(html).toMatch(/id="field-confirmPassword-error">The two passwords do not match\./)
    expect(html).toContain('value="password1"')
    expect(html).toContain('value="password2"')
    expect(html).toContain('data-counts="field-password"')
  })

  it('keeps both passwords when only the code is wrong', async () => {
    const m = await member('Saoirse', 'saoirse@aldermere.test')
    const browser = t.agent()
    await ask(browser, m.email)
    const code = codeIn(mailTo(m.email)[0]!.text)
    const wrong = code === '00000000' ? '11111111' : '00000000'
    const html = await (await verify(browser, m.email, wrong)).text()
    expect(html).toContain('That code is not right. 4 tries left.')
    expect(html.split(`value="${NEW_PASSWORD}"`)).toHaveLength(3)
    // A security event on the practice's record, naming whose code was guessed at.
    const [event] = await auditOf('reset.code_wrong', m.id)
    expect(event!.detail).toBe('4 tries left')
  })
})

describe('disabled portal access', () => {
  it('sends no code to a disabled account, and answers as it answers anyone', async () => {
    const m = await member('Dorcas', 'dorcas@aldermere.test')
    expect((await access(m.id, 'disable')).status).toBe(200)
    const before = mailTo(m.email).length
    const response = await ask(t.agent(), m.email)
    expect(response.status).toBe(303)
    expect(response.headers.get('Location')).toBe(`/forgot-password/verify?email=${encodeURIComponent(m.email)}`)
    expect(mailTo(m.email).length).toBe(before)
    const [requested] = await auditOf('reset.code_requested', m.id)
    expect(requested!.detail).toBe('no email: portal access is disabled')
  })

  it('kills live codes and reset links at the moment of disabling; enabling again does not revive them', async () => {
    const m = await member('Evander', 'evander@aldermere.test')
    const browser = t.agent()
    await ask(browser, m.email)
    const code = codeIn(mailTo(m.email)[0]!.text)
    const token = await generateResetLinkFor(t, admin, m.id)
    expect((await t.agent().get(`/reset/${token}`)).status).toBe(200)
    await access(m.id, 'disable')
    const refused = await verify(browser, m.email, code)
    expect(refused.status).toBe(422)
    expect(await refused.text()).toContain('This code has expired, was used, or was tried too many times.')
    const dead = await t.agent().get(`/reset/${token}`)
    expect(dead.status).toBe(410)
    expect(await dead.text()).toContain('This reset link was revoked')
    await access(m.id, 'enable')
    expect((await verify(browser, m.email, code)).status).toBe(422)
    expect((await t.agent().get(`/reset/${token}`)).status).toBe(410)
    expect((await t.agent().post('/login', { email: m.email, password: NEW_PASSWORD })).status).toBe(401)
  })

  it('refuses Generate Link with a message beside the field', async () => {
    const m = await member('Fenella', 'fenella@aldermere.test')
    await access(m.id, 'disable')
    const response = await admin.post(`${portal(m.id)}/reset-links`, { expirationDate: tomorrowFor(t) }, { 'HX-Request': 'true' })
    expect(response.status).toBe(422)
    expect(await response.text()).toMatch(
      /id="field-expirationDate-error">Portal access is disabled for this person\. Enable it before generating a reset link\./,
    )
    expect(await t.db.select().from(passwordResetLinks).where(eq(passwordResetLinks.accountId, m.accountId))).toHaveLength(0)
  })

  it('leaves the login failure count alone: no reset of a disabled account clears it', async () => {
    const m = await member('Gideon', 'gideon@aldermere.test')
    for (let i = 0; i < 6; i++) await t.agent().post('/login', { email: m.email, password: 'Not the password at all 1' })
    const failures = async () => JSON.stringify(await t.db.select().from(loginFailures))
    const browser = t.agent()
    await ask(browser, m.email)
    const code = codeIn(mailTo(m.email)[0]!.text)
    const token = await generateResetLinkFor(t, admin, m.id)
    await access(m.id, 'disable')
    const counted = await failures()
    expect(counted).not.toBe('[]')
    await verify(browser, m.email, code)
    await t.agent().post(`/reset/${token}`, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })
    expect(await failures()).toBe(counted)
  })
})

describe("the admin's reset links, on the record", () => {
  it('audits the link as made by the admin for the person, and its use as done by the person with the admin named', async () => {
    const m = await member('Hesper', 'hesper@aldermere.test')
    const token = await generateResetLinkFor(t, admin, m.id)
    const [generated] = await auditOf('reset.link_generated', m.id)
    expect(generated!.actorAccountId).toBe(a.adminAccountId)
    expect(generated!.detail).not.toContain('another admin')
    const done = await t.agent().post(`/reset/${token}`, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })
    expect(done.status).toBe(303)
    const [reset] = await auditOf('password.reset', m.id)
    expect(reset!.actorAccountId).toBe(m.accountId)
    const [adminStaff] = await t.db.select().from(staff).where(eq(staff.id, a.adminStaffId))
    expect(reset!.detail).toContain(`link generated by ${adminStaff!.firstName} ${adminStaff!.lastName}`)
  })

  it('emails the account holder whenever an admin creates a link for them, without the link', async () => {
    const m = await member('Isolde', 'isolde@aldermere.test')
    const token = await generateResetLinkFor(t, admin, m.id)
    const rows = await t.db.select().from(emailOutbox).where(eq(emailOutbox.recipient, m.email))
    expect(rows.map((row) => row.template)).toContain('reset-link-notice')
    const [notice] = mailTo(m.email)
    expect(notice!.text).toContain(`An admin of ${a.name} created a password reset link for your account`)
    expect(notice!.text).toContain(NOT_YOU)
    expect(notice!.text + notice!.html).not.toContain(token.split('.')[1]!)
  })

  it("allows a link for another admin's account and audits it as such", async () => {
    const other = await member('Jessamy', 'jessamy@aldermere.test', 'admin')
    await generateResetLinkFor(t, admin, other.id)
    const [generated] = await auditOf('reset.link_generated', other.id)
    expect(generated!.actorAccountId).toBe(a.adminAccountId)
    expect(generated!.detail).toContain('for another admin')
  })
})

describe('the reset-link trap: Generate Link asks before replacing a live link', () => {
  const generate = (staffId: string, form: Record<string, string> = {}) =>
    admin.post(`${portal(staffId)}/reset-links`, { expirationDate: tomorrowFor(t), ...form })

  it('says when the live link was made and that it was not emailed, and changes nothing until confirmed', async () => {
    const m = await member('Kestrel', 'kestrel@aldermere.test')
    const first = await generateResetLinkFor(t, admin, m.id)
    const asked = await generate(m.id)
    expect(asked.status).toBe(200)
    const html = await asked.text()
    expect(html).toContain('Replace the reset link that still works?')
    expect(html).toMatch(/A reset link made [^<]+ works through/)
    expect(html).toContain('It was not emailed.')
    expect(html).toContain('name="replace" value="yes"')
    expect(html).toContain('>Generate Link</button>')
    expect(html).not.toContain('id="field-resetLink"')
    expect(await t.db.select().from(passwordResetLinks).where(eq(passwordResetLinks.accountId, m.accountId))).toHaveLength(1)
    expect((await t.agent().get(`/reset/${first}`)).status).toBe(200)
    // Confirmed: a new link, and the old one is replaced.
    const confirmed = await generate(m.id, { replace: 'yes' })
    expect(await confirmed.text()).toContain('id="field-resetLink"')
    expect((await t.agent().get(`/reset/${first}`)).status).toBe(410)
  })

  it('says where the live link was emailed', async () => {
    const m = await member('Lucasta', 'lucasta@aldermere.test')
    const token = await generateResetLinkFor(t, admin, m.id)
    expect((await admin.post(`${portal(m.id)}/reset-links/email`, { token })).status).toBe(200)
    expect(await (await generate(m.id)).text()).toContain(`It was emailed to ${m.email}.`)
  })
})

describe('account emails', () => {
  it('puts the code first in the subject and says what to do if it was not you, with the practice name', async () => {
    const m = await member('Merritt', 'merritt@aldermere.test')
    await ask(t.agent(), m.email)
    const [mail] = mailTo(m.email)
    const code = codeIn(mail!.text)
    expect(mail!.subject).toBe(`${code} is your ${a.name} verification code`)
    expect(mail!.text).toContain(NOT_YOU)
    expect(mail!.text).toContain(a.name)
    expect(mail!.html).toContain(NOT_YOU)
  })

  it('says the same in the reset link email', async () => {
    const m = await member('Nerissa', 'nerissa@aldermere.test')
    const token = await generateResetLinkFor(t, admin, m.id)
    await admin.post(`${portal(m.id)}/reset-links/email`, { token })
    const [mail] = mailTo(m.email)
    expect(mail!.text).toContain(token)
    expect(mail!.text).toContain(NOT_YOU)
    expect(mail!.text).toContain(a.name)
  })
})

describe('boundaries', () => {
  it('counts a password in characters: 14 are refused, 14 emoji too (28 UTF-16 units)', async () => {
    const m = await member('Orsolya', 'orsolya@aldermere.test')
    const browser = t.agent()
    await ask(browser, m.email)
    const code = codeIn(mailTo(m.email)[0]!.text)
    for (const short of ['abcdefghijklmn', '🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊']) {
      const response = await verify(browser, m.email, code, short)
      expect(response.status).toBe(422)
      expect(await response.text()).toContain('Use at least 15 characters (this has 14).')
    }
    const fifteen = await verify(browser, m.email, code, '🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊')
    expect(await fifteen.text()).not.toContain('Use at least 15 characters')
    expect(await checkNewPassword('🦊'.repeat(14), [])).toEqual({
      ok: false,
      message: 'Use at least 15 characters (this has 14).',
      problem: { kind: 'too-short', min: 15, length: 14 },
    })
  })

  it('refuses a password zxcvbn scores one below the minimum and accepts one at the minimum', async () => {
    expect(await passwordScore('helloworld12345', [])).toBe(MIN_SCORE - 1)
    expect((await checkNewPassword('helloworld12345', [])).ok).toBe(false)
    expect(await passwordScore('mountainriver12', [])).toBe(MIN_SCORE)
    expect((await checkNewPassword('mountainriver12', [])).ok).toBe(true)
  })

  it('ends a session idle for exactly 30:00, and keeps one idle for 29:59', async () => {
    const m = await member('Peregrine', 'peregrine@aldermere.test')
    const early = await signIn(t, m.email)
    const late = await signIn(t, m.email)
    t.clock.advance(30 * MINUTE - 1000)
    expect((await early.get('/portal')).status).toBe(200)
    t.clock.advance(1000)
    expect((await late.get('/portal')).status).toBe(303)
    await t.settle()
    admin = await signIn(t, a.adminEmail)
  })

  it('writes the outbox row of a Send Code: template, recipient, and no code in it', async () => {
    const m = await member('Quillan', 'quillan@aldermere.test')
    await ask(t.agent(), m.email)
    const code = codeIn(mailTo(m.email)[0]!.text)
    const rows = await t.db
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.recipient, m.email), eq(emailOutbox.template, 'reset-code')))
    expect(rows).toHaveLength(1)
    expect(JSON.stringify(rows)).not.toContain(code)
  })
})
