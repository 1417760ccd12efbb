import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, auditEvents, emailOutbox, loginEmailChanges, passwordResetCodes, passwordResetLinks, sessions } from '../db/schema'
import type { Agent } from './support/agent'
import { addTwoPractices, createTestApp, logIn, logInBothAdmins, type TestApp } from './support/app'
import { DAY, MINUTE } from './support/clock'
import { addStaff, linkIn, pathOf, sendInvitation, staffForm, STRONG_PASSWORD } from './support/staff'

// Issue 12 item 6: a signed-up person's login email changes only through a link sent to the new
// address; editing the profile's addresses never changes it.

let t: TestApp
let admin: Agent
let otherAdmin: Agent

beforeAll(async () => {
  t = await createTestApp({ APP_URL: 'http://127.0.0.1:8787' })
  await addTwoPractices(t)
  ;({ admin, otherAdmin } = await logInBothAdmins(t))
})
afterAll(() => t.cleanup())

const mailTo = (to: string) => t.devMailbox!.list().filter((m) => m.to === to)
const verificationLink = (to: string) => {
  const match = /https?:\/\/\S+\/login-email\/[a-z2-7]{16}\.[a-z2-7]{39}/.exec(mailTo(to)[0]!.text)
  if (!match) throw new Error(`no verification link in the mail to ${to}`)
  return match[0]
}
const accountOf = async (staffId: string) => (await t.db.select().from(accounts).where(eq(accounts.staffId, staffId)))[0]!
const auditsOf = (staffId: string, event: string) =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetStaffId, staffId), eq(auditEvents.event, event)))

/** A staff member with an account, made through the real invitation flow. */
async function signedUpStaff(email: string, firstName = 'Rowan') {
  const id = await addStaff(admin, { firstName, lastName: 'Ellery', email1: email })
  await sendInvitation(admin, id, email)
  const created = await t
    .agent()
    .post(pathOf(linkIn(mailTo(email)[0]!.text)), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })
  expect(created.status).toBe(303)
  return id
}

const requestChange = (agent: Agent, staffId: string, newEmail: string, htmx = true) =>
  agent.post(`/staff/${staffId}/portal/login-email`, { newEmail }, htmx ? { 'HX-Request': 'true' } : {})
const confirm = (link: string, agent = t.agent()) => agent.post(pathOf(link))

describe('the Staff Portal tab of a signed-up person', () => {
  it('shows the login email and the Change Login Email form', async () => {
    const id = await signedUpStaff('shown@harbor.test', 'Shona')
    const tab = await (await admin.get(`/staff/${id}/portal`)).text()
    expect(tab).toMatch(/Login email<\/dt>\s*<dd>shown@harbor.test/)
    expect(tab).toContain('Change Login Email')
    expect(tab).toMatch(/<label for="field-newEmail">New Login Email<\/label>/)
    expect(tab).toContain('>Send Verification</button>')
  })

  it('never changes the login email when the profile addresses are edited, and says the login stays', async () => {
    const id = await signedUpStaff('kept@harbor.test', 'Kemal')
    const saved = await admin.post(`/staff/${id}`, staffForm({ firstName: 'Kemal', lastName: 'Ellery', email1: 'kemal@harbor.test' }))
    expect(saved.status).toBe(303)
    expect((await accountOf(id)).email).toBe('kept@harbor.test')
    expect((await logIn(t, 'kept@harbor.test', STRONG_PASSWORD)) instanceof Object).toBe(true)
    const tab = await (await admin.get(`/staff/${id}/portal`)).text()
    expect(tab).toMatch(/Login email<\/dt>\s*<dd>kept@harbor.test/)
    expect(tab).toContain('This login email is no longer among the addresses on file. They still log in with it.')
    expect(tab).toContain('To change it, use Change Login Email.')
  })
})

