import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, auditEvents, invitations, passwordResetLinks, practices, staff } from '../db/schema'
import { TIME_ZONES } from '../src/practice/time-zones'
import type { Agent } from './support/agent'
import { createTestApp, logIn, type TestApp, addTwoPractices, logInBothAdmins } from './support/app'
import { startMailChannels, type MailChannelsServer } from './support/mailchannels-server'
import { addStaff, linkIn, pathOf, sendInvitation, STRONG_PASSWORD } from './support/staff'

// Mail goes to a local MailChannels stand-in, which records the sender name of every message.
let mail: MailChannelsServer
let t: TestApp
let admin: Agent
let otherAdmin: Agent
let harborId: string
let summitId: string

beforeAll(async () => {
  mail = await startMailChannels()
  t = await createTestApp({
    APP_URL: 'https://portal.test',
    MAILCHANNELS_API_KEY: mail.apiKey,
    MAILCHANNELS_API_URL: mail.url,
    MAIL_FROM: 'portal@portal.test',
  })
  await addTwoPractices(t)
  ;({ admin, otherAdmin } = await logInBothAdmins(t))
  const rows = await t.db.select().from(practices)
  harborId = rows.find((p) => p.name === 'Harbor Therapy Group')!.id
  summitId = rows.find((p) => p.name === 'Summit Speech')!.id
})
afterAll(async () => {
  t.cleanup()
  await mail.close()
})

const practiceRow = async (id: string) => (await t.db.select().from(practices).where(eq(practices.id, id)))[0]!
const settingsAudit = (practiceId: string) =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.practiceId, practiceId), eq(auditEvents.event, 'practice.settings_changed')))
const mailsTo = (to: string) => mail.received.filter((m) => m.personalizations[0]!.to[0]!.email === to)
const lastMailTo = (to: string) => mailsTo(to).at(-1)!
const textOf = (m: ReturnType<typeof lastMailTo>) => m.content[0]!.value
const save = (agent: Agent, values: Record<string, string>) => agent.post('/settings', values)

/** Puts back the settings a test changed, so each test starts from the names above. */
async function restore() {
  await t.db
    .update(practices)
    .set({ name: 'Harbor Therapy Group', timeZone: 'America/New_York', senderName: '' })
    .where(eq(practices.id, harborId))
  await t.db
    .update(practices)
    .set({ name: 'Summit Speech', timeZone: 'America/New_York', senderName: '' })
    .where(eq(practices.id, summitId))
}

/** A staff member of the admin's practice with an account, made through the real invitation flow. */
async function signedUpStaff(agent: Agent, email: string) {
  const id = await addStaff(agent, { firstName: 'Rowan', lastName: 'Ellery', email1: email })
  await sendInvitation(agent, id, email)
  const created = await t
    .agent()
    .post(pathOf(linkIn(textOf(lastMailTo(email)))), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })
  expect(created.status).toBe(303)
  return id
}

