import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditEvents, loginFailures, sessions, accounts } from '../db/schema'
import { LOGIN_FAILED } from '../src/routes/auth'
import type { Agent } from './support/agent'
import { createTestApp, logIn, TEST_IP, type TestApp, addTwoPractices, logInBothAdmins } from './support/app'
import { HOUR, MINUTE } from './support/clock'
import { addStaff, linkIn, pathOf, sendInvitation, STRONG_PASSWORD } from './support/staff'

let t: TestApp
let admin: Agent
let otherAdmin: Agent

beforeAll(async () => {
  t = await createTestApp()
  await addTwoPractices(t)
  await relog()
})
afterAll(() => t.cleanup())

async function relog() {
  ;({ admin, otherAdmin } = await logInBothAdmins(t))
}

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

const act = (agent: Agent, staffId: string, action: string) =>
  agent.post(`/staff/${staffId}/portal/access`, { action, confirm: 'yes' }, { 'HX-Request': 'true' })
const tryLogin = (email: string, password: string) => t.agent().post('/login', { email, password })

describe('Disable and Enable Portal Access', () => {
  it('ends every session at once and refuses logins with the wrong-password message', async () => {
    const { id, accountId } = await signedUp('disable.me@harbor.test')
    const staffBrowser = await logIn(t, 'disable.me@harbor.test', STRONG_PASSWORD)
    const panel = await (await act(admin, id, 'disable')).text()
    expect(panel).toContain('Disabled')
    expect(panel).toContain('>Enable Portal Access</button>')
    expect(await t.db.select().from(sessions).where(eq(sessions.accountId, accountId))).toHaveLength(0)
    expect((await staffBrowser.get('/portal')).status).toBe(303)
    const refused = await tryLogin('disable.me@harbor.test', STRONG_PASSWORD)
    expect(refused.status).toBe(401)
    expect(await refused.text()).toContain(LOGIN_FAILED)

    await act(admin, id, 'enable')
    expect((await tryLogin('disable.me@harbor.test', STRONG_PASSWORD)).status).toBe(303)
    const events = (await t.db.select().from(auditEvents).where(eq(auditEvents.targetStaffId, id))).map((e) => e.event)
    expect(events).toContain('access.disabled')
    expect(events).toContain('access.enabled')
  })

  it('Sign Out Everywhere ends every session', async () => {
    const { id, accountId } = await signedUp('everywhere@harbor.test')
    const one = await logIn(t, 'everywhere@harbor.test', STRONG_PASSWORD)
    await logIn(t, 'everywhere@harbor.test', STRONG_PASSWORD)
    const before = await (await admin.get(`/staff/${id}/portal`)).text()
    expect(before).toContain('2 devices')
    const panel = await (await act(admin, id, 'end-sessions')).text()
    expect(panel).toContain('No devices')
    expect(await t.db.select().from(sessions).where(eq(sessions.accountId, accountId))).toHaveLength(0)
    expect((await one.get('/portal')).status).toBe(303)
  })

  it("is not possible on another practice's staff", async () => {
    const { id } = await signedUp('walled.access@harbor.test')
    for (const action of ['disable', 'end-sessions', 'unlock']) expect((await act(otherAdmin, id, action)).status).toBe(404)
    expect((await tryLogin('walled.access@harbor.test', STRONG_PASSWORD)).status).toBe(303)
  })

  it('never disables the only admin who can log in', async () => {
    const list = await (await admin.get('/staff?q=admin%40harbor')).text()
    const adminId = /href="\/staff\/([a-z2-7]{16})"/.exec(list)![1]!
    const response = await act(admin, adminId, 'disable')
    expect(response.status).toBe(422)
    expect(await response.text()).toContain('This is the only admin who can log in.')
    expect((await admin.get('/staff')).status).toBe(200)
  })

  it('refuses an unknown action with a message', async () => {
    const { id } = await signedUp('odd.action@harbor.test')
    const response = await act(admin, id, 'delete-everything')
    expect(response.status).toBe(422)
  })
})

