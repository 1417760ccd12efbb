import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, auditEvents, sessions, staff } from '../db/schema'
import { setAccessLevel } from '../src/staff/access-level'
import type { Agent } from './support/agent'
import { createTestApp, logIn, type TestApp, addTwoPractices, logInBothAdmins } from './support/app'
import { addStaff, linkIn, pathOf, sendInvitation, staffForm, STRONG_PASSWORD } from './support/staff'

let t: TestApp
let admin: Agent
let otherAdmin: Agent
let harborAdminId: string
let summitAdminId: string

beforeAll(async () => {
  t = await createTestApp()
  await addTwoPractices(t)
  ;({ admin, otherAdmin } = await logInBothAdmins(t))
  harborAdminId = await staffIdOf('admin@harbor.test')
  summitAdminId = await staffIdOf('admin@summit.test')
})
afterAll(() => t.cleanup())

async function staffIdOf(email: string) {
  const [account] = await t.db.select().from(accounts).where(eq(accounts.email, email))
  return account!.staffId
}
const roleOf = async (staffId: string) => (await t.db.select({ role: staff.role }).from(staff).where(eq(staff.id, staffId)))[0]!.role
const accessAudit = (staffId: string) =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetStaffId, staffId), eq(auditEvents.event, 'staff.access_changed')))
const sessionsOf = async (staffId: string) => {
  const [account] = await t.db.select().from(accounts).where(eq(accounts.staffId, staffId))
  return t.db.select().from(sessions).where(eq(sessions.accountId, account!.id))
}
const change = (agent: Agent, staffId: string, role: string, headers: Record<string, string> = {}) =>
  agent.post(`/staff/${staffId}/access-level`, { role, confirm: 'yes' }, headers)
const htmxChange = (agent: Agent, staffId: string, role: string) => change(agent, staffId, role, { 'HX-Request': 'true' })

/** A staff member of the admin's practice with an account, made through the real invitation flow. */
async function signedUpStaff(by: Agent, email: string, firstName = 'Rowan') {
  const id = await addStaff(by, { firstName, lastName: 'Ellery', email1: email })
  await sendInvitation(by, id, email)
  const mail = t.devMailbox!.list().find((m) => m.to === email)!
  expect((await t.agent().post(pathOf(linkIn(mail.text)), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })).status).toBe(
    303,
  )
  return id
}

describe('the Access level section on the Details tab', () => {
  it('shows Staff with a Make Admin button that asks first, with htmx and without', async () => {
    const id = await addStaff(admin, { firstName: 'Maya', lastName: 'Okafor', email1: 'maya@harbor.test' })
    const html = await (await admin.get(`/staff/${id}`)).text()
    expect(html).toContain('<h3 id="access-level-heading">Access level</h3>')
    expect(html).toContain('<strong id="access-level-value">Staff</strong>')
    const form = /<form method="post" action="\/staff\/[a-z2-7]{16}\/access-level"[^>]*>.*?<\/form>/s.exec(html)![0]
    expect(form).toContain(`hx-post="/staff/${id}/access-level"`)
    // No hx-confirm: the post without confirm=yes answers the confirmation (a dialog over htmx).
    expect(form).not.toContain('hx-confirm')
    expect(form).toContain('<input type="hidden" name="role" value="admin"/>')
    expect(form).toMatch(/>\s*Make Admin\s*<\/button>/)
    // An admin's profile offers the opposite.
    const own = await (await admin.get(`/staff/${harborAdminId}`)).text()
    expect(own).toContain('<strong id="access-level-value">Admin</strong>')
    expect(own).toMatch(/>\s*Remove Admin\s*<\/button>/)
  })

  it('answers a plain post without confirm=yes with a confirmation page, and changes nothing yet', async () => {
    const id = await addStaff(admin, { firstName: 'Quinn', lastName: 'Asker', email1: 'quinn@harbor.test' })
    const response = await admin.post(`/staff/${id}/access-level`, { role: 'admin' })
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('<h1 id="confirm-heading">Make Quinn Asker an admin?</h1>')
    expect(html).toContain('<input type="hidden" name="confirm" value="yes"/>')
    expect(html).toMatch(/>\s*Make Admin\s*<\/button>/)
    expect(html).toContain(`<a class="button button-quiet" href="/staff/${id}">Cancel</a>`)
    expect(await roleOf(id)).toBe('staff')
    expect(await accessAudit(id)).toHaveLength(0)
    // Confirmed, it takes effect and the whole Details tab comes back with the news.
    const confirmed = await change(admin, id, 'admin')
    expect(confirmed.status).toBe(200)
    const page = await confirmed.text()
    expect(page).toContain('<html')
    expect(page).toContain('Quinn Asker is now an admin.')
    expect(page).toContain('<strong id="access-level-value">Admin</strong>')
    expect(await roleOf(id)).toBe('admin')
  })
})

