import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, auditEvents, sessions, staff } from '../db/schema'
import { LOGIN_FAILED } from '../src/routes/auth'
import { touchSession } from '../src/auth/session'
import { ADMIN_PASSWORD, addPractice, createTestApp, logIn, TEST_IP, type TestApp } from './support/app'
import { MINUTE, HOUR } from './support/clock'

let t: TestApp
const ADMIN = 'admin@harbor.test'

beforeAll(async () => {
  t = await createTestApp()
  await addPractice(t, 'Harbor Therapy Group', ADMIN)
})
afterAll(() => t.cleanup())

const practiceOf = async (email: string) =>
  (await t.db.select({ practiceId: accounts.practiceId }).from(accounts).where(eq(accounts.email, email)))[0]?.practiceId

const sessionCookieOf = (response: Response) => response.headers.getSetCookie().find((c) => c.startsWith('__Host-session='))

describe('login', () => {
  it('shows the login page with its fields, button and Forgot Password link', async () => {
    const response = await t.agent().get('/login')
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toMatch(/<label for="field-email">Email<\/label>/)
    expect(html).toMatch(/<label for="field-password">Password<\/label>/)
    expect(html).toContain('>Log In</button>')
    expect(html).toContain('<a href="/forgot-password">Forgot Password</a>')
  })

  it('signs the admin in with a __Host- session cookie and sends them to Staffs (by their name, while it is a placeholder)', async () => {
    const agent = t.agent()
    const response = await agent.post('/login', { email: ` ${ADMIN.toUpperCase()} `, password: ADMIN_PASSWORD })
    expect(response.status).toBe(303)
    expect(response.headers.get('Location')).toBe('/portal/name?next=%2Fstaff')
    const cookie = sessionCookieOf(response)!
    expect(cookie).toMatch(/^__Host-session=[a-z2-7]{16}\.[a-z2-7]{39}; Max-Age=43200; Path=\/; HttpOnly; Secure; SameSite=Lax$/)
    expect(cookie).not.toMatch(/Domain=/i)

    const page = await agent.get('/staff')
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<h1>Staffs</h1>')
  })

  it('stores only a hash of the session secret', async () => {
    const agent = await logIn(t, ADMIN)
    const token = agent.cookies.get('__Host-session')!
    const [id, secret] = token.split('.')
    const [row] = await t.db.select().from(sessions).where(eq(sessions.id, id!))
    expect(row).toBeDefined()
    expect(row!.secretHash).toMatch(/^[0-9a-f]{64}$/)
    const { client } = t
    const dump = await client.execute('select * from sessions')
    expect(JSON.stringify(dump.rows)).not.toContain(secret)
  })

  it('gives a new token at each login and replaces the old session', async () => {
    const agent = await logIn(t, ADMIN)
    const first = agent.cookies.get('__Host-session')!
    const again = await agent.post('/login', { email: ADMIN, password: ADMIN_PASSWORD })
    // Signed in already: the login page redirects, so log in fresh from the same browser.
    expect([303]).toContain(again.status)
    const second = agent.cookies.get('__Host-session')!
    expect(second).not.toBe(first)
    const [oldRow] = await t.db
      .select()
      .from(sessions)
      .where(eq(sessions.id, first.split('.')[0]!))
    expect(oldRow).toBeUndefined()
  })

  it('answers an unknown address, a wrong password and an inactive account the same way', async () => {
    const inactive = 'inactive@other.test'
    await addPractice(t, 'Other Practice', inactive)
    await t.db
      .update(staff)
      .set({ isActive: false })
      .where(eq(staff.practiceId, (await practiceOf(inactive))!))
    const attempts = {
      unknown: await t.agent().post('/login', { email: 'nobody@harbor.test', password: ADMIN_PASSWORD }),
      wrong: await t.agent().post('/login', { email: ADMIN, password: 'not the password at all' }),
      inactive: await t.agent().post('/login', { email: inactive, password: ADMIN_PASSWORD }),
    }
    const bodies = new Set<string>()
    for (const [email, response] of [
      ['nobody@harbor.test', attempts.unknown],
      [ADMIN, attempts.wrong],
      [inactive, attempts.inactive],
    ] as const) {
      expect(response.status).toBe(401)
      expect(sessionCookieOf(response)).toBeUndefined()
      const html = await response.text()
      expect(html).toContain(LOGIN_FAILED)
      bodies.add(html.replace(email, '<email>'))
    }
    expect(bodies.size).toBe(1)
  })

  it('keeps the email and says what is missing when a field is empty', async () => {
    const response = await t.agent().post('/login', { email: 'someone@harbor.test', password: '' })
    expect(response.status).toBe(422)
    const html = await response.text()
    expect(html).toContain('Enter your password.')
    expect(html).toContain('value="someone@harbor.test"')
  })

  it('audits logins, ok and failed, with the address they came from and no secrets', async () => {
    await t.agent().post('/login', { email: ADMIN, password: 'Wrong horse battery staple' })
    const rows = await t.db.select().from(auditEvents)
    const events = rows.map((r) => r.event)
    expect(events).toContain('login.succeeded')
    expect(events).toContain('login.failed')
    expect(rows.filter((r) => r.event.startsWith('login.')).every((r) => r.ip === TEST_IP)).toBe(true)
    const text = JSON.stringify(rows)
    expect(text).not.toContain(ADMIN_PASSWORD)
    expect(text).not.toContain('Wrong horse battery staple')
  })

  it('records the last login time on the account', async () => {
    await logIn(t, ADMIN)
    const [account] = await t.db.select().from(accounts).where(eq(accounts.email, ADMIN))
    expect(account!.lastLoginAt?.getTime()).toBe(t.clock.now().getTime())
  })
})