describe('login throttling', () => {
  it('lets 5 failures through, then makes each try wait longer, and says when to try again', async () => {
    await signedUp('throttle@harbor.test')
    for (let i = 0; i < 5; i++) expect((await tryLogin('throttle@harbor.test', 'wrong password here')).status).toBe(401)
    // The 5th failure set a 1-second wait.
    const held = await tryLogin('throttle@harbor.test', STRONG_PASSWORD)
    expect(held.status).toBe(429)
    expect(held.headers.get('Retry-After')).toBe('1')
    expect(await held.text()).toContain('Too many failed attempts. Try again in 1 second.')
    t.clock.advance(1000)
    expect((await tryLogin('throttle@harbor.test', 'wrong password here')).status).toBe(401)
    const longer = await tryLogin('throttle@harbor.test', STRONG_PASSWORD)
    expect(longer.headers.get('Retry-After')).toBe('2')
    t.clock.advance(2000)
    expect((await tryLogin('throttle@harbor.test', STRONG_PASSWORD)).status).toBe(303)
    // Success resets the count.
    expect((await tryLogin('throttle@harbor.test', 'wrong password here')).status).toBe(401)
    expect((await tryLogin('throttle@harbor.test', STRONG_PASSWORD)).status).toBe(303)
  })

  it('throttles an unknown address exactly like a known one', async () => {
    const known: number[] = []
    const unknown: number[] = []
    await signedUp('known.twin@harbor.test')
    for (let i = 0; i < 6; i++) {
      known.push((await tryLogin('known.twin@harbor.test', 'wrong password here')).status)
      unknown.push((await tryLogin('unknown.twin@harbor.test', 'wrong password here')).status)
    }
    expect(unknown).toEqual(known)
    expect(known).toEqual([401, 401, 401, 401, 401, 429])
  })

  it('locks an address after 100 failures in a row until an admin unlocks it, and shows it on the tab', async () => {
    const { id, accountId } = await signedUp('locked@harbor.test')
    // Reaching the lock by hand would take hours of waits; the count is what the rule is about.
    const { addressKey } = await import('../src/auth/throttle')
    await t.db
      .insert(loginFailures)
      .values({ key: addressKey('locked@harbor.test'), accountId, failures: 99, lastFailedAt: new Date(t.clock.now().getTime() - HOUR) })
    expect((await tryLogin('locked@harbor.test', 'wrong password here')).status).toBe(401)
    const [row] = await t.db.select().from(loginFailures).where(eq(loginFailures.accountId, accountId))
    expect(row!.failures).toBe(100)
    t.clock.advance(24 * HOUR)
    await relog()
    const locked = await tryLogin('locked@harbor.test', STRONG_PASSWORD)
    expect(locked.status).toBe(429)
    expect(locked.headers.get('Retry-After')).toBeNull()
    expect(await locked.text()).toContain('logging in with this address is locked')
    const tab = await (await admin.get(`/staff/${id}/portal`)).text()
    expect(tab).toContain('100 in a row: login is locked until unlocked here.')
    expect(tab).toContain('>Unlock</button>')
    await act(admin, id, 'unlock')
    expect((await tryLogin('locked@harbor.test', STRONG_PASSWORD)).status).toBe(303)
    expect((await t.db.select().from(auditEvents).where(eq(auditEvents.event, 'login.unlocked'))).length).toBe(1)
  })

  it('counts failures per client address too, and forgets them after an hour', async () => {
    t.clock.advance(2 * HOUR)
    await relog()
    // Twenty different addresses from one IP: no single address is throttled, the IP is.
    for (let i = 0; i < 20; i++) expect((await tryLogin(`spray${i}@harbor.test`, 'wrong password here')).status).toBe(401)
    const [ipRow] = await t.db
      .select()
      .from(loginFailures)
      .where(eq(loginFailures.key, `ip:${TEST_IP}`))
    expect(ipRow!.failures).toBeGreaterThanOrEqual(20)
    expect((await tryLogin('spray99@harbor.test', 'wrong password here')).status).toBe(429)
    t.clock.advance(HOUR)
    expect((await tryLogin('spray99@harbor.test', 'wrong password here')).status).toBe(401)
  })
})

