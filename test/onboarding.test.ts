import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emailOutbox, invitations } from '../db/schema'
import type { Agent } from './support/agent'
import { addTwoPractices, createTestApp, logInBothAdmins, type TestApp } from './support/app'
import { DAY } from './support/clock'
import { addStaff, linkIn, pathOf, sendInvitation, staffForm, STRONG_PASSWORD } from './support/staff'

// The Staffs list for onboarding a whole practice: Status filter, Search on credentials and
// every address, Select All (page, and all matching), Invite Selected asking first, and the
// Onboarding summary.

let t: TestApp
let admin: Agent
let otherAdmin: Agent
const ids: Record<string, string> = {}

beforeAll(async () => {
  t = await createTestApp()
  await addTwoPractices(t)
  ;({ admin, otherAdmin } = await logInBothAdmins(t))
  ids.rbt = await addStaff(admin, {
    firstName: 'Rory',
    lastName: 'Banks',
    credentials: 'RBT',
    email1: 'rory@harbor.test',
    email2: 'rory.b@gmail.test',
  })
  ids.bcba = await addStaff(admin, { firstName: 'Bea', lastName: 'Cole', credentials: 'BCBA', email1: 'bea@harbor.test' })
  ids.pending = await addStaff(admin, { firstName: 'Pat', lastName: 'Dunn', credentials: 'SLP', email1: 'pat@harbor.test' })
  await sendInvitation(admin, ids.pending, 'pat@harbor.test')
  ids.expired = await addStaff(admin, { firstName: 'Eli', lastName: 'Ford', credentials: 'OT', email1: 'eli@harbor.test' })
  await sendInvitation(admin, ids.expired, 'eli@harbor.test')
  ids.signed = await addStaff(admin, { firstName: 'Sam', lastName: 'Gray', credentials: 'RBT', email1: 'sam@harbor.test' })
  await sendInvitation(admin, ids.signed, 'sam@harbor.test')
  const mail = t.devMailbox!.list().find((m) => m.to === 'sam@harbor.test')!
  await t.agent().post(pathOf(linkIn(mail.text)), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })
  ids.inactive = await addStaff(admin, { firstName: 'Ina', lastName: 'Hale', credentials: 'RBT', email1: 'ina@harbor.test', active: '' })
  // Eli's invitation runs out; Pat's is re-sent so it stays live.
  t.clock.advance(8 * DAY)
  ;({ admin, otherAdmin } = await logInBothAdmins(t))
  await sendInvitation(admin, ids.pending, 'pat@harbor.test')
  await addStaff(otherAdmin, { firstName: 'Rita', lastName: 'Elsewhere', credentials: 'RBT', email1: 'rita@summit.test' })
})
afterAll(() => t.cleanup())

const names = (html: string) => [...html.matchAll(/<th scope="row"><a href="\/staff\/[a-z2-7]{16}">([^<]+)<\/a>/g)].map((m) => m[1])

describe('the Status filter and Search', () => {
  it('offers the seven statuses in a select labelled "Status"', async () => {
    const html = await (await admin.get('/staff')).text()
    expect(html).toContain('<label for="staff-status">Status</label>')
    const options = [...html.matchAll(/<option value="([a-z-]*)"[^>]*>([^<]+)<\/option>/g)].map((m) => m[2])
    expect(options).toEqual([
      'Any status',
      'Yet to sign up',
      'Signup initiated',
      'Signed up',
      'Invitation expired',
      'Email not delivered',
      'Access disabled',
      'Inactive',
    ])
  })

  it('filters by each status, combined with Search', async () => {
    const list = async (query: string) => names(await (await admin.get(`/staff?${query}`)).text())
    expect(await list('status=signed-up')).toEqual(['Admin, Practice', 'Gray, Sam'])
    expect(await list('status=signup-initiated')).toEqual(['Dunn, Pat'])
    expect(await list('status=invitation-expired')).toEqual(['Ford, Eli'])
    expect(await list('status=inactive')).toEqual(['Hale, Ina'])
    expect(await list('status=yet-to-sign-up')).toEqual(['Banks, Rory', 'Cole, Bea', 'Ford, Eli', 'Hale, Ina'])
    expect(await list('q=rbt&status=yet-to-sign-up')).toEqual(['Banks, Rory', 'Hale, Ina'])
    expect(await list('q=rbt')).toEqual(['Banks, Rory', 'Gray, Sam', 'Hale, Ina'])
    expect(await list('status=nonsense')).toContain('Banks, Rory')
  })

  it('matches credentials and any address on file, never another practice', async () => {
    const list = async (q: string) => names(await (await admin.get(`/staff?q=${encodeURIComponent(q)}`)).text())
    expect(await list('bcb')).toEqual(['Cole, Bea'])
    expect(await list('rory.b@gm')).toEqual(['Banks, Rory'])
    expect(await list('rita')).toEqual([])
  })

  it('labels each row checkbox with the person\'s name and offers "Select All"', async () => {
    const html = await (await admin.get('/staff?q=rory')).text()
    expect(html).toContain(`name="staffId" value="${ids.rbt}" form="bulk-invite" aria-label="Rory Banks"`)
    expect(html).toMatch(
      /<input type="checkbox" name="scope" value="page" form="bulk-invite" data-select-all=""\/><span>Select All<\/span>/,
    )
  })
})

