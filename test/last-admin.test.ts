// Rule "a practice keeps an admin who can log in": no path (Edit → inactive, Disable Portal
// Access, Remove Admin, or two admins acting at once) leaves a practice without an active admin
// whose portal access is enabled. Each check is part of the write's own condition.
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { accounts, auditEvents, staff, staffEmails } from '../db/schema'
import { hashPassword } from '../src/auth/password'
import { generateId } from '../src/ids'
import type { Actor } from '../src/audit/audit'
import { setAccessLevel } from '../src/staff/access-level'
import { changePortalAccess } from '../src/staff/portal-access'
import { saveStaff } from '../src/staff-form/save-staff'
import { staffInputSchema } from '../src/staff/staff-input'
import type { Agent } from './support/agent'
import { addPractice, createTestApp, HARBOR, logIn, type TestApp } from './support/app'
import { addStaff, staffForm, STRONG_PASSWORD } from './support/staff'

const LAST_ADMIN_ACTIVE = 'This is the only admin who can log in. Make someone else an admin before marking this profile inactive.'

let t: TestApp
let admin: Agent
let practiceId: string
let adminStaffId: string
let adminAccountId: string
let passwordHash: string

beforeAll(async () => {
  t = await createTestApp()
  await addPractice(t, HARBOR.name, HARBOR.adminEmail)
  const [account] = await t.db.select().from(accounts).where(eq(accounts.email, HARBOR.adminEmail))
  ;({ practiceId, staffId: adminStaffId, id: adminAccountId } = account!)
  passwordHash = await hashPassword(STRONG_PASSWORD)
  admin = await logIn(t, HARBOR.adminEmail)
})
afterAll(() => t.cleanup())

const actorOf = (accountId: string): Actor => ({ practiceId, accountId, ip: '' })
const adminForm = (overrides: Record<string, string> = {}) =>
  staffForm({ firstName: 'Practice', lastName: 'Admin', credentials: '', email1: HARBOR.adminEmail, ...overrides })
const isActive = async (staffId: string) => (await t.db.select({ a: staff.isActive }).from(staff).where(eq(staff.id, staffId)))[0]!.a
const isDisabled = async (staffId: string) =>
  (await t.db.select({ d: accounts.disabledAt }).from(accounts).where(eq(accounts.staffId, staffId)))[0]!.d !== null
const inactiveInput = (email: string, firstName: string) =>
  staffInputSchema.parse(staffForm({ firstName, lastName: 'Partner', email1: email, active: '' }))

/** A second admin with a portal account; returns its staff and account ids. */
async function addPartnerAdmin(email: string) {
  const staffId = await addStaff(admin, { firstName: 'Pat', lastName: 'Partner', email1: email })
  const accountId = generateId()
  const now = t.clock.now()
  await t.db.insert(accounts).values({ id: accountId, practiceId, staffId, email, passwordHash, passwordChangedAt: now, createdAt: now })
  const made = await setAccessLevel(t, { actor: actorOf(adminAccountId), staffId, role: 'admin' })
  expect(made.ok).toBe(true)
  return { staffId, accountId }
}

/** Back to one active admin with access: the first. */
async function onlyTheFirstAdmin() {
  await t.db.update(staff).set({ isActive: true }).where(eq(staff.id, adminStaffId))
  await t.db.update(accounts).set({ disabledAt: null }).where(eq(accounts.staffId, adminStaffId))
  await t.db
    .update(staff)
    .set({ role: 'staff' })
    .where(and(eq(staff.practiceId, practiceId), eq(staff.role, 'admin'), eq(staff.isActive, true)))
  await t.db.update(staff).set({ role: 'admin' }).where(eq(staff.id, adminStaffId))
  admin = await logIn(t, HARBOR.adminEmail)
}

