// Rule "security events" (ASVS 16.3.1–16.3.3): refused access, CSRF refusals, logins held back or
// locked and wrong current passwords are audit events, shown on Activity under "Security";
// throttled to one row per (event, IP) and per (event, person) a minute, so nobody can flood the table.
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditEvents, loginFailures } from '../../db/schema'
import { insertSecurityEvent, SECURITY_EVENT_WINDOW_MS } from '../../src/audit/audit'
import { ADDRESS_FREE_FAILURES, ADDRESS_LOCK_FAILURES, addressKey } from '../../src/auth/throttle'
import type { Agent } from '../support/agent'
import { createTestApp, TEST_IP, type TestApp } from '../support/app'
import { HOUR } from '../support/clock'
import { seedPractice, signIn, STRONG_PASSWORD, type PracticeWorld } from './support/world'

let t: TestApp
let a: PracticeWorld
let b: PracticeWorld
let admin: Agent
let member: Agent

beforeAll(async () => {
  t = await createTestApp()
  a = await seedPractice(t, 'a')
  b = await seedPractice(t, 'b')
  admin = await signIn(t, a.adminEmail)
  member = await signIn(t, a.member.email)
}, 60_000)
afterAll(async () => {
  await t.settle()
  t.cleanup()
})

// Refused access is recorded after the response: settle the deferred work first.
const rowsOf = async (event: string) => {
  await t.settle()
  return t.db.select().from(auditEvents).where(eq(auditEvents.event, event))
}
/** A new minute: the throttle window of every earlier event has passed. */
const nextMinute = () => t.clock.advance(SECURITY_EVENT_WINDOW_MS + 1000)
const setFailures = async (email: string, failures: number) => {
  const lastFailedAt = t.clock.now()
  await t.db
    .insert(loginFailures)
    .values({ key: addressKey(email), failures, lastFailedAt })
    .onConflictDoUpdate({ target: loginFailures.key, set: { failures, lastFailedAt } })
}