describe('the Onboarding summary', () => {
  it('counts each status as text, with a link to its filter, from the same round trip as the list', async () => {
    const html = await (await admin.get('/staff')).text()
    const region = html.slice(
      html.indexOf('<section class="onboarding"'),
      html.indexOf('</section>', html.indexOf('<section class="onboarding"')),
    )
    expect(region).toContain('<h2 id="onboarding-heading">Onboarding</h2>')
    const counts = Object.fromEntries(
      [...region.matchAll(/<a href="\/staff\?status=([a-z-]+)">([^:]+): <strong>(\d+)<\/strong>/g)].map((m) => [m[2], Number(m[3])]),
    )
    // The admin of Harbor has an account (signed up); Ina is inactive and not counted.
    expect(counts).toEqual({
      'Signed up': 2,
      'Signup initiated': 1,
      'Email not delivered': 0,
      'Invitation expired': 1,
      'Yet to sign up': 3,
    })
    expect(region).toContain('<svg class="onboarding-bar"')
    // Search as you type gets the rows only.
    expect(await (await admin.htmx('/staff?q=r')).text()).not.toContain('onboarding')
  })

  it('counts a live invitation whose email failed as "Email not delivered", still within "Signup initiated"', async () => {
    const [live] = await t.db
      .select({ id: invitations.id })
      .from(invitations)
      .where(eq(invitations.staffId, ids.pending!))
      .orderBy(desc(invitations.createdAt))
      .limit(1)
    await t.db.update(emailOutbox).set({ status: 'failed' }).where(eq(emailOutbox.refId, live!.id))
    const region = await (await admin.get('/staff')).text()
    const counts = Object.fromEntries(
      [...region.matchAll(/<a href="\/staff\?status=([a-z-]+)">([^:]+): <strong>(\d+)<\/strong>/g)].map((m) => [m[2], Number(m[3])]),
    )
    expect(counts).toEqual({
      'Signed up': 2,
      'Signup initiated': 1,
      'Email not delivered': 1,
      'Invitation expired': 1,
      'Yet to sign up': 3,
    })
    // The same people as the Status filter finds.
    expect(names(await (await admin.get('/staff?status=email-not-delivered')).text())).toEqual(['Dunn, Pat'])
    await t.db.update(emailOutbox).set({ status: 'sent' }).where(eq(emailOutbox.refId, live!.id))
  })
})

describe('Invite Selected', () => {
  it('asks "Send N Invitations" first, listing who is skipped and why, and sends nothing until confirmed', async () => {
    const body = { staffId: ids.rbt!, scope: 'page', pageStaffId: ids.bcba! } as Record<string, string>
    const before = (await t.db.select().from(invitations)).length
    const asked = await admin.post('/staff/invitations', body)
    const page = await asked.text()
    expect(page).toContain('<h1 id="confirm-heading">Send 2 invitations?</h1>')
    expect(page).toMatch(/data-confirm-button="">Send 2 Invitations<\/button>/)
    expect((await t.db.select().from(invitations)).length).toBe(before)

    const overHtmx = await admin.post(
      '/staff/invitations',
      { staffId: ids.signed!, pageStaffId: ids.pending!, scope: 'page' },
      { 'HX-Request': 'true' },
    )
    expect(overHtmx.headers.get('HX-Retarget')).toBe(null) // nobody to invite: the result, no question
    expect(await overHtmx.text()).toContain('Sam Gray: skipped, already signed up')
  })

  it('with "Select all N matching" selects by the filter on the server, not by ids', async () => {
    const asked = await (await admin.post('/staff/invitations', { scope: 'matching', q: 'rbt', status: '', mode: 'invite' })).text()
    expect(asked).toContain('Send 1 invitation?')
    expect(asked).toContain('Sam Gray: already signed up')
    expect(asked).toContain('Ina Hale: inactive')
    expect(asked).toContain('<input type="hidden" name="scope" value="matching"/><input type="hidden" name="q" value="rbt"/>')
    const done = await (
      await admin.post('/staff/invitations', { scope: 'matching', q: 'rbt', status: '', mode: 'invite', confirm: 'yes' })
    ).text()
    expect(done).toContain('1 invitation sent')
    expect(done).toContain('Rory Banks</a> (rory@harbor.test): <span class="delivery delivery-pending">sending</span>')
    await t.settle()
    const [row] = await t.db.select().from(invitations).where(eq(invitations.staffId, ids.rbt!))
    expect(row!.batchId).toMatch(/^[a-z2-7]{16}$/)
    const batch = await (await admin.get(`/staff/invitations/batches/${row!.batchId}`)).text()
    expect(batch).toContain('<span class="delivery delivery-sent">sent</span>')
    expect(batch).not.toContain('hx-trigger="every 2s"')
    expect((await otherAdmin.get(`/staff/invitations/batches/${row!.batchId}`)).status).toBe(404)
  })

  it('"Resend to all pending or expired" sends fresh links to those only', async () => {
    const asked = await (await admin.post('/staff/invitations', { scope: 'matching', q: '', status: '', mode: 'resend' })).text()
    expect(asked).toMatch(/Send (\d+) invitations\?/)
    expect(asked).toContain('Bea Cole: nothing pending or expired')
    expect(asked).toContain('Sam Gray: already signed up')
    expect(asked).not.toContain('Pat Dunn:')
    expect(asked).not.toContain('Eli Ford:')
    const eliBefore = await t.db.select().from(invitations).where(eq(invitations.staffId, ids.expired!))
    await admin.post('/staff/invitations', { scope: 'matching', q: '', status: '', mode: 'resend', confirm: 'yes' })
    await t.settle()
    const eliAfter = await t.db.select().from(invitations).where(eq(invitations.staffId, ids.expired!))
    expect(eliAfter.length).toBe(eliBefore.length + 1)
    const live = await t.db
      .select()
      .from(invitations)
      .where(and(inArray(invitations.staffId, [ids.pending!, ids.expired!]), isNotNull(invitations.batchId)))
    expect(live.map((i) => i.email).sort()).toEqual(['eli@harbor.test', 'pat@harbor.test'])
    const outbox = await t.db
      .select()
      .from(emailOutbox)
      .where(
        inArray(
          emailOutbox.refId,
          live.map((i) => i.id),
        ),
      )
    expect(outbox.map((o) => o.status)).toEqual(['sent', 'sent'])
  })

  it('refuses an empty selection beside the button', async () => {
    const response = await admin.post('/staff/invitations', {}, { 'HX-Request': 'true' })
    expect(response.status).toBe(422)
    expect(await response.text()).toContain('Select at least one staff member to invite.')
  })
})