describe('activity', () => {
  it('lists who did what, when and from where on the Staff Portal tab', async () => {
    t.clock.advance(2 * HOUR)
    await relog()
    const { id } = await signedUp('watched@harbor.test', 'Watched')
    await tryLogin('watched@harbor.test', STRONG_PASSWORD)
    const tab = await (await admin.get(`/staff/${id}/portal`)).text()
    expect(tab).toContain('<h3 id="activity-heading">Activity</h3>')
    for (const text of ['Profile created', 'Invitation sent', 'Account created', 'Logged in', 'Practice Admin', TEST_IP])
      expect(tab).toContain(text)
  })

  it('has a practice-wide page filterable by staff and event type, and nothing from another practice', async () => {
    const { id } = await signedUp('filtered@harbor.test', 'Filtered')
    const all = await (await admin.get('/activity')).text()
    expect(all).toContain('<h1>Activity</h1>')
    expect(all).not.toContain('Summit')
    const byStaff = await (await admin.get(`/activity?staff=${id}`)).text()
    expect(byStaff).toContain('Filtered Pike')
    expect(byStaff).not.toContain('Watched Pike</a>')
    const byEvent = await (await admin.get('/activity?event=account.created')).text()
    expect(byEvent).not.toContain('<td data-label="What">Logged in')
    expect(byEvent).toContain('<td data-label="What">Account created')
    const foreign = await (await otherAdmin.get(`/activity?staff=${id}`)).text()
    expect(foreign).toContain('No activity matches.')
    expect(foreign).toContain('No staff member of this practice matches that link.')
    expect(foreign).not.toContain('Filtered')
    expect((await t.agent().get('/activity')).status).toBe(303)
  })

  it('finds a person by the start of their name or email, and names the person a profile links to', async () => {
    const { id } = await signedUp('quincy.marlow@harbor.test', 'Quincy')
    const targets = (html: string) => [...html.matchAll(/<a href="\/staff\/([a-z2-7]{16})\/portal">/g)].map((m) => m[1])
    for (const typed of ['quin', 'QUINCY P', 'quincy.mar', '  Quincy   Pike ']) {
      const html = await (await admin.get(`/activity?person=${encodeURIComponent(typed)}`)).text()
      expect(new Set(targets(html)), typed).toEqual(new Set([id]))
      // What was typed stays in the field, tidied.
      expect(html, typed).toContain(`name="person" type="search" value="${typed.trim().replace(/\s+/g, ' ')}"`)
    }
    const none = await (await admin.get('/activity?person=zzz-nobody')).text()
    expect(none).toContain('No activity matches.')
    // Another practice's staff are never matched by name.
    expect(await (await otherAdmin.get('/activity?person=quincy')).text()).toContain('No activity matches.')

    const linked = await (await admin.get(`/activity?staff=${id}&event=account.created`)).text()
    expect(linked).toContain('Showing the activity of <strong>Quincy Pike</strong>.')
    expect(linked).toContain('<a href="/activity?event=account.created">Show everyone</a>')
    // Filtering the linked person by event keeps the person.
    expect(linked).toContain(`<input type="hidden" name="staff" value="${id}"/>`)
    expect(targets(linked)).toEqual([id])
  })

  it('does not grow with the number of staff: there is no list of everyone to choose from', async () => {
    const page = async () => (await (await admin.get('/activity?event=practice.settings_changed')).text()).length
    const before = await page()
    for (let i = 0; i < 20; i++)
      await addStaff(admin, { firstName: `Bartholomew${i}`, lastName: 'Featherstonehaugh', email1: `b${i}@harbor.test` })
    expect(await page()).toBe(before)
  })

  it('pages 50 at a time', async () => {
    const html = await (await admin.get('/activity')).text()
    const total = Number(/(\d+) events/.exec(html)![1])
    expect(total).toBeGreaterThan(50)
    expect([...html.matchAll(/<tr><td class="cell-key">/g)].length).toBe(50)
    expect(html).toContain(`Page 1 of ${Math.ceil(total / 50)}`)
  })
})