describe('Change Login Email', () => {
  it('sends a verification link to the new address through the outbox and changes nothing yet', async () => {
    const id = await signedUpStaff('before@harbor.test', 'Bea')
    const response = await requestChange(admin, id, 'After@Harbor.test ')
    expect(response.status).toBe(200)
    const panel = await response.text()
    expect(panel).not.toContain('<html')
    expect(panel).toContain('A verification link was sent to after@harbor.test.')
    expect((await accountOf(id)).email).toBe('before@harbor.test')

    const link = verificationLink('after@harbor.test')
    expect(link.startsWith('http://127.0.0.1:8787/login-email/')).toBe(true)
    const [outbox] = await t.db.select().from(emailOutbox).where(eq(emailOutbox.template, 'login-email-verify'))
    expect(outbox).toMatchObject({ recipient: 'after@harbor.test', status: 'sent' })
    const secret = link.split('.').pop()!
    const [row] = await t.db.select().from(loginEmailChanges).where(eq(loginEmailChanges.newEmail, 'after@harbor.test'))
    expect(row!.secretHash).toMatch(/^[0-9a-f]{64}$/)
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(DAY)
    const everything = JSON.stringify([
      await t.db.select().from(loginEmailChanges),
      await t.db.select().from(emailOutbox),
      await t.db.select().from(auditEvents),
    ])
    expect(everything).not.toContain(secret)
    const [audit] = await auditsOf(id, 'account.email_change_requested')
    expect(audit).toMatchObject({ detail: 'to after@harbor.test' })
    const tab = await (await admin.get(`/staff/${id}/portal`)).text()
    expect(tab).toMatch(/A verification link was sent to <strong>after@harbor.test<\/strong> on Nov 26, 2026/)
  })

  it('works without JavaScript: a plain post answers with the whole tab', async () => {
    const id = await signedUpStaff('plainjs@harbor.test', 'Pia')
    const response = await requestChange(admin, id, 'plainjs.new@harbor.test', false)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('<html')
    expect(html).toContain('A verification link was sent to plainjs.new@harbor.test.')
  })

  it('keeps a malformed address beside the field with a message', async () => {
    const id = await signedUpStaff('typo@harbor.test', 'Tye')
    const response = await requestChange(admin, id, 'not an address')
    expect(response.status).toBe(422)
    const panel = await response.text()
    expect(panel).toContain('Enter an email address like name@example.com.')
    expect(panel).toContain('value="not an address"')
    expect(await t.db.select().from(loginEmailChanges).where(eq(loginEmailChanges.newEmail, 'not an address'))).toHaveLength(0)
  })

  it('refuses an address with a login in this practice or another with the same neutral words', async () => {
    const id = await signedUpStaff('neutral@harbor.test', 'Nell')
    await signedUpStaff('taken@harbor.test', 'Tam')
    const own = await requestChange(admin, id, 'taken@harbor.test')
    const other = await requestChange(admin, id, 'admin@summit.test')
    expect(own.status).toBe(422)
    expect(other.status).toBe(422)
    const [ownText, otherText] = [await own.text(), await other.text()]
    expect(ownText).toContain('This address cannot be used for a login')
    expect(otherText.replaceAll('admin@summit.test', 'X')).toBe(ownText.replaceAll('taken@harbor.test', 'X'))
    expect(otherText).not.toContain('Summit')
    expect(mailTo('admin@summit.test').some((m) => m.text.includes('/login-email/'))).toBe(false)
    expect(await t.db.select().from(loginEmailChanges).where(eq(loginEmailChanges.newEmail, 'admin@summit.test'))).toHaveLength(0)
  })

  it('is refused for a person without an account', async () => {
    const id = await addStaff(admin, { firstName: 'Nobody', email1: 'noaccount@harbor.test' })
    const response = await requestChange(admin, id, 'noaccount.new@harbor.test')
    expect(response.status).toBe(422)
    expect(await response.text()).toContain('This staff member has no portal account.')
  })

  it("answers 404 for another practice's staff id and sends nothing", async () => {
    const id = await signedUpStaff('walled@harbor.test', 'Wren')
    const response = await requestChange(otherAdmin, id, 'stolen@summit.test')
    expect(response.status).toBe(404)
    expect(mailTo('stolen@summit.test')).toHaveLength(0)
    expect(await t.db.select().from(loginEmailChanges).where(eq(loginEmailChanges.newEmail, 'stolen@summit.test'))).toHaveLength(0)
  })
})