describe('Save and Invite, and the actions that fit the state', () => {
  it('saves, invites at the primary address and lands on the Staff Portal tab, which offers Resend and Revoke only', async () => {
    const form = await (await admin.get('/staff/new')).text()
    expect(form).toMatch(/>Save<\/button><button type="submit" class="button" name="then" value="invite">Save and Invite<\/button>/)
    const response = await admin.post('/staff', {
      ...staffForm({ firstName: 'Nia', lastName: 'Quick', email1: 'nia.other@harbor.test', email2: 'nia@harbor.test', primaryEmail: '2' }),
      then: 'invite',
    })
    expect(response.status).toBe(303)
    const location = response.headers.get('Location')!
    expect(location).toMatch(/^\/staff\/[a-z2-7]{16}\/portal\?saved&invited=sent$/)
    expect(t.devMailbox!.list()[0]!.to).toBe('nia@harbor.test')
    const tab = await (await admin.get(location)).text()
    expect(tab).toContain('Saved. The invitation was sent to their primary address.')
    expect(tab).toMatch(/id="portal-status">Signup initiated</)
    expect(tab).toContain('>Resend</button>')
    expect(tab).toContain('>Revoke</button>')
    expect(tab).not.toContain('>Send Invitation</button>')
    // Edit has no Save and Invite.
    const id = /\/staff\/([a-z2-7]{16})\//.exec(location)![1]
    expect(await (await admin.get(`/staff/${id}/edit`)).text()).not.toContain('Save and Invite')
  })

  it('a profile with nothing pending offers Send Invitation, not Resend or Revoke', async () => {
    const tab = await (await admin.get(`/staff/${ids.bcba}/portal`)).text()
    expect(tab).toContain('>Send Invitation</button>')
    expect(tab).not.toContain('>Resend</button>')
    expect(tab).not.toContain('>Revoke</button>')
  })
})

describe('Export CSV on Staffs', () => {
  it('downloads the current filter with every address, and defuses cells a spreadsheet would run', async () => {
    await addStaff(admin, { firstName: '=HYPERLINK("http://x")', lastName: 'Formula', credentials: '+RBT', email1: 'formula@harbor.test' })
    const list = await (await admin.get('/staff?q=rbt&status=yet-to-sign-up')).text()
    expect(list).toContain('href="/staff/export.csv?q=rbt&amp;status=yet-to-sign-up" download="">Export CSV</a>')
    const response = await admin.get('/staff/export.csv?q=rbt')
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('Content-Disposition')).toBe('attachment; filename="staff.csv"')
    const text = await response.text()
    const lines = text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
    expect(lines[0]).toBe(
      '"First Name","Last Name","Credentials","Email","Email 2","Email 3","Phone","Access Level","Active","Portal Status"',
    )
    expect(lines).toContain('"Rory","Banks","RBT","rory@harbor.test","rory.b@gmail.test","","","Staff","Yes","Signup initiated"')
    expect(lines.some((l) => l.startsWith('"Ina","Hale"'))).toBe(true)
    expect(lines.some((l) => l.includes('Elsewhere'))).toBe(false)
    const injected = await (await admin.get('/staff/export.csv?q=formula')).text()
    expect(injected).toContain('"\'=HYPERLINK(""http://x"")","Formula","\'+RBT"')
  })
})
