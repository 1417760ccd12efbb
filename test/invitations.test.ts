import { and, eq, like } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, auditEvents, emailOutbox, invitations } from '../db/schema'
import type { Agent } from './support/agent'
import { createTestApp, logIn, type TestApp, addTwoPractices, logInBothAdmins } from './support/app'
import { DAY, MINUTE } from './support/clock'
import { addStaff, linkIn, pathOf, sendInvitation, STRONG_PASSWORD } from './support/staff'

let t: TestApp
let admin: Agent
let otherAdmin: Agent

beforeAll(async () => {
  // A loopback address other than the requests' own, so a link built from Host would show.
  t = await createTestApp({ APP_URL: 'http://127.0.0.1:8787' })
  await addTwoPractices(t)
  ;({ admin, otherAdmin } = await logInBothAdmins(t))
})
afterAll(() => t.cleanup())

const lastMail = () => t.devMailbox!.list()[0]!
const createAccount = (agent: Agent, link: string, password = STRONG_PASSWORD, confirmPassword = password) =>
  agent.post(pathOf(link), { password, confirmPassword })
const invitationRows = (staffId: string) => t.db.select().from(invitations).where(eq(invitations.staffId, staffId))

describe('Send Invitation', () => {
  it('changes the badge in place to "Signup initiated" and emails a link built from APP_URL', async () => {
    const id = await addStaff(admin, { firstName: 'Maya', email1: 'maya@harbor.test', email2: 'maya.home@harbor.test' })
    const before = await (await admin.get(`/staff/${id}/portal`)).text()
    expect(before).toMatch(/id="portal-status">Yet to sign up</)
    expect(before).toContain('>Send Invitation</button>')
    expect(before).toMatch(/value="maya@harbor.test" checked/)

    const response = await sendInvitation(admin, id, 'maya.home@harbor.test')
    expect(response.status).toBe(200)
    const panel = await response.text()
    expect(panel).not.toContain('<html')
    expect(panel).toContain('id="portal-panel"')
    expect(panel).toMatch(/id="portal-status">Signup initiated</)
    expect(panel).toContain('Invitation sent to maya.home@harbor.test.')
    expect(panel).toMatch(/Invitation sent to <strong>maya.home@harbor.test<\/strong> on .*; the link expires Dec 3, 2026/)

    const mail = lastMail()
    expect(mail.to).toBe('maya.home@harbor.test')
    expect(mail.subject).toBe("You're invited to the Harbor Therapy Group Staff Portal")
    expect(mail.text).toContain('Practice Admin invited you to the Harbor Therapy Group Staff Portal.')
    expect(mail.text).toContain('expires on Dec 3, 2026')
    expect(linkIn(mail.text).startsWith('http://127.0.0.1:8787/invite/')).toBe(true)
    expect(mail.html).toContain(`href="${linkIn(mail.text)}"`)
  })

  it('stores only the SHA-256 of the link, and the outbox row holds no link', async () => {
    const id = await addStaff(admin, { firstName: 'Hash', email1: 'hash@harbor.test' })
    await sendInvitation(admin, id, 'hash@harbor.test')
    const secret = linkIn(lastMail().text).split('.').pop()!
    const [row] = await invitationRows(id)
    expect(row!.secretHash).toMatch(/^[0-9a-f]{64}$/)
    const everything = JSON.stringify([
      await t.db.select().from(invitations),
      await t.db.select().from(emailOutbox),
      await t.db.select().from(auditEvents),
    ])
    expect(everything).not.toContain(secret)
    const [outbox] = await t.db.select().from(emailOutbox).where(eq(emailOutbox.refId, row!.id))
    expect(outbox).toMatchObject({ status: 'sent', attempts: 1, recipient: 'hash@harbor.test', template: 'invitation' })
  })

  it('builds links from APP_URL, never from the Host header', async () => {
    const id = await addStaff(admin, { firstName: 'Host', email1: 'host@harbor.test' })
    await admin.post(
      `/staff/${id}/portal/invitations`,
      { email: 'host@harbor.test' },
      { Host: 'evil.example', 'X-Forwarded-Host': 'evil.example' },
    )
    expect(linkIn(lastMail().text)).toMatch(/^http:\/\/127\.0\.0\.1:8787\/invite\//)
  })

  it('works without JavaScript: a plain post answers with the whole tab', async () => {
    const id = await addStaff(admin, { firstName: 'Plain', email1: 'plain@harbor.test' })
    const response = await admin.post(`/staff/${id}/portal/invitations`, { email: 'plain@harbor.test' })
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('<html')
    expect(html).toMatch(/id="portal-status">Signup initiated</)
  })

  it('refuses an address that is not on file, beside the choice', async () => {
    const id = await addStaff(admin, { firstName: 'Choice', email1: 'choice@harbor.test' })
    const response = await sendInvitation(admin, id, 'someone.else@harbor.test')
    expect(response.status).toBe(422)
    expect(await response.text()).toContain('Choose one of the email addresses on file.')
    expect(await invitationRows(id)).toHaveLength(0)
  })

  it('refuses an inactive profile', async () => {
    const id = await addStaff(admin, { firstName: 'Idle', email1: 'idle@harbor.test', active: '' })
    const response = await sendInvitation(admin, id, 'idle@harbor.test')
    expect(response.status).toBe(422)
    expect(await response.text()).toContain('This profile is inactive.')
    // The checks and the writes are one batch: a refusal writes nothing at all.
    expect(await invitationRows(id)).toHaveLength(0)
    expect(
      await t.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.targetStaffId, id), like(auditEvents.event, 'invitation.%'))),
    ).toEqual([])
    expect(await t.db.select().from(emailOutbox).where(eq(emailOutbox.recipient, 'idle@harbor.test'))).toEqual([])
  })

  it('leaves a pending link working when another invitation is refused', async () => {
    const id = await addStaff(admin, { firstName: 'Kept', email1: 'kept@harbor.test' })
    await sendInvitation(admin, id, 'kept@harbor.test')
    expect((await sendInvitation(admin, id, 'not.on.file@harbor.test')).status).toBe(422)
    const rows = await invitationRows(id)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.replacedAt).toBeNull()
  })

  it('audits the invitation with who, whom and when', async () => {
    const id = await addStaff(admin, { firstName: 'Audit', email1: 'audit@harbor.test' })
    await sendInvitation(admin, id, 'audit@harbor.test')
    const [row] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetStaffId, id), eq(auditEvents.event, 'invitation.sent')))
    expect(row).toMatchObject({ detail: 'to audit@harbor.test', createdAt: t.clock.now() })
    expect(row!.actorAccountId).toMatch(/^[a-z2-7]{16}$/)
  })
})

