import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, auditEvents, pendingLogins, practices, sessions, totpFactors, webauthnChallenges } from '../db/schema'
import { countLoginFailure } from '../src/auth/throttle'
import { runMaintenance } from '../src/maintenance/maintenance'
import { generateTotpCode } from '../src/two-step/totp'
import type { Agent } from './support/agent'
import { ADMIN_PASSWORD, addPractice, createTestApp, logIn, TEST_IP, type TestApp } from './support/app'
import { MINUTE } from './support/clock'
import { readablePath } from './support/routes'
import { SoftAuthenticator } from './support/soft-authenticator'
import { addStaff, linkIn, pathOf, sendInvitation, STRONG_PASSWORD } from './support/staff'
import { codesIn, setupKeyIn } from './support/two-step-page'

// The whole login state machine with two-step sign-in, through app.request: password → pending
// second step (no session) → a factor → session; the practice's policy; the admin's reset; and
// password resets that never get past the second step.

let t: TestApp
let admin: Agent
const ADMIN = 'admin@harbor.test'
const NEW_PASSWORD = 'Lantern meadow quartz 2031'
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
const mailTo = (to: string) => t.devMailbox!.list().filter((m) => m.to === to)

/** Turns on an authenticator app from the page, as a person would; returns its secret and codes. */
async function turnOnApp(agent: Agent, setupPath = '/account/two-step') {
  await agent.post('/account/two-step/app/setup')
  const secret = setupKeyIn(await (await agent.get(setupPath)).text())
  const on = await agent.post('/account/two-step/app/turn-on', { code: generateTotpCode(secret, t.clock.now()) })
  expect(on.status).toBe(200)
  t.clock.advance(30_000)
  return { secret, recoveryCodes: codesIn(await on.text()) }
}

async function signedUpStaff(email: string) {
  const id = await addStaff(admin, { firstName: 'Rowan', lastName: 'Ellery', email1: email })
  await sendInvitation(admin, id, email)
  const created = await t
    .agent()
    .post(pathOf(linkIn(mailTo(email)[0]!.text)), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })
  expect(created.status).toBe(303)
  return id
}

async function sessionCount(email: string) {
  const [account] = await t.db.select().from(accounts).where(eq(accounts.email, email))
  return (await t.db.select().from(sessions).where(eq(sessions.accountId, account!.id))).length
}

/** The password step: an agent holding whatever cookies it set, and the answer. */
async function password(email: string, pass = STRONG_PASSWORD) {
  const agent = t.agent()
  const response = await agent.post('/login', { email, password: pass })
  return { agent, response }
}

beforeAll(async () => {
  t = await createTestApp()
  await addPractice(t, 'Harbor Therapy Group', ADMIN)
  admin = await logIn(t, ADMIN)
})
afterAll(() => t.cleanup())

