// Rules "sessions" and "passwords" from the ASVS audit (issue 12, item 10): a password hashed with
// parameters below the current ones is hashed again at login; "Sign out other sessions" asks for
// the current password; one session can be ended from the list; an admin can sign out everyone in
// the practice (after a confirmation, audited, keeping their own session).
import { randomBytes, scryptSync } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, auditEvents, loginFailures, sessions } from '../db/schema'
import { SCRYPT_PARAMS } from '../src/auth/password'
import type { Agent } from './support/agent'
import { addTwoPractices, createTestApp, HARBOR, logIn, SUMMIT, type TestApp } from './support/app'
import { addStaff, linkIn, pathOf, sendInvitation, STRONG_PASSWORD } from './support/staff'

let t: TestApp
let admin: Agent

beforeAll(async () => {
  t = await createTestApp()
  await addTwoPractices(t)
  admin = await logIn(t, HARBOR.adminEmail)
})
afterAll(async () => {
  await t.settle()
  t.cleanup()
})

async function signedUp(email: string, firstName = 'Jordan') {
  const id = await addStaff(admin, { firstName, lastName: 'Pike', email1: email })
  await sendInvitation(admin, id, email)
  const mail = t.devMailbox!.list().find((m) => m.to === email)!
  expect((await t.agent().post(pathOf(linkIn(mail.text)), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })).status).toBe(
    303,
  )
  const [account] = await t.db.select().from(accounts).where(eq(accounts.staffId, id))
  return { id, accountId: account!.id }
}
const sessionsOf = (accountId: string) => t.db.select().from(sessions).where(eq(sessions.accountId, accountId))
const hashOf = async (accountId: string) => (await t.db.select().from(accounts).where(eq(accounts.id, accountId)))[0]!.passwordHash
async function browsers(email: string) {
  const laptop = await logIn(t, email, STRONG_PASSWORD)
  const phone = t.agent()
  await phone.post(
    '/login',
    { email, password: STRONG_PASSWORD },
    { 'User-Agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1' },
  )
  const tablet = await logIn(t, email, STRONG_PASSWORD)
  return { laptop, phone, tablet }
}

describe('rehash at login', () => {
  it('hashes the password again with the current parameters when the stored ones are lower, and leaves a current hash alone', async () => {
    const { accountId } = await signedUp('old.hash@harbor.test', 'Olden')
    const salt = randomBytes(16)
    const weak = { N: 2 ** 10, r: 8, p: 1 }
    const key = scryptSync(STRONG_PASSWORD.normalize('NFKC'), salt, 32, weak)
    await t.db
      .update(accounts)
      .set({ passwordHash: ['scrypt', weak.N, weak.r, weak.p, salt.toString('base64'), key.toString('base64')].join('$') })
      .where(eq(accounts.id, accountId))
    await logIn(t, 'old.hash@harbor.test', STRONG_PASSWORD)
    const rehashed = await hashOf(accountId)
    expect(rehashed.startsWith(`scrypt$${SCRYPT_PARAMS.N}$${SCRYPT_PARAMS.r}$${SCRYPT_PARAMS.p}$`)).toBe(true)
    await logIn(t, 'old.hash@harbor.test', STRONG_PASSWORD)
    expect(await hashOf(accountId)).toBe(rehashed)
    // A wrong password rehashes nothing.
    await t.db
      .update(accounts)
      .set({ passwordHash: ['scrypt', weak.N, weak.r, weak.p, salt.toString('base64'), key.toString('base64')].join('$') })
      .where(eq(accounts.id, accountId))
    expect((await t.agent().post('/login', { email: 'old.hash@harbor.test', password: 'Wrong password 99 here' })).status).toBe(401)
    expect((await hashOf(accountId)).startsWith(`scrypt$${weak.N}$`)).toBe(true)
    await t.db.delete(loginFailures)
  })
})