describe('making a staff member an admin', () => {
  it('promotes, ends their sessions, audits Staff → Admin, and they see the Staffs tab at their next login', async () => {
    const id = await signedUpStaff(admin, 'promoted@harbor.test', 'Priya')
    const member = await logIn(t, 'promoted@harbor.test', STRONG_PASSWORD)
    const before = await (await member.get('/portal')).text()
    expect(before).not.toContain('href="/staff"')
    expect((await member.get('/staff')).status).toBe(403)
    expect(await sessionsOf(id)).toHaveLength(1)
    const adminSessions = (await sessionsOf(harborAdminId)).length

    const response = await htmxChange(admin, id, 'admin')
    expect(response.status).toBe(200)
    const fragment = await response.text()
    expect(fragment).not.toContain('<html')
    expect(fragment.startsWith('<section class="subsection" id="access-level"')).toBe(true)
    expect(fragment).toContain('<strong id="access-level-value">Admin</strong>')
    expect(fragment).toContain('Priya Ellery is now an admin. Their open sessions were ended; they get admin access at their next login.')
    expect(fragment).toMatch(/>\s*Remove Admin\s*<\/button>/)

    expect(await roleOf(id)).toBe('admin')
    expect(await sessionsOf(id)).toHaveLength(0)
    // Only theirs: the admin who made the change is still signed in.
    expect(await sessionsOf(harborAdminId)).toHaveLength(adminSessions)
    const [row] = await accessAudit(id)
    const [adminAccount] = await t.db.select().from(accounts).where(eq(accounts.email, 'admin@harbor.test'))
    expect(row).toMatchObject({ detail: 'Staff → Admin', actorAccountId: adminAccount!.id, createdAt: t.clock.now() })
    expect(row!.practiceId).toBe((await t.db.select().from(staff).where(eq(staff.id, id)))[0]!.practiceId)

    // Their old session is gone; logging in again gives them the admin navigation.
    const stale = await member.get('/portal')
    expect(stale.status).toBe(303)
    expect(stale.headers.get('Location')).toMatch(/^\/login(\?|$)/)
    const again = t.agent()
    const login = await again.post('/login', { email: 'promoted@harbor.test', password: STRONG_PASSWORD })
    expect(login.headers.get('Location')).toBe('/staff')
    const list = await again.get('/staff')
    expect(list.status).toBe(200)
    const html = await list.text()
    expect(html).toContain('<a href="/staff" aria-current="true">Staffs</a>')
    expect(html).toContain('Priya')
    // Their Staffs list, search and count are their own practice's, not the other one's.
    expect(html).not.toContain('summit')
    const practiceId = (await t.db.select().from(staff).where(eq(staff.id, id)))[0]!.practiceId
    const harborCount = (await t.db.select().from(staff).where(eq(staff.practiceId, practiceId))).length
    expect(html).toContain(`${harborCount} staff members`)
    expect(await (await again.get('/staff?q=admin%40summit')).text()).toContain('No staff match')
  })

  it('changes nothing for a second click on a level already held', async () => {
    const id = await signedUpStaff(admin, 'twice@harbor.test', 'Tess')
    await change(admin, id, 'admin')
    await logIn(t, 'twice@harbor.test', STRONG_PASSWORD)
    const again = await htmxChange(admin, id, 'admin')
    expect(again.status).toBe(200)
    expect(await again.text()).toContain('Tess Ellery already has admin access.')
    expect(await accessAudit(id)).toHaveLength(1)
    expect(await sessionsOf(id)).toHaveLength(1)
  })
})

