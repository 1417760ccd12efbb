// Removing one's last second factor while the practice's "Require Two-Step Sign-In" covers the
// person is refused: the factor stays, nothing is spent, and the page says why above the form.
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, auditEvents, passkeys, practices, recoveryCodes, totpFactors, twoStepFailures } from '../db/schema'
import { generateTotpCode } from '../src/two-step/totp'
import { removeSecondFactor } from '../src/two-step/removal'
import type { Agent } from './support/agent'
import { addPractice, createTestApp, logIn, TEST_IP, type TestApp } from './support/app'
import { SoftAuthenticator } from './support/soft-authenticator'
import { codesIn, setupKeyIn } from './support/two-step-page'

let t: TestApp
let admin: Agent

beforeAll(async () => {
  t = await createTestApp()
  await addPractice(t, 'Harbor Therapy Group', 'admin@harbor.test')
  admin = await logIn(t, 'admin@harbor.test')
})
afterAll(() => t.cleanup())

const PAGE = '/account/two-step'
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
const unusedCodes = async () => (await t.db.select().from(recoveryCodes)).filter((row) => row.usedAt === null).length

const setPolicy = (policy: 'off' | 'admins' | 'everyone') =>
  t.db.update(practices).set({ twoStepPolicy: policy }).where(eq(practices.name, 'Harbor Therapy Group'))

describe('removing the last second factor under "Require Two-Step Sign-In"', () => {
  let recovery: string[]

  it('is refused for an admin under "Admins" with only an authenticator app: the app stays, the code is not spent', async () => {
    await admin.post(`${PAGE}/app/setup`)
    const secret = setupKeyIn(await (await admin.get(PAGE)).text())
    const on = await admin.post(`${PAGE}/app/turn-on`, { code: generateTotpCode(secret, t.clock.now()) })
    expect(on.status).toBe(200)
    recovery = codesIn(await on.text())
    t.clock.advance(30_000)
    await setPolicy('admins')

    // The confirmation flow is kept: the page asks for a factor as before.
    const confirm = await admin.get(`${PAGE}/remove/app`)
    expect(confirm.status).toBe(200)

    const refused = await admin.post(`${PAGE}/remove/app`, { recoveryCode: recovery[0]! })
    expect(refused.status).toBe(409)
    const html = await refused.text()
    expect(html).toContain('role="alert"')
    expect(text(html)).toContain('Harbor Therapy Group requires two-step sign-in')
    expect(text(html)).toContain('Add a passkey before you remove')
    // Still the confirmation form, so the message sits above it.
    expect(html).toContain(`action="${PAGE}/remove/app"`)
    expect(html.indexOf('role="alert"')).toBeLessThan(html.indexOf(`action="${PAGE}/remove/app"`))
    expect((await t.db.select().from(totpFactors))[0]?.status).toBe('enabled')
    expect(await unusedCodes()).toBe(10)
    expect(await t.db.select().from(auditEvents).where(eq(auditEvents.event, 'two_step.factor_removed'))).toEqual([])
  })

  it('is refused under "Everyone" too', async () => {
    await setPolicy('everyone')
    expect((await admin.post(`${PAGE}/remove/app`, { recoveryCode: recovery[0]! })).status).toBe(409)
    expect((await t.db.select().from(totpFactors))[0]?.status).toBe('enabled')
  })

  it('is allowed with a passkey left, and the passkey, now the last, is then refused', async () => {
    const options = (await (await admin.post(`${PAGE}/passkeys/options`)).json()) as { challenge: string; user: { id: string } }
    const authenticator = new SoftAuthenticator({ rpId: 'localhost', origin: 'http://localhost' })
    const added = await admin.post(`${PAGE}/passkeys`, { name: 'Phone', credential: JSON.stringify(await authenticator.create(options)) })
    expect(added.status).toBe(303)

    const removed = await admin.post(`${PAGE}/remove/app`, { recoveryCode: recovery[0]! })
    expect(removed.status).toBe(303)
    expect(await t.db.select().from(totpFactors)).toEqual([])
    expect(await unusedCodes()).toBe(9)

    const [key] = await t.db.select().from(passkeys)
    const refused = await admin.post(`${PAGE}/remove/passkey/${key!.id}`, { recoveryCode: recovery[1]! })
    expect(refused.status).toBe(409)
    expect(text(await refused.text())).toContain('requires two-step sign-in')
    expect(await t.db.select().from(passkeys)).toHaveLength(1)
    expect(await unusedCodes()).toBe(9)
  })

  it('is allowed once the policy no longer covers the person', async () => {
    await setPolicy('off')
    const [key] = await t.db.select().from(passkeys)
    const removed = await admin.post(`${PAGE}/remove/passkey/${key!.id}`, { recoveryCode: recovery[1]! })
    expect(removed.status).toBe(303)
    expect(await t.db.select().from(passkeys)).toEqual([])
    // The last factor gone: the codes go with it.
    expect(await unusedCodes()).toBe(0)
  })

  it('is refused by the removal itself when the policy changes after the page was opened: nothing is written', async () => {
    // The person has the app alone again, and a failure counted against it.
    await admin.post(`${PAGE}/app/setup`)
    const secret = setupKeyIn(await (await admin.get(PAGE)).text())
    expect((await admin.post(`${PAGE}/app/turn-on`, { code: generateTotpCode(secret, t.clock.now()) })).status).toBe(200)
    t.clock.advance(30_000)
    await admin.post(`${PAGE}/remove/app`, { code: '000000' })
    await setPolicy('everyone')
    const [account] = await t.db.select().from(accounts).where(eq(accounts.email, 'admin@harbor.test'))
    const person = { accountId: account!.id, practiceId: account!.practiceId, staffId: account!.staffId }
    const audited = (await t.db.select().from(auditEvents).where(eq(auditEvents.event, 'two_step.factor_removed'))).length
    const codes = await unusedCodes()

    expect(
      await removeSecondFactor(
        { db: t.db, clock: t.clock, logger: { info: () => {}, error: () => {} }, mailer: t.devMailbox! },
        { person, factor: { kind: 'totp' }, ip: TEST_IP },
      ),
    ).toEqual({ ok: false, reason: 'required' })
    expect((await t.db.select().from(totpFactors))[0]?.status).toBe('enabled')
    expect(await unusedCodes()).toBe(codes)
    expect(await t.db.select().from(twoStepFailures)).toHaveLength(1)
    expect(await t.db.select().from(auditEvents).where(eq(auditEvents.event, 'two_step.factor_removed'))).toHaveLength(audited)
  })
})