describe('password, then the second step', () => {
  const email = 'rowan@harbor.test'
  let secret: Uint8Array
  let recoveryCodes: string[]

  beforeAll(async () => {
    await signedUpStaff(email)
    const { agent } = await password(email)
    ;({ secret, recoveryCodes } = await turnOnApp(agent))
  })

  it('a right password hands over to the second step: a pending cookie, no session, nothing opens', async () => {
    const before = await sessionCount(email)
    const { agent, response } = await password(email)
    expect(response.status).toBe(303)
    expect(response.headers.get('Location')).toBe('/login/two-step')
    expect(response.headers.getSetCookie().join()).toContain('__Host-pending-login=')
    expect(agent.cookies.has('__Host-session')).toBe(false)
    expect(await sessionCount(email)).toBe(before)
    expect((await agent.get('/portal')).headers.get('Location')).toBe('/login?next=%2Fportal')
    const page = text(await (await agent.get('/login/two-step')).text())
    expect(page).toContain('Authentication Code')
    expect(page).toContain('Use a Recovery Code')
  })

  it('a wrong password never reaches the second step', async () => {
    const { agent, response } = await password(email, 'not the password at all 123')
    expect(response.status).toBe(401)
    expect(agent.cookies.has('__Host-pending-login')).toBe(false)
  })

  it('the right code finishes the login: one session, last login, audited with how, failures cleared', async () => {
    await t.db.batch(countLoginFailure(t.db, t.clock.now(), { email, ip: '198.51.100.1', accountId: null }))
    const { agent } = await password(email)
    const wrong = await agent.post('/login/two-step', { code: '000000' })
    expect(wrong.status).toBe(401)
    expect(agent.cookies.has('__Host-session')).toBe(false)
    const done = await agent.post('/login/two-step', { code: generateTotpCode(secret, t.clock.now()) })
    expect(done.status).toBe(303)
    expect(done.headers.get('Location')).toBe('/portal')
    expect(agent.cookies.has('__Host-pending-login')).toBe(false)
    expect((await agent.get('/portal')).status).toBe(200)
    const [account] = await t.db.select().from(accounts).where(eq(accounts.email, email))
    expect(account!.lastLoginAt?.getTime()).toBe(t.clock.now().getTime())
    const [audit] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.event, 'login.succeeded'), eq(auditEvents.detail, 'second step: authenticator app')))
    expect(audit).toBeDefined()
    // A login finished in full clears the address's failures, as a password-only login does.
    const profile = await (await admin.get(`/staff/${account!.staffId}/portal`)).text()
    expect(profile).not.toContain('Failed logins')
    t.clock.advance(30_000)
  })

  it('returns to the page the person came back for after the second step too, and only to a path of this site', async () => {
    const agent = t.agent()
    const first = await agent.post('/login', { email, password: STRONG_PASSWORD, next: '/portal/password' })
    expect(first.headers.get('Location')).toBe('/login/two-step')
    const done = await agent.post('/login/two-step', { code: generateTotpCode(secret, t.clock.now()) })
    expect(done.headers.get('Location')).toBe('/portal/password')
    // Used once: the cookie that carried it is gone.
    expect(agent.cookies.has('__Host-login-next')).toBe(false)
    t.clock.advance(30_000)

    const outsider = t.agent()
    await outsider.post('/login', { email, password: STRONG_PASSWORD, next: '//evil.test/x' })
    const home = await outsider.post('/login/two-step', { code: generateTotpCode(secret, t.clock.now()) })
    expect(home.headers.get('Location')).toBe('/portal')
    t.clock.advance(30_000)
  })

  it('the pending state expires after five minutes, and a used one cannot be used again', async () => {
    const { agent } = await password(email)
    t.clock.advance(5 * MINUTE)
    const late = await agent.post('/login/two-step', { code: generateTotpCode(secret, t.clock.now()) })
    expect(late.status).toBe(303)
    expect(late.headers.get('Location')).toBe('/login?two_step_expired')
    expect(agent.cookies.has('__Host-session')).toBe(false)
    expect(text(await (await agent.get('/login?two_step_expired')).text())).toContain('Log in again')
  })

  it('a recovery code finishes it too, once', async () => {
    const { agent } = await password(email)
    const used = await agent.post('/login/two-step/recovery-code', { recoveryCode: recoveryCodes[0]! })
    expect(used.status).toBe(303)
    expect(agent.cookies.has('__Host-session')).toBe(true)
    const again = await (await password(email)).agent.post('/login/two-step/recovery-code', { recoveryCode: recoveryCodes[0]! })
    expect(again.status).toBe(401)
  })

  it('the second step is held back by the same address waits as the password step', async () => {
    const { agent } = await password(email)
    for (let i = 0; i < 12; i++) await t.db.batch(countLoginFailure(t.db, t.clock.now(), { email, ip: '198.51.100.2', accountId: null }))
    t.clock.advance(30_000)
    const held = await agent.post('/login/two-step', { code: generateTotpCode(secret, t.clock.now()) })
    expect(held.status).toBe(429)
    expect(agent.cookies.has('__Host-session')).toBe(false)
    t.clock.advance(15 * MINUTE)
  })

  it('a disabled account cannot finish a second step it started', async () => {
    const { agent } = await password(email)
    const [account] = await t.db.select().from(accounts).where(eq(accounts.email, email))
    await t.db.update(accounts).set({ disabledAt: t.clock.now() }).where(eq(accounts.id, account!.id))
    const refused = await agent.post('/login/two-step', { code: generateTotpCode(secret, t.clock.now()) })
    expect(refused.headers.get('Location')).toBe('/login?two_step_expired')
    await t.db.update(accounts).set({ disabledAt: null }).where(eq(accounts.id, account!.id))
  })
})