describe('taking admin access away', () => {
  it('demotes another admin after confirmation, ending their sessions', async () => {
    const id = await signedUpStaff(admin, 'demoted@harbor.test', 'Dana')
    await change(admin, id, 'admin')
    const demoted = await logIn(t, 'demoted@harbor.test', STRONG_PASSWORD)
    expect((await demoted.get('/staff')).status).toBe(200)

    const ask = await (await admin.post(`/staff/${id}/access-level`, { role: 'staff' })).text()
    expect(ask).toContain('<h1 id="confirm-heading">Remove admin access from Dana Ellery?</h1>')
    const response = await htmxChange(admin, id, 'staff')
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('Dana Ellery is no longer an admin.')
    expect(await roleOf(id)).toBe('staff')
    expect(await sessionsOf(id)).toHaveLength(0)
    expect((await accessAudit(id)).map((r) => r.detail)).toEqual(['Staff → Admin', 'Admin → Staff'])

    const back = await logIn(t, 'demoted@harbor.test', STRONG_PASSWORD)
    expect((await back.get('/staff')).status).toBe(403)
    expect(await (await back.get('/portal')).text()).not.toContain('href="/staff"')
  })

  it('never leaves the practice without an admin who can log in', async () => {
    // Harbor now has its first admin plus the admins promoted above; demote all but the first.
    const harborAdmins = await t.db
      .select({ id: staff.id })
      .from(staff)
      .where(
        and(
          eq(staff.role, 'admin'),
          eq(staff.practiceId, (await t.db.select().from(staff).where(eq(staff.id, harborAdminId)))[0]!.practiceId),
        ),
      )
    for (const { id } of harborAdmins) if (id !== harborAdminId) expect((await change(admin, id, 'staff')).status).toBe(200)
    const sessionsBefore = (await sessionsOf(harborAdminId)).length
    const auditBefore = (await accessAudit(harborAdminId)).length

    const refused = await htmxChange(admin, harborAdminId, 'staff')
    expect(refused.status).toBe(422)
    const html = await refused.text()
    expect(html).toContain(
      'A practice needs at least one admin who can log in. First make an admin of someone else who has a portal account.',
    )
    expect(html).toContain('role="alert"')
    expect(await roleOf(harborAdminId)).toBe('admin')
    expect(await sessionsOf(harborAdminId)).toHaveLength(sessionsBefore)
    expect(await accessAudit(harborAdminId)).toHaveLength(auditBefore)
    // The plain form gets the whole tab with the same message.
    const plain = await change(admin, harborAdminId, 'staff')
    expect(plain.status).toBe(422)
    expect(await plain.text()).toContain('<html')

    // Another practice's admins do not count: Summit has two, Harbor still one.
    const summitSecond = await signedUpStaff(otherAdmin, 'second@summit.test', 'Sol')
    expect((await change(otherAdmin, summitSecond, 'admin')).status).toBe(200)
    expect((await htmxChange(admin, harborAdminId, 'staff')).status).toBe(422)

    // An inactive admin does not count either: they cannot log in.
    const idle = await addStaff(admin, { firstName: 'Idle', lastName: 'Admin', email1: 'idle.admin@harbor.test' })
    expect((await change(admin, idle, 'admin')).status).toBe(200)
    expect(
      (await admin.post(`/staff/${idle}`, { firstName: 'Idle', lastName: 'Admin', email1: 'idle.admin@harbor.test', primaryEmail: '1' }))
        .status,
    ).toBe(303)
    expect((await htmxChange(admin, harborAdminId, 'staff')).status).toBe(422)
    // Nor one without a portal account yet, nor one whose portal access is disabled.
    const unsigned = await addStaff(admin, { firstName: 'Unsigned', lastName: 'Admin', email1: 'unsigned.admin@harbor.test' })
    expect((await change(admin, unsigned, 'admin')).status).toBe(200)
    expect((await htmxChange(admin, harborAdminId, 'staff')).status).toBe(422)
    const disabled = await signedUpStaff(admin, 'disabled.admin@harbor.test', 'Dee')
    expect((await change(admin, disabled, 'admin')).status).toBe(200)
    await t.db.update(accounts).set({ disabledAt: t.clock.now() }).where(eq(accounts.staffId, disabled))
    expect((await htmxChange(admin, harborAdminId, 'staff')).status).toBe(422)
    expect(await roleOf(harborAdminId)).toBe('admin')
    for (const id of [idle, unsigned, disabled]) expect((await change(admin, id, 'staff')).status).toBe(200)
  })

  it('lets an admin step down when another active admin remains, and logs them out', async () => {
    const id = await signedUpStaff(admin, 'successor@harbor.test', 'Sasha')
    await change(admin, id, 'admin')
    const successor = await logIn(t, 'successor@harbor.test', STRONG_PASSWORD)
    // The successor takes admin access away from the first admin, then tries to leave too.
    const own = await successor.post(`/staff/${harborAdminId}/access-level`, { role: 'staff' })
    expect(await own.text()).toContain('<h1 id="confirm-heading">Remove admin access from Practice Admin?</h1>')
    expect((await change(successor, harborAdminId, 'staff')).status).toBe(200)
    expect(await roleOf(harborAdminId)).toBe('staff')
    const self = await successor.post(`/staff/${id}/access-level`, { role: 'staff' })
    expect(await self.text()).toContain('<h1 id="confirm-heading">Remove your own admin access?</h1>')
    expect((await htmxChange(successor, id, 'staff')).status).toBe(422)

    // Give the first admin their access back; now the successor may step down, and is logged out.
    expect((await change(successor, harborAdminId, 'admin')).status).toBe(200)
    const steppedDown = await htmxChange(successor, id, 'staff')
    expect(steppedDown.status).toBe(204)
    expect(steppedDown.headers.get('HX-Redirect')).toMatch(/^\/login(\?|$)/)
    expect(await roleOf(id)).toBe('staff')
    expect((await successor.get('/staff')).headers.get('Location')).toMatch(/^\/login(\?|$)/)
    admin = await logIn(t, 'admin@harbor.test')
  })

  it('lets exactly one of two admins demoting each other at once succeed', async () => {
    const practiceId = (await t.db.select().from(staff).where(eq(staff.id, harborAdminId)))[0]!.practiceId
    const partner = await signedUpStaff(admin, 'partner@harbor.test', 'Pat')
    await change(admin, partner, 'admin')
    const others = await t.db
      .select({ id: staff.id })
      .from(staff)
      .where(and(eq(staff.practiceId, practiceId), eq(staff.role, 'admin'), eq(staff.isActive, true)))
    expect(others.map((o) => o.id).sort()).toEqual([harborAdminId, partner].sort())
    const [a, b] = await t.db
      .select()
      .from(accounts)
      .where(eq(accounts.practiceId, practiceId))
      .then((rows) => [rows.find((r) => r.staffId === harborAdminId)!, rows.find((r) => r.staffId === partner)!])
    const results = await Promise.all([
      setAccessLevel(t, { actor: { practiceId, accountId: a!.id, ip: '' }, staffId: partner, role: 'staff' }),
      setAccessLevel(t, { actor: { practiceId, accountId: b!.id, ip: '' }, staffId: harborAdminId, role: 'staff' }),
    ])
    expect(results.filter((r) => r.ok && r.changed)).toHaveLength(1)
    expect(results.filter((r) => !r.ok && r.reason === 'last-admin')).toHaveLength(1)
    const left = await t.db
      .select()
      .from(staff)
      .where(and(eq(staff.practiceId, practiceId), eq(staff.role, 'admin'), eq(staff.isActive, true)))
    expect(left).toHaveLength(1)
    await setAccessLevel(t, { actor: { practiceId, accountId: a!.id, ip: '' }, staffId: harborAdminId, role: 'admin' })
    admin = await logIn(t, 'admin@harbor.test')
  })
})