describe('security events', () => {
  it('records a staff member refused an admin page (403), with who, where and which page', async () => {
    nextMinute()
    expect((await member.get('/staff')).status).toBe(403)
    const [row] = await rowsOf('access.refused')
    expect(row).toMatchObject({ practiceId: a.practiceId, actorAccountId: a.member.accountId, targetStaffId: a.member.id, ip: TEST_IP })
    expect(row!.detail).toBe('403: a staff member opened an admin page (GET /staff)')
  })

  it("records an admin answered 404 for another practice's id", async () => {
    nextMinute()
    expect((await admin.get(`/staff/${b.member.id}`)).status).toBe(404)
    await t.settle()
    const rows = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.event, 'access.refused'), eq(auditEvents.actorAccountId, a.adminAccountId)))
    expect(rows).toHaveLength(1)
    expect(rows[0]!.practiceId).toBe(a.practiceId)
    expect(rows[0]!.detail).toBe(`404: an id that is not in this practice (GET /staff/${b.member.id})`)
    // Nothing lands in the other practice's history.
    expect(
      await t.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.practiceId, b.practiceId), eq(auditEvents.event, 'access.refused'))),
    ).toEqual([])
  })

  it('records CSRF refusals, in the practice of the signed-in person when there is one', async () => {
    nextMinute()
    const forged = await admin.post('/settings', { name: 'Hijacked' }, { Origin: 'https://evil.example' })
    expect(forged.status).toBe(403)
    const anonymous = await t.agent().post('/login', { email: a.member.email, password: 'x' }, { Origin: 'https://evil.example' })
    expect(anonymous.status).toBe(403)
    const rows = await rowsOf('csrf.refused')
    // Same event, same IP, same minute: the second is dropped.
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ practiceId: a.practiceId, actorAccountId: a.adminAccountId, ip: TEST_IP })
    expect(rows[0]!.detail).toBe('POST /settings from https://evil.example')
    nextMinute()
    await t.agent().post('/login', { email: a.member.email, password: 'x' }, { Origin: 'https://evil.example' })
    const later = await rowsOf('csrf.refused')
    expect(later).toHaveLength(2)
    expect(later[1]).toMatchObject({ practiceId: null, actorAccountId: null })
  })

  it('records a login held back (429) and a locked login, against the account the address names', async () => {
    nextMinute()
    t.clock.advance(HOUR)
    await setFailures(a.member.email, ADDRESS_FREE_FAILURES + 4)
    expect((await t.agent().post('/login', { email: a.member.email, password: STRONG_PASSWORD })).status).toBe(429)
    const [held] = await rowsOf('login.held_back')
    expect(held).toMatchObject({ practiceId: a.practiceId, targetStaffId: a.member.id, ip: TEST_IP })
    expect(held!.detail).toMatch(/^waits \d+ (second|minute)s?$/)
    await setFailures(a.member.email, ADDRESS_LOCK_FAILURES)
    expect((await t.agent().post('/login', { email: a.member.email, password: STRONG_PASSWORD })).status).toBe(429)
    const [locked] = await rowsOf('login.locked')
    expect(locked).toMatchObject({ practiceId: a.practiceId, targetStaffId: a.member.id })
    await t.db.delete(loginFailures)
    // The hour passed ended the sessions: sign in again for what follows.
    admin = await signIn(t, a.adminEmail)
    member = await signIn(t, a.member.email)
  })

  it('records a wrong current password on Change Password', async () => {
    nextMinute()
    const wrong = await member.post('/portal/password', {
      currentPassword: 'Not my password 1234 at all',
      password: 'Orchard velvet magnet 5520 hue',
      confirmPassword: 'Orchard velvet magnet 5520 hue',
    })
    expect(wrong.status).toBe(422)
    const [row] = await rowsOf('password.current_wrong')
    expect(row).toMatchObject({ practiceId: a.practiceId, actorAccountId: a.member.accountId, targetStaffId: a.member.id })
    await t.db.delete(loginFailures)
  })

  it('keeps one row per event and IP a minute, and one per event and person a minute from any number of IPs', async () => {
    nextMinute()
    for (let i = 0; i < 5; i++) await member.get('/staff')
    const refusedNow = async () =>
      (await rowsOf('access.refused')).filter((r) => r.createdAt.getTime() > t.clock.now().getTime() - SECURITY_EVENT_WINDOW_MS)
    expect(await refusedNow()).toHaveLength(1)
    nextMinute()
    const now = t.clock.now()
    for (let i = 0; i < 20; i++)
      await insertSecurityEvent(t.db, now, {
        practiceId: a.practiceId,
        targetStaffId: a.member.id,
        event: 'login.held_back',
        ip: `198.51.100.${i}`,
      })
    const held = (await rowsOf('login.held_back')).filter((r) => r.createdAt.getTime() === now.getTime())
    expect(held).toHaveLength(1)
    // Events naming nobody are limited per IP only.
    for (let i = 0; i < 3; i++) await insertSecurityEvent(t.db, now, { practiceId: null, event: 'login.held_back', ip: `192.0.2.${i}` })
    expect((await rowsOf('login.held_back')).filter((r) => r.createdAt.getTime() === now.getTime())).toHaveLength(4)
  })

  it('shows them on Activity, with a Security group in the event filter', async () => {
    const page = await (await admin.get('/activity?event=security')).text()
    expect(page).toContain('<optgroup label="Security">')
    expect(page).toContain('<option value="security" selected="">All security events</option>')
    const body = (html: string) => html.slice(html.indexOf('<tbody>'))
    for (const label of ['Access refused', 'Request refused (CSRF)', 'Login held back', 'Login locked', 'Wrong current password'])
      expect(body(page)).toContain(`<td data-label="What">${label}`)
    expect(body(page)).not.toContain('<td data-label="What">Logged in')
    const one = body(await (await admin.get('/activity?event=access.refused')).text())
    expect(one).toContain('403: a staff member opened an admin page')
    expect(one).not.toContain('<td data-label="What">Login held back')
  })
})
