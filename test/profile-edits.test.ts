import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, auditEvents, invitations, staff, staffEmails } from '../db/schema'
import { acceptInvitation, findInvitationByToken } from '../src/invitations/accept'
import type { Agent } from './support/agent'
import { addTwoPractices, createTestApp, logInBothAdmins, type TestApp } from './support/app'
import { addStaff, linkIn, pathOf, sendInvitation, staffForm, STRONG_PASSWORD } from './support/staff'

// Issue 12 item 6: an invitation must not outlive the address or the active profile it was for.

let t: TestApp
let admin: Agent
let otherAdmin: Agent

beforeAll(async () => {
  t = await createTestApp()
  await addTwoPractices(t)
  ;({ admin, otherAdmin } = await logInBothAdmins(t))
})
afterAll(() => t.cleanup())

const lastMail = () => t.devMailbox!.list()[0]!
const invitationRows = (staffId: string) => t.db.select().from(invitations).where(eq(invitations.staffId, staffId))
const revokedAudits = (staffId: string) =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetStaffId, staffId), eq(auditEvents.event, 'invitation.revoked')))
const accountOf = (staffId: string) => t.db.select().from(accounts).where(eq(accounts.staffId, staffId))
const createAccount = (link: string) => t.agent().post(pathOf(link), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })

/** A profile with an invitation pending to `address`, and the emailed link. */
async function invited(first: string, address: string, extra: Record<string, string> = {}) {
  const id = await addStaff(admin, { firstName: first, email1: address, ...extra })
  const sent = await sendInvitation(admin, id, address)
  if (sent.status !== 200) throw new Error(`invitation failed with ${sent.status}`)
  return { id, link: linkIn(lastMail().text) }
}

describe('removing an address from a profile', () => {
  it('revokes the pending invitation to it in the same save, audited with why, and its link creates nothing', async () => {
    const { id, link } = await invited('Typo', 'typo@harobr.test')
    const saved = await admin.post(`/staff/${id}`, staffForm({ firstName: 'Typo', email1: 'typo@harbor.test' }))
    expect(saved.status).toBe(303)

    const [row] = await invitationRows(id)
    expect(row!.revokedAt).toEqual(t.clock.now())
    const [audit] = await revokedAudits(id)
    expect(audit).toMatchObject({ detail: 'to typo@harobr.test: the address was removed from the profile' })
    expect(audit!.actorAccountId).toMatch(/^[a-z2-7]{16}$/)

    const opened = await t.agent().get(pathOf(link))
    expect(opened.status).toBe(410)
    expect(await opened.text()).toContain('This invitation is no longer valid')
    const posted = await createAccount(link)
    expect(posted.status).toBe(410)
    expect(await accountOf(id)).toHaveLength(0)
  })

  it('shows the revocation and its reason in the invitation history of the Staff Portal tab', async () => {
    const { id } = await invited('History', 'history@harobr.test')
    await admin.post(`/staff/${id}`, staffForm({ firstName: 'History', email1: 'history@harbor.test' }))
    const tab = await (await admin.get(`/staff/${id}/portal`)).text()
    expect(tab).toMatch(
      /<td data-label="To" class="cell-email">history@harobr.test<\/td>.*Revoked: the address was removed from the profile/s,
    )
    expect(tab).toMatch(/id="portal-status">Yet to sign up</)
  })

  it('leaves an invitation to an address that stays on the profile alone', async () => {
    const { id, link } = await invited('Keeper', 'keeper@harbor.test')
    await admin.post(
      `/staff/${id}`,
      staffForm({ firstName: 'Keeper', lastName: 'Renamed', email1: 'keeper@harbor.test', email2: 'k2@harbor.test' }),
    )
    expect((await invitationRows(id))[0]!.revokedAt).toBeNull()
    expect(await revokedAudits(id)).toHaveLength(0)
    expect((await createAccount(link)).status).toBe(303)
  })
})

describe('making a profile inactive', () => {
  it('revokes its pending invitation, audited with why', async () => {
    const { id, link } = await invited('Leaving', 'leaving@harbor.test')
    const saved = await admin.post(`/staff/${id}`, staffForm({ firstName: 'Leaving', email1: 'leaving@harbor.test', active: '' }))
    expect(saved.status).toBe(303)
    expect((await invitationRows(id))[0]!.revokedAt).toEqual(t.clock.now())
    const [audit] = await revokedAudits(id)
    expect(audit).toMatchObject({ detail: 'to leaving@harbor.test: the profile was made inactive' })
    const tab = await (await admin.get(`/staff/${id}/portal`)).text()
    expect(tab).toContain('Revoked: the profile was made inactive')
    const posted = await createAccount(link)
    expect(posted.status).toBe(410)
    expect(await accountOf(id)).toHaveLength(0)
  })
})

describe('Create Account re-checks the profile as part of its write', () => {
  // Rows changed behind the app's back stand for an edit that lands between the page and its post
  // (or data written before revocation existed): the check must be in the write itself.
  it('refuses when the address is no longer on the profile, even with the invitation still pending', async () => {
    const { id, link } = await invited('Racer', 'racer@harbor.test')
    await t.db.update(staffEmails).set({ email: 'racer.new@harbor.test' }).where(eq(staffEmails.staffId, id))
    const posted = await createAccount(link)
    expect(posted.status).toBe(410)
    expect(await posted.text()).toContain('This invitation is no longer valid')
    expect(await accountOf(id)).toHaveLength(0)
    expect((await invitationRows(id))[0]!.usedAt).toBeNull()
    const created = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetStaffId, id), eq(auditEvents.event, 'account.created')))
    expect(created).toHaveLength(0)
  })

  it('refuses when the profile is inactive, even with the invitation still pending', async () => {
    const { id, link } = await invited('Sleeper', 'sleeper@harbor.test')
    await t.db.update(staff).set({ isActive: false }).where(eq(staff.id, id))
    const opened = await t.agent().get(pathOf(link))
    expect(opened.status).toBe(410)
    expect(await opened.text()).toContain('This invitation is no longer valid')
    const posted = await createAccount(link)
    expect(posted.status).toBe(410)
    expect(await accountOf(id)).toHaveLength(0)
  })
  it('checks in the write itself: an edit between the page and the post wins', async () => {
    // The route looks the link up before it writes; this edit lands in between, as a race would.
    const { id, link } = await invited('Between', 'between@harbor.test')
    const found = await findInvitationByToken(t, pathOf(link).split('/').pop()!)
    expect(found.state).toBe('valid')
    await t.db.update(staff).set({ isActive: false }).where(eq(staff.id, id))
    const result = await acceptInvitation(t, { invitationId: found.invitation!.id, password: STRONG_PASSWORD, ip: '' })
    expect(result).toEqual({ ok: false })
    expect(await accountOf(id)).toHaveLength(0)
    expect((await invitationRows(id))[0]!.usedAt).toBeNull()
  })
})

describe('tenancy', () => {
  it("another practice's admin cannot edit the profile (404) and its invitation stays pending", async () => {
    const { id, link } = await invited('Guarded', 'guarded@harbor.test')
    const response = await otherAdmin.post(`/staff/${id}`, staffForm({ firstName: 'Guarded', email1: 'other@summit.test', active: '' }))
    expect(response.status).toBe(404)
    expect((await invitationRows(id))[0]!.revokedAt).toBeNull()
    expect((await createAccount(link)).status).toBe(303)
  })
})