describe('tenancy and refusals', () => {
  it("answers 404 to another practice's admin and changes nothing there", async () => {
    const harborMember = await signedUpStaff(admin, 'walled@harbor.test', 'Wren')
    const harborSessions = (await sessionsOf(harborMember)).length
    await logIn(t, 'walled@harbor.test', STRONG_PASSWORD)
    for (const post of [
      () => change(otherAdmin, harborMember, 'admin'),
      () => htmxChange(otherAdmin, harborMember, 'admin'),
      () => otherAdmin.post(`/staff/${harborMember}/access-level`, { role: 'admin' }),
      () => change(otherAdmin, harborAdminId, 'staff'),
    ]) {
      const response = await post()
      expect(response.status).toBe(404)
      expect(await response.text()).not.toContain('Wren')
    }
    expect(await roleOf(harborMember)).toBe('staff')
    expect(await roleOf(harborAdminId)).toBe('admin')
    expect(await sessionsOf(harborMember)).toHaveLength(harborSessions + 1)
    expect(await accessAudit(harborMember)).toHaveLength(0)
    // The domain function says the same to a forged actor.
    const summitPractice = (await t.db.select().from(staff).where(eq(staff.id, summitAdminId)))[0]!.practiceId
    expect(
      await setAccessLevel(t, { actor: { practiceId: summitPractice, accountId: 'x', ip: '' }, staffId: harborMember, role: 'admin' }),
    ).toEqual({
      ok: false,
      reason: 'not-found',
    })
    // Audit rows stay with their practice.
    const summitRows = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.practiceId, summitPractice), eq(auditEvents.event, 'staff.access_changed')))
    const summitStaff = new Set(
      (await t.db.select({ id: staff.id }).from(staff).where(eq(staff.practiceId, summitPractice))).map((s) => s.id),
    )
    expect(summitRows.length).toBeGreaterThan(0)
    for (const row of summitRows) expect(summitStaff.has(row.targetStaffId!)).toBe(true)
  })

  it('refuses a staff member who is not an admin, and anyone signed out', async () => {
    const target = await addStaff(admin, { firstName: 'Target', lastName: 'Person', email1: 'target@harbor.test' })
    await signedUpStaff(admin, 'plain@harbor.test', 'Plain')
    const member = await logIn(t, 'plain@harbor.test', STRONG_PASSWORD)
    expect((await change(member, target, 'admin')).status).toBe(403)
    const anonymous = await t.agent().post(`/staff/${target}/access-level`, { role: 'admin', confirm: 'yes' })
    expect(anonymous.status).toBe(303)
    expect(anonymous.headers.get('Location')).toMatch(/^\/login(\?|$)/)
    expect(await roleOf(target)).toBe('staff')
  })

  it('answers bad input with a message, bad ids with 404, and a forged origin with 403', async () => {
    const target = await addStaff(admin, { firstName: 'Odd', lastName: 'Input', email1: 'odd@harbor.test' })
    const bad = await htmxChange(admin, target, 'owner')
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain('Choose Staff or Admin.')
    expect((await change(admin, 'not-an-id', 'admin')).status).toBe(404)
    expect((await change(admin, 'a'.repeat(16), 'admin')).status).toBe(404)
    const forged = await admin.request(`/staff/${target}/access-level`, {
      method: 'POST',
      body: new URLSearchParams({ role: 'admin', confirm: 'yes' }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
    })
    expect(forged.status).toBe(403)
    expect(await roleOf(target)).toBe('staff')
    // The staff form's role-free save cannot change it either.
    expect(
      (await admin.post(`/staff/${target}`, staffForm({ firstName: 'Odd', lastName: 'Input', email1: 'odd@harbor.test', role: 'admin' })))
        .status,
    ).toBe(303)
    expect(await roleOf(target)).toBe('staff')
  })
})
