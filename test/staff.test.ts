import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditEvents, staff, staffEmails } from '../db/schema'
import { MAX_BODY_BYTES } from '../src/app'
import type { Agent } from './support/agent'
import { addPractice, createTestApp, logIn, type TestApp, addTwoPractices, logInBothAdmins } from './support/app'
import { staffForm } from './support/staff'

let t: TestApp
let admin: Agent
let otherAdmin: Agent

beforeAll(async () => {
  t = await createTestApp()
  await addTwoPractices(t)
  ;({ admin, otherAdmin } = await logInBothAdmins(t))
})
afterAll(() => t.cleanup())

const person = (overrides: Record<string, string> = {}) =>
  staffForm({ phone: '(555) 010-2233', email1: 'maya.okafor@harbor.test', ...overrides })

async function addStaff(agent: Agent, fields: Record<string, string>) {
  const response = await agent.post('/staff', fields)
  expect(response.status, await response.clone().text()).toBe(303)
  return response.headers
    .get('Location')!
    .replace(/^\/staff\//, '')
    .replace(/\?.*$/, '')
}

describe('access', () => {
  it('sends a visitor without a session to the login page', async () => {
    const response = await t.agent().get('/staff')
    expect(response.status).toBe(303)
    expect(response.headers.get('Location')).toMatch(/^\/login(\?|$)/)
  })

  it('tells htmx to go to the login page instead of swapping one into the table', async () => {
    const response = await t.agent().htmx('/staff?q=a')
    expect(response.status).toBe(401)
    expect(response.headers.get('HX-Redirect')).toMatch(/^\/login(\?|$)/)
  })

  it('marks signed-in pages no-store and sends the security headers', async () => {
    const response = await admin.get('/staff')
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(response.headers.get('Referrer-Policy')).toBe('same-origin')
    expect(response.headers.get('Strict-Transport-Security')).toBe('max-age=31536000; includeSubDomains')
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff')
    const csp = response.headers.get('Content-Security-Policy')!
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("base-uri 'none'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(await response.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
  })
})

describe('adding and editing staff', () => {
  it('adds a profile with up to three addresses and shows it', async () => {
    const id = await addStaff(admin, person({ email2: 'Maya@Home.test', primaryEmail: '2' }))
    const emails = await t.db.select().from(staffEmails).where(eq(staffEmails.staffId, id))
    expect(emails.map((e) => [e.email, e.isPrimary])).toEqual([
      ['maya.okafor@harbor.test', false],
      ['maya@home.test', true],
    ])
    const html = await (await admin.get(`/staff/${id}?saved`)).text()
    expect(html).toContain('Maya Okafor')
    expect(html).toContain('BCBA')
    expect(html).toContain('Saved.')
    expect(html).toContain('href="/staff/' + id + '/portal">Staff Portal</a>')
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.event, 'staff.created'), eq(auditEvents.targetStaffId, id)))
    expect(audit).toBeDefined()
  })

  it('keeps every value and puts each message beside its field when input is bad', async () => {
    const response = await admin.post('/staff', person({ firstName: '  ', email1: 'not-an-email', phone: 'call me', credentials: 'BCBA' }))
    expect(response.status).toBe(422)
    const html = await response.text()
    expect(html).toMatch(/id="field-firstName-error">Enter a first name\./)
    expect(html).toMatch(/id="field-email1-error">Enter an email address like name@example\.com\./)
    expect(html).toMatch(/id="field-phone-error">Enter a phone number/)
    expect(html).toContain('value="not-an-email"')
    expect(html).toContain('value="Okafor"')
    expect(html).toContain('value="call me"')
    expect(html).toContain('aria-invalid="true"')
  })

  it('needs at least one address and refuses the same address twice', async () => {
    const none = await admin.post('/staff', person({ email1: '' }))
    expect(none.status).toBe(422)
    expect(await none.text()).toContain('Enter at least one email address.')
    const twice = await admin.post('/staff', person({ email1: 'same@harbor.test', email2: 'SAME@harbor.test' }))
    expect(twice.status).toBe(422)
    expect(await twice.text()).toMatch(/id="field-email2-error">This address is already listed above\./)
  })

  it('refuses an address another staff member of the practice has, beside that field', async () => {
    await addStaff(admin, person({ firstName: 'Dup', lastName: 'Source', email1: 'taken@harbor.test' }))
    const response = await admin.post(
      '/staff',
      person({ firstName: 'Dup', lastName: 'Copy', email1: 'fresh@harbor.test', email2: 'Taken@Harbor.test' }),
    )
    expect(response.status).toBe(422)
    const html = await response.text()
    expect(html).toMatch(/id="field-email2-error">Another staff member in your practice already uses this address\./)
    expect(html).not.toContain('field-email1-error')
    const copies = await t.db.select().from(staff).where(eq(staff.lastName, 'Copy'))
    expect(copies).toHaveLength(0)
  })

  it('lets another practice use the same address', async () => {
    await addStaff(otherAdmin, person({ firstName: 'Other', lastName: 'Practice', email1: 'taken@harbor.test' }))
  })

  it('stores Unicode names as typed and escapes markup when showing them', async () => {
    const id = await addStaff(
      admin,
      person({ firstName: 'Zoë <script>alert(1)</script>', lastName: 'Nguyễn-Søren', email1: 'zoe@harbor.test' }),
    )
    const html = await (await admin.get(`/staff/${id}`)).text()
    expect(html).toContain('Zoë &lt;script&gt;alert(1)&lt;/script&gt; Nguyễn-Søren')
    expect(html).not.toContain('<script>alert(1)</script>')
  })

  it('refuses overlong fields with a message, not an error page', async () => {
    const response = await admin.post('/staff', person({ lastName: 'x'.repeat(101) }))
    expect(response.status).toBe(422)
    expect(await response.text()).toContain('Last name must be 100 characters or fewer.')
  })

  it('refuses a 1 MB body with 413 and a page that says why', async () => {
    const response = await admin.post('/staff', person({ lastName: 'x'.repeat(1024 * 1024) }))
    expect(response.status).toBe(413)
    expect(await response.text()).toContain('larger than we accept')
    expect(MAX_BODY_BYTES).toBeLessThan(1024 * 1024)
  })

  it('treats wrong types and unknown fields as text and validates them', async () => {
    const form = new FormData()
    form.set('firstName', new File(['binary'], 'name.bin'))
    form.set('lastName', 'Okafor')
    form.set('email1', 'file@harbor.test')
    form.set('role', 'admin')
    const response = await admin.request('/staff', { method: 'POST', body: form, headers: { Origin: 'http://localhost' } })
    expect(response.status).toBe(422)
    expect(await response.text()).toContain('Enter a first name.')
  })

  it('edits a profile, replacing its addresses', async () => {
    const id = await addStaff(admin, person({ firstName: 'Edit', lastName: 'Me', email1: 'edit.me@harbor.test' }))
    const form = await (await admin.get(`/staff/${id}/edit`)).text()
    expect(form).toContain('value="edit.me@harbor.test"')
    const response = await admin.post(
      `/staff/${id}`,
      person({
        firstName: 'Edited',
        lastName: 'Me',
        credentials: 'SLP',
        email1: 'edited@harbor.test',
        email2: 'edit.me@harbor.test',
        primaryEmail: '2',
      }),
    )
    expect(response.status).toBe(303)
    const [row] = await t.db.select().from(staff).where(eq(staff.id, id))
    expect(row).toMatchObject({ firstName: 'Edited', credentials: 'SLP' })
    const emails = await t.db.select().from(staffEmails).where(eq(staffEmails.staffId, id))
    expect(emails.map((e) => `${e.email}${e.isPrimary ? '*' : ''}`).sort()).toEqual(['edit.me@harbor.test*', 'edited@harbor.test'])
  })

  it('marks a profile inactive when the box is unticked', async () => {
    const id = await addStaff(admin, person({ firstName: 'Gone', lastName: 'Away', email1: 'gone@harbor.test', active: '' }))
    const [row] = await t.db.select().from(staff).where(eq(staff.id, id))
    expect(row!.isActive).toBe(false)
  })
})