describe('the invitation link', () => {
  it('opens a Create Account page and changes nothing on GET', async () => {
    const id = await addStaff(admin, { firstName: 'Getter', email1: 'getter@harbor.test' })
    await sendInvitation(admin, id, 'getter@harbor.test')
    const link = linkIn(lastMail().text)
    for (let i = 0; i < 3; i++) {
      const page = await t.agent().get(pathOf(link))
      expect(page.status).toBe(200)
      const html = await page.text()
      expect(html).toContain('>Password</label>')
      expect(html).toContain('>Confirm Password</label>')
      expect(html).toContain('>Create Account</button>')
      expect(page.headers.get('Cache-Control')).toBe('no-store')
      expect(page.headers.get('Referrer-Policy')).toBe('same-origin')
    }
    const [row] = await invitationRows(id)
    expect(row!.usedAt).toBeNull()
  })

  it('creates the account, sends the person to log in with their email filled, and lands them on their portal', async () => {
    const id = await addStaff(admin, {
      firstName: 'Ines',
      lastName: 'Duarte',
      credentials: 'SLP',
      email1: 'ines@harbor.test',
      email2: 'ines.home@harbor.test',
    })
    await sendInvitation(admin, id, 'ines@harbor.test')
    const link = linkIn(lastMail().text)
    const staffBrowser = t.agent()
    const response = await createAccount(staffBrowser, link)
    expect(response.status).toBe(303)
    expect(response.headers.get('Location')).toBe('/login?welcome&email=ines%40harbor.test')
    const login = await (await staffBrowser.get(response.headers.get('Location')!)).text()
    expect(login).toContain('Your account is ready.')
    expect(login).toContain('value="ines@harbor.test"')

    const [account] = await t.db.select().from(accounts).where(eq(accounts.staffId, id))
    expect(account).toMatchObject({ email: 'ines@harbor.test' })
    expect(account!.passwordHash).toMatch(/^scrypt\$16384\$8\$5\$/)
    expect((await invitationRows(id))[0]!.usedAt).toEqual(t.clock.now())

    const signIn = await staffBrowser.post('/login', { email: 'ines@harbor.test', password: STRONG_PASSWORD })
    expect(signIn.headers.get('Location')).toBe('/portal')
    const home = await (await staffBrowser.get('/portal')).text()
    for (const text of ['Ines Duarte', 'SLP', 'Harbor Therapy Group', 'ines.home@harbor.test', '>Log Out</button>'])
      expect(home).toContain(text)
    expect(home).not.toContain('href="/staff"')
    expect((await staffBrowser.get('/staff')).status).toBe(403)

    const tab = await (await admin.get(`/staff/${id}/portal`)).text()
    expect(tab).toMatch(/id="portal-status">Signed up</)
    expect(tab).not.toContain('>Send Invitation</button>')
    const list = await (await admin.get('/staff?q=ines')).text()
    expect(list).toContain('Signed up')
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetStaffId, id), eq(auditEvents.event, 'account.created')))
    expect(audit).toBeDefined()
  })

  it('says which problem a used link has, and never shows an error page', async () => {
    const id = await addStaff(admin, { firstName: 'Twice', email1: 'twice@harbor.test' })
    await sendInvitation(admin, id, 'twice@harbor.test')
    const link = linkIn(lastMail().text)
    expect((await createAccount(t.agent(), link)).status).toBe(303)
    for (const response of [await t.agent().get(pathOf(link)), await createAccount(t.agent(), link, 'Another strong phrase 2026')]) {
      expect(response.status).toBe(410)
      expect(await response.text()).toContain('This invitation was already used')
    }
    expect(await t.db.select().from(accounts).where(eq(accounts.staffId, id))).toHaveLength(1)
  })

  it('keeps the person on the form with a reason when the passwords are weak or differ', async () => {
    const id = await addStaff(admin, { firstName: 'Weak', lastName: 'Pass', email1: 'weak@harbor.test' })
    await sendInvitation(admin, id, 'weak@harbor.test')
    const link = linkIn(lastMail().text)
    const cases: [string, string, RegExp][] = [
      ['', '', /Enter a password\./],
      ['short', 'short', /Use at least 15 characters \(this has 5\)\./],
      ['x'.repeat(129), 'x'.repeat(129), /Use at most 128 characters\./],
      ['password12345678', 'password12345678', /too easy to guess/],
      ['Weak Pass Harbor Therapy', 'Weak Pass Harbor Therapy', /too easy to guess/],
      [STRONG_PASSWORD, `${STRONG_PASSWORD}!`, /The two passwords do not match\./],
    ]
    for (const [password, confirm, message] of cases) {
      const response = await createAccount(t.agent(), link, password, confirm)
      expect(response.status, password).toBe(422)
      expect(await response.text()).toMatch(message)
    }
    expect(await t.db.select().from(accounts).where(eq(accounts.staffId, id))).toHaveLength(0)
    expect((await createAccount(t.agent(), link)).status).toBe(303)
  })

  it('expires after INVITE_TTL_DAYS', async () => {
    const id = await addStaff(admin, { firstName: 'Late', email1: 'late@harbor.test' })
    await sendInvitation(admin, id, 'late@harbor.test')
    const link = linkIn(lastMail().text)
    t.clock.advance(7 * DAY - MINUTE)
    expect((await t.agent().get(pathOf(link))).status).toBe(200)
    t.clock.advance(MINUTE)
    const expired = await createAccount(t.agent(), link)
    expect(expired.status).toBe(410)
    expect(await expired.text()).toContain('This invitation has expired')
    // A week passed: the admins' sessions ended long ago.
    admin = await logIn(t, 'admin@harbor.test')
    otherAdmin = await logIn(t, 'admin@summit.test')
    const tab = await (await admin.get(`/staff/${id}/portal`)).text()
    expect(tab).toMatch(/id="portal-status">Yet to sign up</)
    expect(tab).toContain('The last invitation expired on')
  })

  it('answers 404 with a helpful page for a made-up or tampered link', async () => {
    const id = await addStaff(admin, { firstName: 'Tamper', email1: 'tamper@harbor.test' })
    await sendInvitation(admin, id, 'tamper@harbor.test')
    const link = linkIn(lastMail().text)
    const tampered = link.slice(0, -1) + (link.endsWith('a') ? 'b' : 'a')
    for (const path of [pathOf(tampered), '/invite/nonsense', `/invite/${'a'.repeat(16)}.${'b'.repeat(39)}`]) {
      const response = await t.agent().get(path)
      expect(response.status).toBe(404)
      expect(await response.text()).toContain('This link is not valid')
    }
  })
})