describe('who may open Practice Settings', () => {
  it('sends a visitor to log in and refuses a staff member who is not an admin', async () => {
    const anonymous = await t.agent().get('/settings')
    expect(anonymous.status).toBe(303)
    expect(anonymous.headers.get('Location')).toMatch(/^\/login(\?|$)/)
    await signedUpStaff(admin, 'plain.staff@harbor.test')
    const member = await logIn(t, 'plain.staff@harbor.test', STRONG_PASSWORD)
    const home = await (await member.get('/portal')).text()
    expect(home).not.toContain('Practice Settings')
    const refused = await member.get('/settings')
    expect(refused.status).toBe(403)
    expect((await member.post('/settings', { name: 'Taken Over', timeZone: 'UTC', senderName: '' })).status).toBe(403)
    expect((await practiceRow(harborId)).name).toBe('Harbor Therapy Group')
  })

  it('links it from the admin navigation, after Staffs', async () => {
    const html = await (await admin.get('/settings')).text()
    const nav = /<nav aria-label="Main">.*?<\/nav>/s.exec(html)![0]
    expect(nav).toContain('<li><a href="/settings" aria-current="true">Practice Settings</a></li>')
    expect(nav.indexOf('>Staffs</a>')).toBeLessThan(nav.indexOf('>Practice Settings</a>'))
    // On other pages the link is there, not marked current.
    expect(await (await admin.get('/staff')).text()).toContain('<li><a href="/settings">Practice Settings</a></li>')
  })

  it('refuses a post from another site', async () => {
    const response = await admin.request('/settings', {
      method: 'POST',
      body: new URLSearchParams({ name: 'Forged', timeZone: 'UTC', senderName: '' }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
    })
    expect(response.status).toBe(403)
    expect((await practiceRow(harborId)).name).toBe('Harbor Therapy Group')
  })
})

describe('the Practice Settings page', () => {
  it("shows the practice's own name, time zone and sender name, with a searchable list of IANA zones", async () => {
    await t.db.update(practices).set({ senderName: 'Summit Front Desk' }).where(eq(practices.id, summitId))
    const response = await admin.get('/settings')
    expect(response.status).toBe(200)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    const html = await response.text()
    expect(html).toContain('<label for="field-name">Practice Name</label>')
    expect(html).toContain('<label for="field-timeZone">Time Zone</label>')
    expect(html).toContain('<label for="field-senderName">Sender Name</label>')
    expect(html).toMatch(/<button type="submit" class="button button-primary">\s*Save\s*<\/button>/)
    expect(html).toContain('value="Harbor Therapy Group"')
    expect(html).toMatch(/<input id="field-timeZone" name="timeZone" type="text" list="time-zones" value="America\/New_York"/)
    expect(html).toContain('<datalist id="time-zones">')
    for (const zone of ['America/Chicago', 'Europe/London', 'Asia/Tokyo', 'UTC'])
      expect(html).toContain(`<option value="${zone}"></option>`)
    // The time zones, and the three choices of "Require Two-Step Sign-In".
    expect(html.match(/<option value="[A-Za-z]/g)).toHaveLength(TIME_ZONES.length + 3)
    // The current time there, in that zone (the test clock reads 15:00 UTC).
    expect(html).toContain('It is now Nov 26, 2026, 10:00 AM in America/New_York.')
    // Nothing of the other practice.
    expect(html).not.toContain('Summit')
    await restore()
  })
})

describe('saving the settings', () => {
  it('saves name, time zone and sender name, audits what changed, and touches no other practice', async () => {
    const summitBefore = await practiceRow(summitId)
    const response = await save(admin, {
      name: '  Harbor Therapy Collective ',
      timeZone: 'america/chicago',
      senderName: 'Harbor Front Desk',
    })
    expect(response.status).toBe(303)
    expect(response.headers.get('Location')).toBe('/settings?saved')
    expect(await practiceRow(harborId)).toMatchObject({
      name: 'Harbor Therapy Collective',
      timeZone: 'America/Chicago',
      senderName: 'Harbor Front Desk',
    })
    expect(await practiceRow(summitId)).toEqual(summitBefore)

    const page = await (await admin.get('/settings?saved')).text()
    expect(page).toContain('Saved.')
    expect(page).toContain('value="Harbor Therapy Collective"')
    expect(page).toContain('value="America/Chicago"')
    expect(page).toContain('value="Harbor Front Desk"')
    // The header carries the new name from the next request on.
    expect(page).toContain('<span class="brand-practice">Harbor Therapy Collective</span>')

    const [row] = await settingsAudit(harborId)
    expect(row).toMatchObject({
      event: 'practice.settings_changed',
      detail:
        'name: “Harbor Therapy Group” → “Harbor Therapy Collective”; time zone: “America/New_York” → “America/Chicago”; sender name: “” → “Harbor Front Desk”',
      createdAt: t.clock.now(),
    })
    const [adminAccount] = await t.db.select().from(accounts).where(eq(accounts.email, 'admin@harbor.test'))
    expect(row!.actorAccountId).toBe(adminAccount!.id)
    expect(await settingsAudit(summitId)).toHaveLength(0)

    // The other practice's admin still sees their own practice, unchanged.
    const other = await (await otherAdmin.get('/settings')).text()
    expect(other).toContain('value="Summit Speech"')
    expect(other).not.toContain('Harbor')
    await restore()
  })

  it('writes nothing when nothing changed', async () => {
    const before = (await settingsAudit(harborId)).length
    const response = await save(admin, { name: 'Harbor Therapy Group', timeZone: 'America/New_York', senderName: '' })
    expect(response.status).toBe(303)
    expect(await settingsAudit(harborId)).toHaveLength(before)
  })

  it('keeps the values and puts each message beside its field when input is bad', async () => {
    const response = await save(admin, { name: '   ', timeZone: 'Mars/Olympus_Mons', senderName: 'Front <Desk>' })
    expect(response.status).toBe(422)
    const html = await response.text()
    expect(html).toMatch(/id="field-name-error">Enter the practice name\./)
    expect(html).toMatch(/id="field-timeZone-error">Use an IANA time zone name from the list, such as America\/Chicago\./)
    expect(html).toMatch(/id="field-senderName-error">Sender name cannot contain &lt; &gt; or &quot;\./)
    expect(html).toContain('value="Mars/Olympus_Mons"')
    expect(html).toContain('value="Front &lt;Desk&gt;"')
    expect(html).toContain('aria-invalid="true"')
    expect(html).toContain('href="#field-timeZone"')
    expect(await practiceRow(harborId)).toMatchObject({ name: 'Harbor Therapy Group', timeZone: 'America/New_York', senderName: '' })

    const long = await save(admin, { name: 'x'.repeat(121), timeZone: 'UTC', senderName: 'y'.repeat(101) })
    expect(long.status).toBe(422)
    const longHtml = await long.text()
    expect(longHtml).toContain('Practice name must be 120 characters or fewer.')
    expect(longHtml).toContain('Sender name must be 100 characters or fewer.')

    const control = await save(admin, { name: 'Harbor\u0007Group', timeZone: '', senderName: 'Front\r\nBcc: x@evil.example' })
    expect(control.status).toBe(422)
    const controlHtml = await control.text()
    expect(controlHtml).toContain('Practice name cannot contain control characters.')
    expect(controlHtml).toContain('Choose a time zone.')
    expect(controlHtml).toContain('Sender name cannot contain control characters.')

    const empty = await admin.request('/settings', {
      method: 'POST',
      body: 'not a form',
      headers: { 'Content-Type': 'text/plain', Origin: 'https://portal.test' },
    })
    expect(empty.status).toBe(422)
    expect(await settingsAudit(harborId)).toHaveLength(1)
  })

  it("refuses another practice's name, in any letter case, beside the field", async () => {
    const response = await save(admin, { name: 'SUMMIT speech', timeZone: 'America/New_York', senderName: '' })
    expect(response.status).toBe(422)
    const html = await response.text()
    expect(html).toMatch(/id="field-name-error">Another practice already uses this name\. Choose another\./)
    expect(html).toContain('value="SUMMIT speech"')
    expect((await practiceRow(harborId)).name).toBe('Harbor Therapy Group')
    expect(await settingsAudit(harborId)).toHaveLength(1)
    // A new letter case of its own name is fine.
    expect((await save(admin, { name: 'HARBOR Therapy Group', timeZone: 'America/New_York', senderName: '' })).status).toBe(303)
    await restore()
  })
})

describe('the sender name on emails', () => {
  it("sends every kind of email under the practice's sender name, or its name when empty, and never another practice's", async () => {
    const memberId = await signedUpStaff(admin, 'rowan@harbor.test')
    const summitMember = await addStaff(otherAdmin, { firstName: 'Sam', lastName: 'Summit', email1: 'sam@summit.test' })
    expect(lastMailTo('rowan@harbor.test').from.name).toBe('Harbor Therapy Group')

    expect(
      (await save(admin, { name: 'Harbor Therapy Group', timeZone: 'America/New_York', senderName: 'Harbor Front Desk' })).status,
    ).toBe(303)
    expect((await save(otherAdmin, { name: 'Summit Speech', timeZone: 'America/New_York', senderName: 'Summit Office' })).status).toBe(303)

    // Invitation.
    const invitee = await addStaff(admin, { firstName: 'Ines', lastName: 'Duarte', email1: 'ines@harbor.test' })
    await sendInvitation(admin, invitee, 'ines@harbor.test')
    expect(lastMailTo('ines@harbor.test').from.name).toBe('Harbor Front Desk')
    await sendInvitation(otherAdmin, summitMember, 'sam@summit.test')
    expect(lastMailTo('sam@summit.test').from.name).toBe('Summit Office')
    // The subject and text still name the practice itself, and each link opens its own practice.
    expect(lastMailTo('ines@harbor.test').subject).toBe("You're invited to the Harbor Therapy Group Staff Portal")
    const harborPage = await (await t.agent().get(pathOf(linkIn(textOf(lastMailTo('ines@harbor.test')))))).text()
    expect(harborPage).toContain('Harbor Therapy Group')
    expect(harborPage).not.toContain('Summit')
    const summitPage = await (await t.agent().get(pathOf(linkIn(textOf(lastMailTo('sam@summit.test')))))).text()
    expect(summitPage).toContain('Summit Speech')
    expect(summitPage).not.toContain('Harbor')

    // Verification code, then the "password changed" notice.
    const rowan = t.agent()
    await rowan.post('/forgot-password', { email: 'rowan@harbor.test' })
    await t.settle()
    const codeMail = lastMailTo('rowan@harbor.test')
    expect(codeMail.from.name).toBe('Harbor Front Desk')
    const code = /verification code is (\d{8})/.exec(textOf(codeMail))![1]!
    const NEW_PASSWORD = 'Lantern meadow quartz 2031'
    const verified = await rowan.post('/forgot-password/verify', {
      email: 'rowan@harbor.test',
      code,
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    })
    expect(verified.status).toBe(303)
    await t.settle()
    const notice = lastMailTo('rowan@harbor.test')
    expect(notice.subject).toMatch(/password/i)
    expect(notice.from.name).toBe('Harbor Front Desk')

    // Reset link sent by the admin.
    const generated = await (
      await admin.post(`/staff/${memberId}/portal/reset-links`, { expirationDate: '2026-11-27' }, { 'HX-Request': 'true' })
    ).text()
    const token = /name="token" value="([^"]+)"/.exec(generated)![1]!
    expect((await admin.post(`/staff/${memberId}/portal/reset-links/email`, { token }, { 'HX-Request': 'true' })).status).toBe(200)
    const linkMail = lastMailTo('rowan@harbor.test')
    expect(textOf(linkMail)).toContain('/reset/')
    expect(linkMail.from.name).toBe('Harbor Front Desk')

    // An invitation whose email failed, sent again with Retry.
    mail.set('fail')
    const failing = await addStaff(admin, { firstName: 'Fay', lastName: 'Fail', email1: 'fay@harbor.test' })
    await sendInvitation(admin, failing, 'fay@harbor.test')
    mail.set('accept')
    const [invitation] = await t.db.select().from(invitations).where(eq(invitations.staffId, failing))
    expect((await admin.post(`/staff/${failing}/portal/invitations/${invitation!.id}/retry`, {}, { 'HX-Request': 'true' })).status).toBe(
      200,
    )
    expect(mailsTo('fay@harbor.test')).toHaveLength(2)
    expect(lastMailTo('fay@harbor.test').from.name).toBe('Harbor Front Desk')

    // Emptied, it falls back to the practice name.
    expect((await save(admin, { name: 'Harbor Therapy Group', timeZone: 'America/New_York', senderName: '' })).status).toBe(303)
    const later = await addStaff(admin, { firstName: 'Lee', lastName: 'Later', email1: 'lee@harbor.test' })
    await sendInvitation(admin, later, 'lee@harbor.test')
    expect(lastMailTo('lee@harbor.test').from.name).toBe('Harbor Therapy Group')

    // No Harbor mail ever went out under Summit's names, nor the other way round.
    for (const m of mail.received) {
      const to = m.personalizations[0]!.to[0]!.email
      if (to.endsWith('@harbor.test')) expect(m.from.name).not.toMatch(/Summit/)
      if (to.endsWith('@summit.test')) expect(m.from.name).not.toMatch(/Harbor/)
    }
    expect(mail.problems).toEqual([])
    await restore()
  })
})

describe('the time zone', () => {
  let memberId: string
  beforeAll(async () => {
    memberId = await signedUpStaff(admin, 'tz.person@harbor.test')
    await addStaff(admin, { firstName: 'Pending', lastName: 'Zone', email1: 'pending.zone@harbor.test' })
  })

  it('changes every date shown to the practice from the next request on, and no other practice', async () => {
    const pendingId = (await t.db.select().from(staff).where(eq(staff.lastName, 'Zone')))[0]!.id
    await sendInvitation(admin, pendingId, 'pending.zone@harbor.test')
    const summitPending = await addStaff(otherAdmin, { firstName: 'Pending', lastName: 'Summit', email1: 'pending@summit.test' })
    await sendInvitation(otherAdmin, summitPending, 'pending@summit.test')
    // Sent at 15:00 UTC: 10:00 AM in New York.
    expect(await (await admin.get(`/staff/${pendingId}/portal`)).text()).toContain(
      'on Nov 26, 2026, 10:00 AM; the link expires Dec 3, 2026, 10:00 AM.',
    )

    expect((await save(admin, { name: 'Harbor Therapy Group', timeZone: 'Asia/Tokyo', senderName: '' })).status).toBe(303)
    // The same session, its next request: midnight the next day in Tokyo.
    expect(await (await admin.get(`/staff/${pendingId}/portal`)).text()).toContain(
      'on Nov 27, 2026, 12:00 AM; the link expires Dec 4, 2026, 12:00 AM.',
    )
    // The other practice still sees its own zone.
    expect(await (await otherAdmin.get(`/staff/${summitPending}/portal`)).text()).toContain(
      'on Nov 26, 2026, 10:00 AM; the link expires Dec 3, 2026, 10:00 AM.',
    )
    // Emails that carry a date use it too.
    const again = await sendInvitation(admin, pendingId, 'pending.zone@harbor.test')
    expect(again.status).toBe(200)
    expect(textOf(lastMailTo('pending.zone@harbor.test'))).toContain('expires on Dec 4, 2026')
    await restore()
  })

  it("makes a reset link last to the end of the chosen day in the practice's zone", async () => {
    expect((await save(admin, { name: 'Harbor Therapy Group', timeZone: 'Asia/Tokyo', senderName: '' })).status).toBe(303)
    const tab = await (await admin.get(`/staff/${memberId}/portal`)).text()
    // 15:00 UTC is already the 27th in Tokyo: today there is the first day one may choose.
    expect(tab).toMatch(/id="field-expirationDate"[^>]*min="2026-11-27"/)
    const generated = await admin.post(`/staff/${memberId}/portal/reset-links`, { expirationDate: '2026-11-28' }, { 'HX-Request': 'true' })
    expect(generated.status).toBe(200)
    const [account] = await t.db.select().from(accounts).where(eq(accounts.staffId, memberId))
    const [link] = await t.db.select().from(passwordResetLinks).where(eq(passwordResetLinks.accountId, account!.id))
    // The end of Nov 28 in Tokyo (UTC+9) is 14:59:59.999 UTC that day.
    expect(link!.expiresAt.getTime()).toBeGreaterThan(new Date('2026-11-28T14:59:00Z').getTime())
    expect(link!.expiresAt.getTime()).toBeLessThanOrEqual(new Date('2026-11-28T15:00:00Z').getTime())
    // A New York practice at the same instant still starts at the 26th.
    const summitMember = await signedUpStaff(otherAdmin, 'reset@summit.test')
    expect(await (await otherAdmin.get(`/staff/${summitMember}/portal`)).text()).toMatch(/id="field-expirationDate"[^>]*min="2026-11-26"/)
    await restore()
  })

  it('keeps a zone the practice already has even when the list lacks it', async () => {
    // DEFAULT_TIME_ZONE only has to be a zone Intl knows, so a practice may carry an alias.
    await t.db.update(practices).set({ timeZone: 'US/Eastern' }).where(eq(practices.id, harborId))
    const response = await save(admin, { name: 'Harbor Therapy Group', timeZone: 'US/Eastern', senderName: 'Front Desk' })
    expect(response.status).toBe(303)
    expect(await practiceRow(harborId)).toMatchObject({ timeZone: 'US/Eastern', senderName: 'Front Desk' })
    // Another practice cannot choose it: only its own zone is let through.
    expect((await save(otherAdmin, { name: 'Summit Speech', timeZone: 'US/Eastern', senderName: '' })).status).toBe(422)
    await restore()
  })
})