describe('sessions', () => {
  it('end after 30 minutes idle', async () => {
    const agent = await logIn(t, ADMIN)
    t.clock.advance(29 * MINUTE)
    expect((await agent.get('/staff')).status).toBe(200)
    await t.settle() // the use is recorded after the response
    t.clock.advance(29 * MINUTE) // still alive: the last request counted as activity
    expect((await agent.get('/staff')).status).toBe(200)
    t.clock.advance(30 * MINUTE)
    const response = await agent.get('/staff')
    expect(response.status).toBe(303)
    expect(response.headers.get('Location')).toMatch(/^\/login(\?|$)/)
    expect(agent.cookies.has('__Host-session')).toBe(false)
  })

  it('record use at most once a minute, and a late record never moves last use backwards', async () => {
    const agent = await logIn(t, ADMIN)
    const id = agent.cookies.get('__Host-session')!.split('.')[0]!
    const lastSeen = async () => (await t.db.select().from(sessions).where(eq(sessions.id, id)))[0]!.lastSeenAt.getTime()
    const loggedIn = t.clock.now().getTime()
    t.clock.advance(30_000)
    await agent.get('/staff')
    await t.settle()
    expect(await lastSeen()).toBe(loggedIn)
    t.clock.advance(40_000)
    await agent.get('/staff')
    await t.settle()
    expect(await lastSeen()).toBe(loggedIn + 70_000)
    await touchSession(t, { sessionId: id, now: new Date(loggedIn + 10_000) })
    expect(await lastSeen()).toBe(loggedIn + 70_000)
  })

  it('end 12 hours after login however active', async () => {
    const agent = await logIn(t, ADMIN)
    for (let elapsed = 0; elapsed < 12 * HOUR - 20 * MINUTE; elapsed += 20 * MINUTE) {
      t.clock.advance(20 * MINUTE)
      expect((await agent.get('/staff')).status).toBe(200)
      await t.settle()
    }
    t.clock.advance(20 * MINUTE)
    expect((await agent.get('/staff')).status).toBe(303)
  })

  it('end on Log Out, on the server too', async () => {
    const agent = await logIn(t, ADMIN)
    const token = agent.cookies.get('__Host-session')!
    const response = await agent.post('/logout')
    expect(response.status).toBe(303)
    expect(response.headers.get('Location')).toBe('/login?signed_out')
    expect(response.headers.getSetCookie().join()).toMatch(/__Host-session=; Max-Age=0/)
    const [row] = await t.db
      .select()
      .from(sessions)
      .where(eq(sessions.id, token.split('.')[0]!))
    expect(row).toBeUndefined()
    // The old cookie, replayed, no longer opens anything.
    const replay = await t.agent().get('/staff', { Cookie: `__Host-session=${token}` })
    expect(replay.status).toBe(303)
  })

  it('refuse a forged token whose id exists but whose secret is wrong', async () => {
    const agent = await logIn(t, ADMIN)
    const [id] = agent.cookies.get('__Host-session')!.split('.')
    const forged = `${id}.${'a'.repeat(39)}`
    const response = await t.agent().get('/staff', { Cookie: `__Host-session=${forged}` })
    expect(response.status).toBe(303)
  })
})

describe('CSRF', () => {
  it('refuses a login form posted from another site', async () => {
    const response = await t.agent().post('/login', { email: ADMIN, password: ADMIN_PASSWORD }, { Origin: 'https://evil.example' })
    expect(response.status).toBe(403)
    expect(sessionCookieOf(response)).toBeUndefined()
  })

  it('refuses a form post that carries neither Origin nor Sec-Fetch-Site', async () => {
    const response = await t.app.request('http://localhost/login', {
      method: 'POST',
      body: new URLSearchParams({ email: ADMIN, password: ADMIN_PASSWORD }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    })
    expect(response.status).toBe(403)
  })

  it('refuses a post identified by Sec-Fetch-Site alone: only an Origin equal to APP_URL counts', async () => {
    const response = await t.app.request('http://localhost/login', {
      method: 'POST',
      body: new URLSearchParams({ email: ADMIN, password: ADMIN_PASSWORD }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
    })
    expect(response.status).toBe(403)
  })
})