describe('Resend and Revoke', () => {
  it('Resend makes a new link and the old one stops working', async () => {
    const id = await addStaff(admin, { firstName: 'Again', email1: 'again@harbor.test' })
    await sendInvitation(admin, id, 'again@harbor.test')
    const first = linkIn(lastMail().text)
    const panel = await (await sendInvitation(admin, id, 'again@harbor.test')).text()
    expect(panel).toContain('The earlier link no longer works.')
    expect(panel).toContain('Replaced by a newer invitation')
    const second = linkIn(lastMail().text)
    expect(second).not.toBe(first)
    const old = await t.agent().get(pathOf(first))
    expect(old.status).toBe(410)
    expect(await old.text()).toContain('A newer invitation replaced this one')
    expect((await createAccount(t.agent(), second)).status).toBe(303)
    const events = await t.db.select({ event: auditEvents.event }).from(auditEvents).where(eq(auditEvents.targetStaffId, id))
    expect(events.map((e) => e.event)).toEqual(['staff.created', 'invitation.sent', 'invitation.resent', 'account.created'])
  })

  it('Revoke ends the link and returns the badge to "Yet to sign up"', async () => {
    const id = await addStaff(admin, { firstName: 'Revoked', email1: 'revoked@harbor.test' })
    await sendInvitation(admin, id, 'revoked@harbor.test')
    const link = linkIn(lastMail().text)
    const [invitation] = await invitationRows(id)
    const response = await admin.post(
      `/staff/${id}/portal/invitations/${invitation!.id}/revoke`,
      { confirm: 'yes' },
      { 'HX-Request': 'true' },
    )
    const panel = await response.text()
    expect(panel).toMatch(/id="portal-status">Yet to sign up</)
    expect(panel).toContain('Invitation revoked.')
    const opened = await t.agent().get(pathOf(link))
    expect(opened.status).toBe(410)
    expect(await opened.text()).toContain('This invitation was revoked')
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetStaffId, id), eq(auditEvents.event, 'invitation.revoked')))
    expect(audit).toMatchObject({ detail: 'to revoked@harbor.test' })
  })
})