describe('the verification link', () => {
  it('opens a confirmation page and changes nothing on GET', async () => {
    const id = await signedUpStaff('getter@harbor.test', 'Gus')
    await requestChange(admin, id, 'getter.new@harbor.test')
    const link = verificationLink('getter.new@harbor.test')
    for (let i = 0; i < 3; i++) {
      const page = await t.agent().get(pathOf(link))
      expect(page.status).toBe(200)
      const html = await page.text()
      expect(html).toContain('getter.new@harbor.test')
      expect(html).toContain('>Confirm Login Email</button>')
    }
    expect((await accountOf(id)).email).toBe('getter@harbor.test')
    const [row] = await t.db.select().from(loginEmailChanges).where(eq(loginEmailChanges.newEmail, 'getter.new@harbor.test'))
    expect(row!.usedAt).toBeNull()
  })

  it("its POST changes the login, tells the old address, kills reset links and codes and ends the account's sessions, audited", async () => {
    const id = await signedUpStaff('old@harbor.test', 'Olga')
    const { id: accountId } = await accountOf(id)
    const staffSession = await logIn(t, 'old@harbor.test', STRONG_PASSWORD)
    expect(await t.db.select().from(sessions).where(eq(sessions.accountId, accountId))).toHaveLength(1)
    // A pending reset link from the admin, and a pending code the person asked for.
    const generated = await admin.post(`/staff/${id}/portal/reset-links`, { expirationDate: '2026-11-28' })
    expect(generated.status).toBe(200)
    await t.agent().post('/forgot-password', { email: 'old@harbor.test' })
    await t.settle()
    expect(await t.db.select().from(passwordResetCodes).where(eq(passwordResetCodes.accountId, accountId))).toHaveLength(1)

    await requestChange(admin, id, 'new@harbor.test')
    const response = await confirm(verificationLink('new@harbor.test'))
    expect(response.status).toBe(303)
    expect(response.headers.get('Location')).toBe('/login?login_email_changed&email=new%40harbor.test')

    expect((await accountOf(id)).email).toBe('new@harbor.test')
    await t.settle() // the notice goes out after the response
    const notice = mailTo('old@harbor.test')[0]!
    expect(notice.subject).toBe('Your Harbor Therapy Group Staff Portal login email was changed')
    expect(notice.text).toContain('now new@harbor.test')
    expect(await t.db.select().from(sessions).where(eq(sessions.accountId, accountId))).toHaveLength(0)
    expect((await staffSession.get('/portal')).status).toBe(303)
    const [link] = await t.db.select().from(passwordResetLinks).where(eq(passwordResetLinks.accountId, accountId))
    expect(link!.usedAt ?? link!.revokedAt ?? link!.replacedAt).not.toBeNull()
    const [code] = await t.db.select().from(passwordResetCodes).where(eq(passwordResetCodes.accountId, accountId))
    expect(code!.voidedAt).not.toBeNull()
    const [audit] = await auditsOf(id, 'account.email_changed')
    expect(audit).toMatchObject({ detail: 'from old@harbor.test to new@harbor.test', actorAccountId: accountId })

    const page = await (await t.agent().get('/login?login_email_changed&email=new%40harbor.test')).text()
    expect(page).toContain('Your login email was changed. Log in with your new email address.')
    expect((await t.agent().post('/login', { email: 'new@harbor.test', password: STRONG_PASSWORD })).status).toBe(303)
    expect((await t.agent().post('/login', { email: 'old@harbor.test', password: STRONG_PASSWORD })).status).not.toBe(303)
  })

  it('works once, even under two posts at the same moment', async () => {
    const id = await signedUpStaff('race@harbor.test', 'Rae')
    await requestChange(admin, id, 'race.new@harbor.test')
    const link = verificationLink('race.new@harbor.test')
    const answers = await Promise.all([confirm(link), confirm(link)])
    expect(answers.map((r) => r.status).sort()).toEqual([303, 410])
    expect(await auditsOf(id, 'account.email_changed')).toHaveLength(1)
    await t.settle() // the notice goes out after the response
    expect(mailTo('race@harbor.test').filter((m) => m.subject.includes('login email was changed'))).toHaveLength(1)
    const again = await confirm(link)
    expect(again.status).toBe(410)
    expect(await again.text()).toContain('This link was already used')
  })

  it('a new request voids the older link', async () => {
    const id = await signedUpStaff('twice@harbor.test', 'Tova')
    await requestChange(admin, id, 'first.try@harbor.test')
    const first = verificationLink('first.try@harbor.test')
    await requestChange(admin, id, 'second.try@harbor.test')
    const opened = await t.agent().get(pathOf(first))
    expect(opened.status).toBe(410)
    expect((await confirm(first)).status).toBe(410)
    expect((await accountOf(id)).email).toBe('twice@harbor.test')
    expect((await confirm(verificationLink('second.try@harbor.test'))).status).toBe(303)
    expect((await accountOf(id)).email).toBe('second.try@harbor.test')
  })

  it('expires after 24 hours', async () => {
    const id = await signedUpStaff('late@harbor.test', 'Lars')
    await requestChange(admin, id, 'late.new@harbor.test')
    const link = verificationLink('late.new@harbor.test')
    t.clock.advance(DAY - MINUTE)
    expect((await t.agent().get(pathOf(link))).status).toBe(200)
    t.clock.advance(MINUTE)
    const response = await confirm(link)
    expect(response.status).toBe(410)
    expect(await response.text()).toContain('This link has expired')
    expect((await accountOf(id)).email).toBe('late@harbor.test')
    // A tampered secret is not a link at all.
    expect(await t.agent().get(pathOf(link).replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')))).toMatchObject({ status: 404 })
    // The admins' sessions idled out while the clock moved.
    ;({ admin, otherAdmin } = await logInBothAdmins(t))
  })

  it('refuses, and changes nothing, when the address got a login of its own in the meantime', async () => {
    const id = await signedUpStaff('meantime@harbor.test', 'Mia')
    await requestChange(admin, id, 'grabbed@harbor.test')
    const link = verificationLink('grabbed@harbor.test')
    await signedUpStaff('grabbed@harbor.test', 'Gia')
    const response = await confirm(link)
    expect(response.status).toBe(409)
    expect(await response.text()).toContain('This address cannot be used for a login')
    expect((await accountOf(id)).email).toBe('meantime@harbor.test')
    expect(await auditsOf(id, 'account.email_changed')).toHaveLength(0)
  })
})