describe('the last admin who can log in', () => {
  beforeEach(onlyTheFirstAdmin)

  it('cannot mark their own profile inactive with Edit: the message sits beside Active, nothing is saved', async () => {
    const auditBefore = await t.db.select().from(auditEvents).where(eq(auditEvents.targetStaffId, adminStaffId))
    const response = await admin.post(`/staff/${adminStaffId}`, adminForm({ firstName: 'Renamed', active: '' }))
    expect(response.status).toBe(422)
    const html = await response.text()
    expect(html).toContain(LAST_ADMIN_ACTIVE)
    expect(html).toContain('value="Renamed"')
    expect(await isActive(adminStaffId)).toBe(true)
    const [row] = await t.db.select().from(staff).where(eq(staff.id, adminStaffId))
    expect(row!.firstName).toBe('Practice')
    expect(await t.db.select().from(staffEmails).where(eq(staffEmails.staffId, adminStaffId))).toHaveLength(1)
    expect(await t.db.select().from(auditEvents).where(eq(auditEvents.targetStaffId, adminStaffId))).toHaveLength(auditBefore.length)
    // Other edits of the same profile still save.
    expect((await admin.post(`/staff/${adminStaffId}`, adminForm({ credentials: 'LCSW' }))).status).toBe(303)
  })

  it('can be marked inactive once another admin can log in', async () => {
    const partner = await addPartnerAdmin('pat.one@harbor.test')
    expect(
      (
        await admin.post(
          `/staff/${partner.staffId}`,
          staffForm({ firstName: 'Pat', lastName: 'Partner', email1: 'pat.one@harbor.test', active: '' }),
        )
      ).status,
    ).toBe(303)
    expect(await isActive(partner.staffId)).toBe(false)
    // Now the first admin is the last one again.
    expect((await admin.post(`/staff/${adminStaffId}`, adminForm({ active: '' }))).status).toBe(422)
  })

  it('cannot have their portal access disabled', async () => {
    const response = await admin.post(
      `/staff/${adminStaffId}/portal/access`,
      { action: 'disable', confirm: 'yes' },
      { 'HX-Request': 'true' },
    )
    expect(response.status).toBe(422)
    expect(await isDisabled(adminStaffId)).toBe(false)
  })

  it('lets exactly one of two admins marking each other inactive at once succeed', async () => {
    const partner = await addPartnerAdmin('pat.two@harbor.test')
    const results = await Promise.all([
      saveStaff(t, { actor: actorOf(adminAccountId), staffId: partner.staffId, staff: inactiveInput('pat.two@harbor.test', 'Pat') }),
      saveStaff(t, {
        actor: actorOf(partner.accountId),
        staffId: adminStaffId,
        staff: staffInputSchema.parse(adminForm({ active: '' })),
      }),
    ])
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok && 'reason' in r && r.reason === 'last-admin')).toHaveLength(1)
    expect([await isActive(adminStaffId), await isActive(partner.staffId)].filter(Boolean)).toHaveLength(1)
  })

  it('lets exactly one of two admins disabling each other at once succeed', async () => {
    const partner = await addPartnerAdmin('pat.three@harbor.test')
    const results = await Promise.all([
      changePortalAccess(t, { actor: actorOf(adminAccountId), staffId: partner.staffId, action: 'disable' }),
      changePortalAccess(t, { actor: actorOf(partner.accountId), staffId: adminStaffId, action: 'disable' }),
    ])
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok && r.reason === 'last-admin')).toHaveLength(1)
    expect([await isDisabled(adminStaffId), await isDisabled(partner.staffId)].filter(Boolean)).toHaveLength(1)
  })

  it('lets exactly one succeed when one admin deactivates the other while that one disables the first', async () => {
    const partner = await addPartnerAdmin('pat.four@harbor.test')
    const results = await Promise.all([
      saveStaff(t, { actor: actorOf(adminAccountId), staffId: partner.staffId, staff: inactiveInput('pat.four@harbor.test', 'Pat') }),
      changePortalAccess(t, { actor: actorOf(partner.accountId), staffId: adminStaffId, action: 'disable' }),
    ])
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    const partnerCanLogIn = (await isActive(partner.staffId)) && !(await isDisabled(partner.staffId))
    const firstCanLogIn = (await isActive(adminStaffId)) && !(await isDisabled(adminStaffId))
    expect([partnerCanLogIn, firstCanLogIn].filter(Boolean)).toHaveLength(1)
  })
})