describe('two simultaneous Create Account posts with one link', () => {
  it('make exactly one account', async () => {
    const id = await addStaff(admin, { firstName: 'Race', email1: 'race@harbor.test' })
    await sendInvitation(admin, id, 'race@harbor.test')
    const link = linkIn(lastMail().text)
    const responses = await Promise.all(Array.from({ length: 4 }, () => createAccount(t.agent(), link)))
    expect(responses.map((r) => r.status).sort()).toEqual([303, 410, 410, 410])
    expect(await t.db.select().from(accounts).where(eq(accounts.staffId, id))).toHaveLength(1)
    const created = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetStaffId, id), eq(auditEvents.event, 'account.created')))
    expect(created).toHaveLength(1)
  })
})

describe('tenancy', () => {
  it("lets no other practice invite, revoke or see this practice's staff", async () => {
    const id = await addStaff(admin, { firstName: 'Walled', email1: 'walled@harbor.test' })
    expect((await sendInvitation(otherAdmin, id, 'walled@harbor.test')).status).toBe(404)
    await sendInvitation(admin, id, 'walled@harbor.test')
    const [invitation] = await invitationRows(id)
    expect((await otherAdmin.post(`/staff/${id}/portal/invitations/${invitation!.id}/revoke`)).status).toBe(404)
    expect((await otherAdmin.post(`/staff/${id}/portal/invitations/${invitation!.id}/retry`)).status).toBe(404)
    expect((await invitationRows(id))[0]!.revokedAt).toBeNull()
  })

  it('refuses to invite an address that has an account in another practice, without naming it', async () => {
    const summitId = await addStaff(otherAdmin, { firstName: 'Shared', email1: 'shared@both.test' })
    await sendInvitation(otherAdmin, summitId, 'shared@both.test')
    expect((await createAccount(t.agent(), linkIn(lastMail().text))).status).toBe(303)
    const harborId = await addStaff(admin, { firstName: 'Shared', email1: 'shared@both.test' })
    const response = await sendInvitation(admin, harborId, 'shared@both.test')
    expect(response.status).toBe(422)
    const html = await response.text()
    expect(html).toContain('This address already has a portal account.')
    expect(html).not.toContain('Summit')
  })
})

