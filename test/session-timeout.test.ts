import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { practices, sessions } from '../db/schema'
import type { Agent } from './support/agent'
import { addPractice, createTestApp, HARBOR, logIn, type TestApp } from './support/app'
import { MINUTE } from './support/clock'

let t: TestApp
let admin: Agent

const settingsForm = (sessionIdleMinutes: string) => ({
  name: HARBOR.name,
  timeZone: 'America/New_York',
  senderName: '',
  sessionIdleMinutes,
})

beforeAll(async () => {
  t = await createTestApp()
  await addPractice(t, HARBOR.name, HARBOR.adminEmail)
  admin = await logIn(t, HARBOR.adminEmail)
})
afterAll(() => t.cleanup())

const idleMinutes = async () => (await t.db.select({ value: practices.sessionIdleMinutes }).from(practices))[0]!.value

describe('Sign Out After', () => {
  it('is a select in Practice Settings, 30 minutes unless the practice chose otherwise', async () => {
    const html = await (await admin.get('/settings')).text()
    expect(html).toContain('<label for="field-sessionIdleMinutes">Sign Out After</label>')
    expect(html).toMatch(/<select id="field-sessionIdleMinutes" name="sessionIdleMinutes"/)
    expect(html).toContain('<option value="30" selected="">30 minutes</option>')
    expect(html).toContain('<option value="5">5 minutes</option>')
    expect(html).toContain('<option value="60">60 minutes</option>')
    expect(await idleMinutes()).toBe(30)
  })

  it('accepts 5 to 60 minutes only, saying so beside the field', async () => {
    for (const bad of ['4', '61', '0', 'abc', '-5', '10.5', '9999']) {
      const response = await admin.post('/settings', settingsForm(bad))
      expect(response.status, bad).toBe(422)
      expect(await response.text()).toContain('Choose between 5 and 60 minutes.')
    }
    expect(await idleMinutes()).toBe(30)
    const saved = await admin.post('/settings', settingsForm('45'))
    expect(saved.status).toBe(303)
    expect(await idleMinutes()).toBe(45)
  })

  it('sits beside "Require Two-Step Sign-In": one form saves both, a form without one leaves it as it was', async () => {
    const html = await (await admin.get('/settings')).text()
    expect(html).toMatch(/<select id="field-sessionIdleMinutes"/)
    expect(html).toMatch(/<select id="field-twoStepPolicy"/)
    const both = await admin.post('/settings', { ...settingsForm('4'), twoStepPolicy: 'nobody' })
    expect(both.status).toBe(422)
    const page = await both.text()
    expect(page).toContain('Choose between 5 and 60 minutes.')
    expect(page).toContain('field-twoStepPolicy-error')
    expect(await idleMinutes()).toBe(45)
    // "Admins" needs the admin to have a factor: stay at Off, and change the minutes alone.
    expect((await admin.post('/settings', { ...settingsForm('20'), twoStepPolicy: 'off' })).status).toBe(303)
    expect(await idleMinutes()).toBe(20)
    const { name, timeZone, senderName } = settingsForm('20')
    expect((await admin.post('/settings', { name, timeZone, senderName, twoStepPolicy: 'off' })).status).toBe(303)
    expect(await idleMinutes()).toBe(20)
    expect((await t.db.select({ value: practices.twoStepPolicy }).from(practices))[0]!.value).toBe('off')
    await admin.post('/settings', settingsForm('45'))
  })

  it("ends sessions after the practice's own idle limit, and the page tells the browser that limit", async () => {
    await admin.post('/settings', settingsForm('5'))
    const agent = await logIn(t, HARBOR.adminEmail)
    const page = await (await agent.get('/portal')).text()
    expect(page).toContain('data-idle-minutes="5"')
    expect(page).toContain('<dialog id="session-warning"')
    expect(page).toContain('<h2 id="session-warning-title">Still there?</h2>')
    expect(page).toMatch(/<button type="submit" class="button button-primary" autofocus="">\s*Stay Signed In\s*<\/button>/)

    t.clock.advance(5 * MINUTE - 1000)
    expect((await agent.get('/portal')).status).toBe(200)
    t.clock.advance(5 * MINUTE)
    const ended = await agent.get('/staff?q=ana')
    expect(ended.status).toBe(303)
    // The login page says why, and logging in again returns to the page asked for.
    expect(ended.headers.get('Location')).toBe('/login?expired&next=%2Fstaff%3Fq%3Dana')
    const login = await agent.get(ended.headers.get('Location')!)
    const html = await login.text()
    expect(html).toContain('You were signed out because your session ended')
    expect(html).toContain('<input type="hidden" name="next" value="/staff?q=ana"/>')
    await admin.post('/settings', settingsForm('30'))
  })

  it('"Stay Signed In" touches the session: one request, and the idle clock starts again', async () => {
    await t.db.update(practices).set({ sessionIdleMinutes: 5 })
    const agent = await logIn(t, HARBOR.adminEmail)
    t.clock.advance(4 * MINUTE)
    const kept = await agent.post('/portal/keep-alive')
    expect(kept.status).toBe(204)
    const [row] = await t.db.select({ lastSeenAt: sessions.lastSeenAt }).from(sessions).where(eq(sessions.lastSeenAt, t.clock.now()))
    expect(row).toBeDefined()
    t.clock.advance(4 * MINUTE)
    expect((await agent.get('/portal')).status).toBe(200)
    // Without a session it is refused like every signed-in route: the server decides.
    expect((await t.agent().post('/portal/keep-alive')).status).toBe(303)
    // The 12-hour cap stays, however often the person stays signed in.
    for (let i = 0; i < 12 * 15; i++) {
      t.clock.advance(4 * MINUTE)
      const response = await agent.post('/portal/keep-alive')
      if (response.status !== 204) break
    }
    expect((await agent.get('/portal')).status).toBe(303)
    await t.db.update(practices).set({ sessionIdleMinutes: 30 })
  })

  it('htmx requests after the end go to the login page with the page they were on', async () => {
    const agent = await logIn(t, HARBOR.adminEmail)
    t.clock.advance(31 * MINUTE)
    const response = await agent.get('/staff?q=x', { 'HX-Request': 'true', 'HX-Current-URL': 'http://localhost/staff?q=ma' })
    expect(response.status).toBe(401)
    expect(response.headers.get('HX-Redirect')).toBe('/login?expired&next=%2Fstaff%3Fq%3Dma')
    const hostile = await t.agent().get('/staff', { 'HX-Request': 'true', 'HX-Current-URL': 'https://evil.test/staff' })
    expect(hostile.headers.get('HX-Redirect')).toBe('/login')
  })
})