describe('the staff member’s own security', () => {
  it('lists their sessions and signs out the others', async () => {
    await signedUp('devices@harbor.test')
    const laptop = await logIn(t, 'devices@harbor.test', STRONG_PASSWORD)
    const phone = t.agent()
    await phone.post(
      '/login',
      { email: 'devices@harbor.test', password: STRONG_PASSWORD },
      { 'User-Agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1' },
    )
    const home = await (await laptop.get('/portal')).text()
    expect(home).toContain('Safari on iOS')
    expect(home).toContain('This device')
    const ended = await laptop.post('/portal/sessions/end-others', { currentPassword: STRONG_PASSWORD })
    expect(ended.headers.get('Location')).toBe('/portal?signed_out_others')
    expect((await phone.get('/portal')).status).toBe(303)
    expect((await laptop.get('/portal')).status).toBe(200)
  })

  it('changes the password with the current one, ending every session', async () => {
    const { accountId } = await signedUp('changer@harbor.test', 'Casey')
    const browser = await logIn(t, 'changer@harbor.test', STRONG_PASSWORD)
    const other = await logIn(t, 'changer@harbor.test', STRONG_PASSWORD)
    const page = await (await browser.get('/portal/password')).text()
    for (const label of [
      '>Current Password</label>',
      '>New Password</label>',
      '>Confirm New Password</label>',
      '>Change Password</button>',
    ])
      expect(page).toContain(label)
    const wrong = await browser.post('/portal/password', {
      currentPassword: 'not it at all',
      password: 'Harbor lights fade slowly 88',
      confirmPassword: 'Harbor lights fade slowly 88',
    })
    expect(wrong.status).toBe(422)
    expect(await wrong.text()).toContain('That is not your current password.')
    const weak = await browser.post('/portal/password', {
      currentPassword: STRONG_PASSWORD,
      password: 'Casey Pike Harbor Therapy',
      confirmPassword: 'Casey Pike Harbor Therapy',
    })
    expect(await weak.text()).toContain('too easy to guess')
    const done = await browser.post('/portal/password', {
      currentPassword: STRONG_PASSWORD,
      password: 'Quiet copper meadow 5150',
      confirmPassword: 'Quiet copper meadow 5150',
    })
    expect(done.status).toBe(303)
    expect(done.headers.get('Location')).toBe('/login?reset&email=changer%40harbor.test')
    expect(await t.db.select().from(sessions).where(eq(sessions.accountId, accountId))).toHaveLength(0)
    expect((await other.get('/portal')).status).toBe(303)
    expect((await tryLogin('changer@harbor.test', 'Quiet copper meadow 5150')).status).toBe(303)
    expect((await t.db.select().from(auditEvents).where(eq(auditEvents.event, 'password.changed'))).length).toBe(1)
    expect(t.devMailbox!.list()[0]!.subject).toContain('password was changed')
  })

  it('counts wrong current passwords as failed logins', async () => {
    await signedUp('guesser@harbor.test')
    const browser = await logIn(t, 'guesser@harbor.test', STRONG_PASSWORD)
    for (let i = 0; i < 5; i++)
      await browser.post('/portal/password', {
        currentPassword: `guess ${i}`,
        password: 'Quiet copper meadow 5150',
        confirmPassword: 'Quiet copper meadow 5150',
      })
    const held = await browser.post('/portal/password', {
      currentPassword: STRONG_PASSWORD,
      password: 'Quiet copper meadow 5150',
      confirmPassword: 'Quiet copper meadow 5150',
    })
    expect(held.status).toBe(429)
    t.clock.advance(MINUTE)
  })
})