describe('inviting several people from the Staffs list', () => {
  it('invites the selected at their primary address and skips, with the reason, those who need no invitation', async () => {
    const fresh = await addStaff(admin, {
      firstName: 'Bulk',
      lastName: 'Aardvark',
      email1: 'bulk.a@harbor.test',
      email2: 'bulk.a.primary@harbor.test',
      primaryEmail: '2',
    })
    const inactive = await addStaff(admin, { firstName: 'Bulk', lastName: 'Bison', email1: 'bulk.b@harbor.test', active: '' })
    const pending = await addStaff(admin, { firstName: 'Bulk', lastName: 'Cougar', email1: 'bulk.c@harbor.test' })
    await sendInvitation(admin, pending, 'bulk.c@harbor.test')
    const signedUp = await addStaff(admin, { firstName: 'Bulk', lastName: 'Dingo', email1: 'bulk.d@harbor.test' })
    await sendInvitation(admin, signedUp, 'bulk.d@harbor.test')
    expect((await createAccount(t.agent(), linkIn(lastMail().text))).status).toBe(303)
    const summit = await addStaff(otherAdmin, { firstName: 'Bulk', lastName: 'Elsewhere', email1: 'bulk.e@summit.test' })

    const list = await (await admin.get('/staff?q=bulk')).text()
    expect(list).toContain(`name="staffId" value="${fresh}" form="bulk-invite" aria-label="Bulk Aardvark"`)
    expect(list).toContain('>Invite Selected</button>')

    const body = new URLSearchParams()
    for (const id of [fresh, inactive, pending, signedUp, summit, 'not-an-id']) body.append('staffId', id)
    const post = () =>
      admin.request('/staff/invitations', {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://127.0.0.1:8787' },
      })
    // Asked first: nothing is sent until "Send 1 Invitation" is pressed.
    expect(await (await post()).text()).toMatch(/>Send 1 Invitation<\/button>/)
    expect(await invitationRows(fresh)).toHaveLength(0)
    body.append('confirm', 'yes')
    const response = await post()
    expect(response.status).toBe(200)
    const html = await response.text()
    await t.settle()
    expect(html).toContain('1 invitation sent')
    expect(html).toContain('Bulk Aardvark</a> (bulk.a.primary@harbor.test)')
    expect(html).toContain('Bulk Bison: skipped, inactive')
    expect(html).toContain('Bulk Cougar: skipped, invitation pending')
    expect(html).toContain('Bulk Dingo: skipped, already signed up')
    expect(html).not.toContain('Elsewhere')
    expect(lastMail().to).toBe('bulk.a.primary@harbor.test')
    expect(await invitationRows(summit)).toHaveLength(0)
    expect(await invitationRows(pending)).toHaveLength(1)
  })

  it('asks for a selection when none is made', async () => {
    const response = await admin.post('/staff/invitations', {})
    expect(response.status).toBe(422)
    expect(await invitationRows('nobody')).toHaveLength(0)
    expect(await response.text()).toContain('Select at least one staff member to invite.')
  })
})

describe('the development outbox', () => {
  it('lists mail newest first as JSON with to, subject, text, html and createdAt', async () => {
    const response = await t.agent().get('/dev/outbox.json')
    expect(response.status).toBe(200)
    const messages = (await response.json()) as Record<string, string>[]
    expect(messages.length).toBeGreaterThan(1)
    expect(Object.keys(messages[0]!).sort()).toEqual(['createdAt', 'html', 'subject', 'text', 'to'])
    expect(messages[0]).toEqual(lastMail())
    const page = await (await t.agent().get('/dev/outbox')).text()
    expect(page).toContain('Development outbox')
  })
})