describe('the portal sessions list', () => {
  it('asks for the current password before signing out other sessions', async () => {
    const { accountId } = await signedUp('others@harbor.test', 'Otto')
    const { laptop, phone } = await browsers('others@harbor.test')
    const home = await (await laptop.get('/portal')).text()
    expect(home).toContain('name="currentPassword"')
    const missing = await laptop.post('/portal/sessions/end-others', {})
    expect(missing.status).toBe(422)
    expect(await missing.text()).toContain('Enter your current password.')
    const wrong = await laptop.post('/portal/sessions/end-others', { currentPassword: 'Not the password 4321 x' })
    expect(wrong.status).toBe(422)
    expect(await wrong.text()).toContain('That is not your current password.')
    expect(await sessionsOf(accountId)).toHaveLength(3)
    expect((await phone.get('/portal')).status).toBe(200)
    const done = await laptop.post('/portal/sessions/end-others', { currentPassword: STRONG_PASSWORD })
    expect(done.headers.get('Location')).toBe('/portal?signed_out_others')
    expect((await phone.get('/portal')).status).toBe(303)
    expect((await laptop.get('/portal')).status).toBe(200)
    await t.db.delete(loginFailures)
  })

  it('ends one session at a time from the list, and only the person’s own', async () => {
    const { accountId } = await signedUp('one@harbor.test', 'Una')
    const { laptop, phone, tablet } = await browsers('one@harbor.test')
    const phoneSession = (await sessionsOf(accountId)).find((s) => s.userAgent.includes('iPhone'))!
    const home = await (await laptop.get('/portal')).text()
    expect(home).toContain(`action="/portal/sessions/${phoneSession.id}/end"`)
    const ended = await laptop.post(`/portal/sessions/${phoneSession.id}/end`)
    expect(ended.status).toBe(303)
    expect(ended.headers.get('Location')).toBe('/portal?session_ended')
    expect((await phone.get('/portal')).status).toBe(303)
    expect((await tablet.get('/portal')).status).toBe(200)
    expect((await laptop.get('/portal')).status).toBe(200)
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.event, 'session.ended'), eq(auditEvents.actorAccountId, accountId)))
    expect(audit!.detail).toBe('Safari on iOS')
    // Someone else's session id: 404, and it lives on.
    const { accountId: otherId } = await signedUp('someone@harbor.test', 'Sam')
    const someone = await logIn(t, 'someone@harbor.test', STRONG_PASSWORD)
    const [theirs] = await sessionsOf(otherId)
    expect((await laptop.post(`/portal/sessions/${theirs!.id}/end`)).status).toBe(404)
    expect((await someone.get('/portal')).status).toBe(200)
  })
})

describe('Sign Out Everyone on Practice Settings', () => {
  it('asks first (a page, no script), then ends every session of the practice but the admin’s own, audited', async () => {
    admin = await logIn(t, HARBOR.adminEmail)
    await signedUp('everyone@harbor.test', 'Eve')
    const staffMember = await logIn(t, 'everyone@harbor.test', STRONG_PASSWORD)
    const otherBrowserOfAdmin = await logIn(t, HARBOR.adminEmail)
    const summitAdmin = await logIn(t, SUMMIT.adminEmail)

    const settings = await (await admin.get('/settings')).text()
    expect(settings).toContain('action="/settings/sign-out-everyone"')
    expect(settings).toContain('Sign Out Everyone')
    const ask = await admin.post('/settings/sign-out-everyone')
    expect(ask.status).toBe(200)
    const page = await ask.text()
    expect(page).toContain(`Sign out everyone in ${HARBOR.name}?`)
    expect(page).toContain('name="confirm" value="yes"')
    expect((await staffMember.get('/portal')).status).toBe(200)
    // With script, the same question in the layout's dialog slot; still nothing ends.
    const askInPlace = await admin.post('/settings/sign-out-everyone', {}, { 'HX-Request': 'true' })
    expect(askInPlace.headers.get('HX-Retarget')).toBe('#dialog-slot')
    const dialog = await askInPlace.text()
    expect(dialog).toContain('<dialog')
    expect(dialog).toContain(`Sign out everyone in ${HARBOR.name}?`)
    expect(dialog).toContain('>Sign Out Everyone<')
    expect((await staffMember.get('/portal')).status).toBe(200)

    const done = await admin.post('/settings/sign-out-everyone', { confirm: 'yes' })
    expect(done.status).toBe(303)
    expect(done.headers.get('Location')).toBe('/settings?signed_out_everyone')
    expect((await staffMember.get('/portal')).status).toBe(303)
    expect((await otherBrowserOfAdmin.get('/staff')).status).toBe(303)
    expect((await admin.get('/settings?signed_out_everyone')).status).toBe(200)
    expect(await (await admin.get('/settings?signed_out_everyone')).text()).toContain('Everyone else in your practice was signed out.')
    expect((await summitAdmin.get('/staff')).status).toBe(200)
    const [audit] = await t.db.select().from(auditEvents).where(eq(auditEvents.event, 'sessions.ended_practice'))
    expect(audit!.detail).toMatch(/^\d+ sessions? ended$/)
  })

  it('is for admins only', async () => {
    const staffMember = await logIn(t, 'everyone@harbor.test', STRONG_PASSWORD)
    expect((await staffMember.post('/settings/sign-out-everyone', { confirm: 'yes' })).status).toBe(403)
    expect((await admin.get('/staff')).status).toBe(200)
  })
})