describe('the Staffs list', () => {
  let listAdmin: Agent
  beforeAll(async () => {
    await addPractice(t, 'Big Practice', 'admin@big.test')
    listAdmin = await logIn(t, 'admin@big.test')
    // 30 more people with last names that sort in a known order.
    for (let i = 0; i < 30; i++) {
      const n = String(i).padStart(2, '0')
      await addStaff(listAdmin, person({ firstName: `First${n}`, lastName: `Last${n}`, email1: `person${n}@big.test` }))
    }
  })

  it('shows 25 a page sorted by last name, with pages', async () => {
    const html = await (await listAdmin.get('/staff')).text()
    const names = [...html.matchAll(/>(Last\d\d|Admin), (First\d\d|Practice)</g)].map((m) => m[1])
    expect(names).toHaveLength(25)
    expect(names[0]).toBe('Admin')
    expect(names.slice(1)).toEqual(Array.from({ length: 24 }, (_, i) => `Last${String(i).padStart(2, '0')}`))
    expect(html).toContain('31 staff members')
    expect(html).toContain('Page 1 of 2')
    const second = await (await listAdmin.get('/staff?page=2')).text()
    expect([...second.matchAll(/>(Last\d\d), /g)].map((m) => m[1])).toEqual(['Last24', 'Last25', 'Last26', 'Last27', 'Last28', 'Last29'])
  })

  it('shows name, credentials, primary email and portal status', async () => {
    const html = await (await listAdmin.get('/staff?q=last00')).text()
    expect(html).toContain('Last00, First00')
    expect(html).toContain('<td data-label="Credentials">BCBA</td>')
    expect(html).toContain('<td data-label="Primary email" class="cell-email">person00@big.test</td>')
    expect(html).toContain('Yet to sign up')
    const self = await (await listAdmin.get('/staff?q=admin')).text()
    expect(self).toContain('Signed up')
  })

  it('filters by name or email prefix', async () => {
    const byName = await (await listAdmin.get('/staff?q=Last1')).text()
    expect([...byName.matchAll(/>(Last\d\d), /g)].map((m) => m[1])).toEqual(Array.from({ length: 10 }, (_, i) => `Last1${i}`))
    const byFull = await (await listAdmin.get('/staff?q=first05%20last0')).text()
    expect(byFull).toContain('1 staff member matching')
    const byEmail = await (await listAdmin.get('/staff?q=person29%40')).text()
    expect([...byEmail.matchAll(/>(Last\d\d), /g)].map((m) => m[1])).toEqual(['Last29'])
    const wildcard = await (await listAdmin.get('/staff?q=%25')).text()
    expect(wildcard).toContain('No staff match')
  })

  it('answers an htmx search with the rows alone', async () => {
    const response = await listAdmin.htmx('/staff?q=Last2')
    expect(response.status).toBe(200)
    expect(response.headers.get('Vary')).toContain('HX-Request')
    const html = await response.text()
    expect(html.startsWith('<div id="staff-results">')).toBe(true)
    expect(html).toContain(
      '<p class="results-count" id="results-count" role="status" hx-swap-oob="true">10 staff members matching “Last2”</p>',
    )
    expect(html).not.toContain('<html')
    expect([...html.matchAll(/>(Last\d\d), /g)]).toHaveLength(10)
  })

  it('copes with nonsense paging and huge queries', async () => {
    expect((await listAdmin.get('/staff?page=-3')).status).toBe(200)
    expect((await listAdmin.get('/staff?page=abc')).status).toBe(200)
    expect((await listAdmin.get(`/staff?q=${'z'.repeat(5000)}`)).status).toBe(200)
    const beyond = await (await listAdmin.get('/staff?page=99')).text()
    expect(beyond).toContain('Page 99 of 2')
  })
})