describe('password resets never get past the second step', () => {
  const email = 'reset@harbor.test'
  let staffId: string
  let secret: Uint8Array

  beforeAll(async () => {
    staffId = await signedUpStaff(email)
    const { agent } = await password(email)
    ;({ secret } = await turnOnApp(agent))
  })

  async function stillAsksForTheFactor(newPassword: string) {
    expect(await t.db.select().from(totpFactors).where(eq(totpFactors.status, 'enabled'))).not.toHaveLength(0)
    const { agent, response } = await password(email, newPassword)
    expect(response.headers.get('Location')).toBe('/login/two-step')
    expect(agent.cookies.has('__Host-session')).toBe(false)
    t.clock.advance(30_000)
    expect((await agent.post('/login/two-step', { code: generateTotpCode(secret, t.clock.now()) })).status).toBe(303)
  }

  it('by emailed code: no session, the factor stays, the next login asks for it', async () => {
    const browser = t.agent()
    await browser.post('/forgot-password', { email })
    await t.settle()
    const code = /verification code is (\d{8})/.exec(mailTo(email).at(0)!.text)![1]!
    expect(text(await (await browser.get(`/forgot-password/verify?email=${encodeURIComponent(email)}`)).text())).toContain(
      'does not sign you in or turn off two-step sign-in',
    )
    const reset = await browser.post('/forgot-password/verify', { email, code, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })
    expect(reset.status).toBe(303)
    expect(browser.cookies.has('__Host-session')).toBe(false)
    await stillAsksForTheFactor(NEW_PASSWORD)
  })

  it('by an admin link: no session, the factor stays, the next login asks for it', async () => {
    const generated = await admin.post(`/staff/${staffId}/portal/reset-links`, { expirationDate: '2026-11-28' }, { 'HX-Request': 'true' })
    const url = /id="field-resetLink" type="text" readonly="" value="([^"]+)"/.exec(await generated.text())![1]!
    const browser = t.agent()
    expect(text(await (await browser.get(pathOf(url))).text())).toContain('does not sign you in or turn off two-step sign-in')
    const reset = await browser.post(pathOf(url), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })
    expect(reset.status).toBe(303)
    expect(browser.cookies.has('__Host-session')).toBe(false)
    await stillAsksForTheFactor(STRONG_PASSWORD)
  })
})

