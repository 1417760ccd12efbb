import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, totpFactors } from '../db/schema'
import { startPendingLogin } from '../src/two-step/pending-login'
import type { TwoStepPerson } from '../src/two-step/person'
import { generateTotpCode, startTotpSetup, turnOnTotp } from '../src/two-step/totp'
import type { Agent } from './support/agent'
import { addPractice, createTestApp, logIn, TEST_IP, type TestApp } from './support/app'
import { MINUTE } from './support/clock'
import { SoftAuthenticator } from './support/soft-authenticator'

let t: TestApp
let person: TwoStepPerson
let secret: Uint8Array
let recoveryCodes: string[]
let deps: Parameters<typeof turnOnTotp>[0]

beforeAll(async () => {
  t = await createTestApp()
  await addPractice(t, 'Harbor Therapy Group', 'admin@harbor.test')
  const [row] = await t.db
    .select({ accountId: accounts.id, practiceId: accounts.practiceId, staffId: accounts.staffId })
    .from(accounts)
    .where(eq(accounts.email, 'admin@harbor.test'))
  person = row!
  deps = { db: t.db, clock: t.clock, logger: { info: () => {}, error: () => {} }, mailer: t.devMailbox! }
  await startTotpSetup(deps, person)
  const [factor] = await t.db.select().from(totpFactors)
  secret = decodeBase32IgnorePadding(factor!.secret)
  const on = await turnOnTotp(deps, { person, code: generateTotpCode(secret, t.clock.now()), ip: TEST_IP, hadFactor: false })
  recoveryCodes = on.ok ? on.recoveryCodes! : []
  t.clock.advance(30_000)
})
afterAll(() => t.cleanup())

/** What the password step does for a person with a factor: a pending login and its cookie, no session. */
async function afterPassword(): Promise<Agent> {
  const agent = t.agent()
  const { token } = await startPendingLogin(deps, { ...person, ip: TEST_IP })
  agent.cookies.set('__Host-pending-login', token)
  return agent
}

describe('login, second step', () => {
  it('sends a browser with no pending login back to the password', async () => {
    const response = await t.agent().get('/login/two-step')
    expect(response.status).toBe(303)
    expect(response.headers.get('Location')).toBe('/login?two_step_expired')
  })

  it('is not a session: a pending login opens no page', async () => {
    const agent = await afterPassword()
    expect((await agent.get('/portal')).status).toBe(303)
    const page = await (await agent.get('/login/two-step')).text()
    for (const name of ['>Authentication Code</label>', '>Verify</button>', '>Use a Recovery Code</a>']) expect(page).toContain(name)
  })

  it('refuses a wrong code without a session, then lets the right one in once', async () => {
    const agent = await afterPassword()
    const wrong = await agent.post('/login/two-step', { code: '000000' })
    expect(wrong.status).toBe(401)
    expect(await wrong.text()).toContain('That code is not right, or was already used.')
    expect(agent.cookies.has('__Host-session')).toBe(false)

    const code = generateTotpCode(secret, t.clock.now())
    const right = await agent.post('/login/two-step', { code })
    expect(right.status).toBe(303)
    // The seeded admin still has the placeholder name, so the finished login asks for it first.
    expect(right.headers.get('Location')).toBe('/portal/name?next=%2Fstaff')
    expect(agent.cookies.has('__Host-session')).toBe(true)
    expect(agent.cookies.has('__Host-pending-login')).toBe(false)
    expect((await agent.get('/staff')).status).toBe(200)

    // The same code in another browser that also passed the password: used already.
    const other = await afterPassword()
    expect((await other.post('/login/two-step', { code })).status).toBe(401)
  })

  it('expires five minutes after the password', async () => {
    const agent = await afterPassword()
    t.clock.advance(5 * MINUTE)
    const late = await agent.post('/login/two-step', { code: generateTotpCode(secret, t.clock.now()) })
    expect(late.status).toBe(303)
    expect(late.headers.get('Location')).toBe('/login?two_step_expired')
    expect(agent.cookies.has('__Host-session')).toBe(false)
  })

  it('accepts a recovery code once, and emails the person', async () => {
    const agent = await afterPassword()
    expect(await (await agent.get('/login/two-step/recovery-code')).text()).toContain('>Recovery Code</label>')
    const used = await agent.post('/login/two-step/recovery-code', { recoveryCode: recoveryCodes[0]! })
    expect(used.status).toBe(303)
    expect(agent.cookies.has('__Host-session')).toBe(true)
    await t.settle() // the notice goes out after the response
    expect(t.devMailbox!.list()[0]!.subject).toContain('A recovery code was used')
    const again = await (await afterPassword()).post('/login/two-step/recovery-code', { recoveryCode: recoveryCodes[0]! })
    expect(again.status).toBe(401)
  })

  it('accepts a passkey of the account, for this pending login only', async () => {
    // The password alone no longer opens a session: the app's code finishes it.
    t.clock.advance(30_000)
    const admin = await logIn(t, 'admin@harbor.test')
    expect(admin.cookies.has('__Host-session')).toBe(false)
    expect((await admin.post('/login/two-step', { code: generateTotpCode(secret, t.clock.now()) })).status).toBe(303)
    const authenticator = new SoftAuthenticator({ rpId: 'localhost', origin: 'http://localhost' })
    const options = (await (await admin.post('/account/two-step/passkeys/options')).json()) as { challenge: string; user: { id: string } }
    const credential = JSON.stringify(await authenticator.create(options))
    expect((await admin.post('/account/two-step/passkeys', { name: 'Phone', credential })).status).toBe(303)

    const agent = await afterPassword()
    const stepOptions = (await (await agent.post('/login/two-step/passkey/options')).json()) as { challenge: string }
    const answer = JSON.stringify(await authenticator.get(stepOptions))
    // Another pending login cannot use this pending login's challenge.
    const other = await afterPassword()
    expect((await other.post('/login/two-step/passkey', { passkeyResponse: answer })).status).toBe(401)
    const signedIn = await agent.post('/login/two-step/passkey', { passkeyResponse: answer })
    expect(signedIn.status).toBe(303)
    expect(agent.cookies.has('__Host-session')).toBe(true)
  })
})