describe('returning after logging in again', () => {
  it('goes to the same-site page the login form carries', async () => {
    const agent = t.agent()
    const response = await agent.post('/login', { email: HARBOR.adminEmail, password: 'Tidal orchid lantern quiver 42', next: '/settings' })
    expect(response.headers.get('Location')).toBe('/portal/name?next=%2Fsettings')
    expect((await agent.get('/portal/name?next=%2Fsettings')).status).toBe(200)
  })

  it('never goes to another site, whatever next says', async () => {
    for (const next of [
      '//evil.test',
      '/\\evil.test',
      'https://evil.test',
      '%2F%2Fevil',
      '/%2F%2Fevil',
      '//evil.test/%2e%2e',
      'javascript:alert(1)',
    ]) {
      const login = await t.agent().get(`/login?next=${encodeURIComponent(next)}`)
      expect(await login.text(), next).not.toContain('name="next"')
      const response = await t.agent().post('/login', { email: HARBOR.adminEmail, password: 'Tidal orchid lantern quiver 42', next })
      expect(response.headers.get('Location'), next).toBe('/portal/name?next=%2Fstaff')
      const skip = await (await logIn(t, HARBOR.adminEmail)).get(`/portal/name?next=${encodeURIComponent(next)}`)
      expect(await skip.text(), next).toContain('href="/staff">Skip for Now</a>')
    }
  })
})