describe('the practice policy', () => {
  const email = 'policy@harbor.test'

  it('cannot be turned on by an admin with no factor of their own: the message is beside the field', async () => {
    const settings = await admin.get('/settings')
    const html = await settings.text()
    expect(html).toContain('<label for="field-twoStepPolicy">Require Two-Step Sign-In</label>')
    for (const option of ['Off', 'Admins', 'Everyone']) expect(html).toContain(`>${option}</option>`)
    const refused = await admin.post('/settings', {
      name: 'Harbor Therapy Group',
      timeZone: 'UTC',
      senderName: '',
      twoStepPolicy: 'everyone',
    })
    expect(refused.status).toBe(422)
    const page = await refused.text()
    expect(page).toContain('field-twoStepPolicy-error')
    expect(page).toContain('Turn on two-step sign-in for your own account first')
    const [practice] = await t.db.select().from(practices)
    expect(practice!.twoStepPolicy).toBe('off')
  })

  it('an admin with a factor requires it of everyone; it is audited', async () => {
    await turnOnApp(admin)
    const [practice] = await t.db.select().from(practices)
    const saved = await admin.post('/settings', {
      name: practice!.name,
      timeZone: practice!.timeZone,
      senderName: '',
      twoStepPolicy: 'everyone',
    })
    expect(saved.status).toBe(303)
    expect((await t.db.select().from(practices))[0]!.twoStepPolicy).toBe('everyone')
    const [audit] = await t.db.select().from(auditEvents).where(eq(auditEvents.event, 'practice.settings_changed'))
    expect(audit!.detail).toContain('require two-step sign-in: “off” → “everyone”')
  })

  it('sends a person with no factor to "Set Up Two-Step Sign-In" right after the password, and nowhere else', async () => {
    await signedUpStaff(email)
    const { agent, response } = await password(email)
    expect(response.status).toBe(303)
    expect(response.headers.get('Location')).toBe('/account/two-step/setup')
    const page = await (await agent.get('/account/two-step/setup')).text()
    expect(page).toContain('<h1>Set Up Two-Step Sign-In</h1>')
    expect(page).toContain('Set Up Authenticator App')

    const [account] = await t.db.select().from(accounts).where(eq(accounts.email, email))
    const values: Record<string, string> = { id: account!.staffId, token: 'aaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }
    const open = new Set([
      '/account/two-step/setup',
      '/login',
      '/login/two-step',
      '/healthz',
      '/forgot-password',
      '/forgot-password/verify',
    ])
    const paths = [...new Set(t.app.routes.filter((r) => r.method === 'GET' && !r.path.includes('*')).map((r) => readablePath(r.path)))]
    const checked: string[] = []
    for (const path of paths) {
      const filled = path.replace(/:(\w+)/g, (_, name: string) => values[name] ?? 'aaaaaaaaaaaaaaaa')
      if (open.has(path)) continue
      const answer = await agent.get(filled)
      // Pages for signed-out people (the login page, links) are not behind it; everything else is.
      if (path.startsWith('/invite/') || path.startsWith('/reset/') || path.startsWith('/dev')) continue
      expect(answer.status, path).toBe(303)
      expect(answer.headers.get('Location'), path).toBe('/account/two-step/setup')
      checked.push(path)
    }
    expect(checked).toEqual(expect.arrayContaining(['/', '/portal', '/staff', '/settings', '/activity', '/account/two-step']))
    const htmx = await agent.htmx('/portal')
    expect(htmx.headers.get('HX-Redirect')).toBe('/account/two-step/setup')
    expect((await agent.post('/portal/password', {})).headers.get('Location')).toBe('/account/two-step/setup')
  })

  it('once a factor is on, the codes are shown and every page opens again', async () => {
    const { agent } = await password(email)
    const { recoveryCodes } = await turnOnApp(agent, '/account/two-step/setup')
    expect(recoveryCodes).toHaveLength(10)
    expect((await agent.get('/portal')).status).toBe(200)
    // The next login is an ordinary second step.
    expect((await password(email)).response.headers.get('Location')).toBe('/login/two-step')
  })

  it('"Admins" covers admins only', async () => {
    await t.db.update(practices).set({ twoStepPolicy: 'admins' })
    const staffOnly = 'plain@harbor.test'
    await signedUpStaff(staffOnly)
    expect((await password(staffOnly)).response.headers.get('Location')).toBe('/portal')
    await t.db.update(practices).set({ twoStepPolicy: 'off' })
  })
})

describe('Reset Two-Step Sign-In, by an admin', () => {
  const email = 'lost@harbor.test'
  let staffId: string

  beforeAll(async () => {
    staffId = await signedUpStaff(email)
    const { agent } = await password(email)
    await turnOnApp(agent)
  })

  it('the Staff Portal tab shows the person’s two-step state', async () => {
    const html = text(await (await admin.get(`/staff/${staffId}/portal`)).text())
    expect(html).toContain('Two-step sign-in')
    expect(html).toContain('Authenticator app On')
    expect(html).toContain('Recovery codes left 10 of 10')
    expect(html).toContain('Reset Two-Step Sign-In')
  })

  it('without script, a confirmation page whose button repeats the action; nothing changes until it is pressed', async () => {
    const confirm = await admin.get(`/staff/${staffId}/portal/two-step/reset`)
    expect(confirm.status).toBe(200)
    const html = await confirm.text()
    expect(html).toContain(`action="/staff/${staffId}/portal/two-step/reset"`)
    expect(html).toMatch(/<button[^>]*>\s*Reset Two-Step Sign-In\s*<\/button>/)
    expect(html).toContain('name="confirm" value="yes"')
    expect(await t.db.select().from(totpFactors).where(eq(totpFactors.status, 'enabled'))).not.toHaveLength(0)
  })

  it('removes the factors, ends sessions, audits and emails; the next login is the password alone', async () => {
    const [account] = await t.db.select().from(accounts).where(eq(accounts.email, email))
    const before = (await t.db.select().from(totpFactors)).length
    // Unconfirmed, it only asks; confirmed, it acts.
    expect(text(await (await admin.post(`/staff/${staffId}/portal/two-step/reset`)).text())).toContain('Reset Two-Step Sign-In for')
    expect(await t.db.select().from(totpFactors).where(eq(totpFactors.accountId, account!.id))).not.toEqual([])
    const reset = await admin.post(`/staff/${staffId}/portal/two-step/reset`, { confirm: 'yes' })
    expect(reset.status).toBe(200)
    expect(text(await reset.text())).toContain('Two-step sign-in was reset')
    expect(await t.db.select().from(totpFactors).where(eq(totpFactors.accountId, account!.id))).toEqual([])
    expect((await t.db.select().from(totpFactors)).length).toBe(before - 1)
    expect(await sessionCount(email)).toBe(0)
    const [audit] = await t.db.select().from(auditEvents).where(eq(auditEvents.event, 'two_step.reset'))
    expect(audit!.targetStaffId).toBe(staffId)
    await t.settle() // the notice goes out after the response
    expect(mailTo(email)[0]!.subject).toContain('reset two-step sign-in')
    expect((await password(email)).response.headers.get('Location')).toBe('/portal')
    expect(text(await (await admin.get('/activity')).text())).toContain('Two-step sign-in reset')
  })

  it('another practice’s admin gets 404', async () => {
    await addPractice(t, 'Summit Speech', 'admin@summit.test')
    const other = await logIn(t, 'admin@summit.test')
    expect((await other.get(`/staff/${staffId}/portal/two-step/reset`)).status).toBe(404)
    expect((await other.post(`/staff/${staffId}/portal/two-step/reset`, { confirm: 'yes' })).status).toBe(404)
  })
})

describe('Log In with a Passkey', () => {
  const email = 'passkey@harbor.test'
  const authenticator = new SoftAuthenticator({ rpId: 'localhost', origin: 'http://localhost' })

  beforeAll(async () => {
    await signedUpStaff(email)
    const { agent } = await password(email)
    const options = (await (await agent.post('/account/two-step/passkeys/options')).json()) as { challenge: string; user: { id: string } }
    const credential = JSON.stringify(await authenticator.create(options))
    expect((await agent.post('/account/two-step/passkeys', { name: 'Phone', credential })).status).toBe(200)
  })

  it('is on the login page, for browsers with passkeys', async () => {
    const html = await (await t.agent().get('/login')).text()
    expect(html).toContain('data-options="/login/passkey/options"')
    expect(html).toContain('Log In with a Passkey')
    expect(html).toContain('src="/passkey.js"')
  })

  it('signs in with the passkey alone, bound to the browser that asked', async () => {
    const browser = t.agent()
    const options = await browser.post('/login/passkey/options')
    expect(options.status).toBe(200)
    expect(browser.cookies.has('__Host-passkey-login')).toBe(true)
    const body = (await options.json()) as { challenge: string; allowCredentials: unknown[]; userVerification: string }
    expect(body.allowCredentials).toEqual([])
    expect(body.userVerification).toBe('required')
    const answer = JSON.stringify(await authenticator.get(body))

    const other = t.agent()
    await other.post('/login/passkey/options')
    const stolen = await other.post('/login/passkey', { passkeyResponse: answer })
    expect(stolen.status).toBe(401)
    expect(other.cookies.has('__Host-session')).toBe(false)

    const done = await browser.post('/login/passkey', { passkeyResponse: answer })
    expect(done.status).toBe(303)
    expect(done.headers.get('Location')).toBe('/portal')
    expect(browser.cookies.has('__Host-session')).toBe(true)
    expect((await t.db.select().from(auditEvents).where(eq(auditEvents.detail, 'passkey'))).length).toBe(1)
    // Used once.
    expect((await browser.post('/login/passkey', { passkeyResponse: answer })).status).toBe(401)
  })

  it('returns to the page the login page was opened for', async () => {
    const browser = t.agent()
    const page = await (await browser.get('/login?next=%2Fportal%2Fpassword')).text()
    expect(page.match(/name="next" value="\/portal\/password"/g)).toHaveLength(2)
    const answer = JSON.stringify(await authenticator.get(await (await browser.post('/login/passkey/options')).json()))
    const done = await browser.post('/login/passkey', { passkeyResponse: answer, next: '/portal/password' })
    expect(done.headers.get('Location')).toBe('/portal/password')
  })

  it('without the browser cookie, or from a cross-site page, nothing is issued or accepted', async () => {
    expect((await t.agent().post('/login/passkey/options', {}, { Origin: 'https://evil.example' })).status).toBe(403)
    expect((await t.agent().post('/login/passkey', { passkeyResponse: '{}' })).status).toBe(401)
  })

  it('bounds the unanswered challenges one address holds', async () => {
    await t.db.delete(webauthnChallenges)
    const answers: number[] = []
    for (let i = 0; i < 31; i++) answers.push((await t.agent().post('/login/passkey/options')).status)
    expect(answers.slice(0, 30).every((s) => s === 200)).toBe(true)
    expect(answers[30]).toBe(429)
    // One browser asking again replaces its own challenge rather than adding one.
    const browser = t.agent()
    t.clock.advance(5 * MINUTE)
    for (let i = 0; i < 3; i++) await browser.post('/login/passkey/options')
    const live = await t.db.select().from(webauthnChallenges).where(eq(webauthnChallenges.ip, TEST_IP))
    expect(live.filter((c) => c.expiresAt > t.clock.now())).toHaveLength(1)
  })

  it('the maintenance run clears expired challenges and second steps', async () => {
    await password('rowan@harbor.test')
    t.clock.advance(6 * MINUTE)
    const report = await runMaintenance({
      db: t.db,
      clock: t.clock,
      config: t.config,
      logger: { info: () => {}, error: () => {} },
      mailer: t.devMailbox!,
    })
    expect(report.cleanup!.webauthnChallenges).toBeGreaterThan(0)
    expect(report.cleanup!.pendingLogins).toBeGreaterThan(0)
    expect(await t.db.select().from(pendingLogins)).toEqual([])
    expect(await t.db.select().from(webauthnChallenges)).toEqual([])
  })
})

void ADMIN_PASSWORD

describe('the first admin still under the placeholder name', () => {
  const FIRST = 'first@lakeside.test'

  it('is asked for their name after the second step too, then goes where they were going', async () => {
    await addPractice(t, 'Lakeside Therapy', FIRST)
    const { secret } = await turnOnApp(await logIn(t, FIRST))
    const agent = t.agent()
    expect((await agent.post('/login', { email: FIRST, password: ADMIN_PASSWORD, next: '/settings' })).headers.get('Location')).toBe(
      '/login/two-step',
    )
    const done = await agent.post('/login/two-step', { code: generateTotpCode(secret, t.clock.now()) })
    expect(done.headers.get('Location')).toBe('/portal/name?next=%2Fsettings')
    expect((await agent.get('/portal/name?next=%2Fsettings')).status).toBe(200)
  })
})