describe('tenancy', () => {
  let harborId: string
  beforeAll(async () => {
    harborId = await addStaff(admin, person({ firstName: 'Private', lastName: 'Harborite', email1: 'private@harbor.test' }))
  })

  it("answers 404 to another practice's admin for every page of a profile", async () => {
    for (const path of [`/staff/${harborId}`, `/staff/${harborId}/edit`, `/staff/${harborId}/portal`]) {
      const response = await otherAdmin.get(path)
      expect(response.status, path).toBe(404)
      expect(await response.text()).not.toContain('Harborite')
    }
  })

  it("cannot change another practice's profile", async () => {
    const response = await otherAdmin.post(`/staff/${harborId}`, person({ firstName: 'Hijacked', email1: 'hijack@summit.test' }))
    expect(response.status).toBe(404)
    const [row] = await t.db.select().from(staff).where(eq(staff.id, harborId))
    expect(row!.firstName).toBe('Private')
    const emails = await t.db.select().from(staffEmails).where(eq(staffEmails.staffId, harborId))
    expect(emails.map((e) => e.email)).toEqual(['private@harbor.test'])
  })

  it("never lists or finds another practice's staff", async () => {
    const list = await (await otherAdmin.get('/staff')).text()
    expect(list).not.toContain('Harborite')
    const search = await (await otherAdmin.get('/staff?q=private')).text()
    expect(search).toContain('No staff match')
  })

  it('answers 404 to ids that are not ids', async () => {
    for (const path of ['/staff/nope', '/staff/..%2F..%2Fetc', `/staff/${'A'.repeat(16)}/portal`])
      expect((await admin.get(path)).status, path).toBe(404)
  })
})

describe('the Staff Portal tab', () => {
  it('shows the addresses on file and "Yet to sign up" for someone without an account', async () => {
    const id = await addStaff(
      admin,
      person({ firstName: 'Portal', lastName: 'Person', email1: 'portal@harbor.test', email2: 'portal.home@harbor.test' }),
    )
    const html = await (await admin.get(`/staff/${id}/portal`)).text()
    expect(html).toContain('aria-current="page">Staff Portal</a>')
    expect(html).toContain('portal@harbor.test')
    expect(html).toContain('portal.home@harbor.test')
    expect(html).toMatch(/id="portal-status">Yet to sign up</)
  })

  it('reads "Signed up" for someone with an account', async () => {
    const list = await (await admin.get('/staff?q=admin%40harbor')).text()
    const id = /href="\/staff\/([a-z2-7]{16})"/.exec(list)![1]
    const html = await (await admin.get(`/staff/${id}/portal`)).text()
    expect(html).toMatch(/id="portal-status">Signed up</)
  })
})
