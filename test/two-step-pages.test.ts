import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditEvents, emailOutbox, passkeys, totpFactors } from '../db/schema'
import { generateTotpCode } from '../src/two-step/totp'
import type { Agent } from './support/agent'
import { addPractice, createTestApp, logIn, type TestApp } from './support/app'
import { SoftAuthenticator } from './support/soft-authenticator'

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
const codesIn = (html: string) => [...html.matchAll(/<code>([a-z2-7]{5}-[a-z2-7]{5})<\/code>/g)].map((m) => m[1]!)

/** The Setup Key as the page shows it, read the way a person types it into an app. */
function setupKeyIn(html: string): Uint8Array {
  const match = /<input id="field-setupKey" name="setupKey" type="text" value="([A-Z2-7 ]+)"[^>]*readonly/.exec(html)
  if (!match) throw new Error('no read-only Setup Key field')
  return decodeBase32IgnorePadding(match[1]!.replace(/ /g, ''))
}

describe('Two-Step Sign-In page', () => {
  let secret: Uint8Array
  let recoveryCodes: string[]

  it('is linked from the portal home and asks to sign in first', async () => {
    expect(await (await admin.get('/portal')).text()).toContain('href="/account/two-step"')
    const stranger = await t.agent().get(PAGE)
    expect(stranger.status).toBe(303)
    expect(stranger.headers.get('Location')).toBe('/login?next=%2Faccount%2Ftwo-step')
  })

  it('sets up the authenticator app: QR code, Setup Key, a wrong code refused beside the field, then Turn On', async () => {
    const off = await (await admin.get(PAGE)).text()
    expect(off).toContain('Set Up Authenticator App')
    expect(off).not.toContain('New Recovery Codes')

    const setup = await admin.post(`${PAGE}/app/setup`)
    expect(setup.status).toBe(303)
    const html = await (await admin.get(PAGE)).text()
    expect(html).toMatch(/<svg role="img" aria-label="QR code to scan with your authenticator app"/)
    expect(html).not.toMatch(/<script(?![^>]*src=)/)
    secret = setupKeyIn(html)
    expect(secret).toHaveLength(20)
    expect(html).toContain('<label for="field-code">Authentication Code</label>')

    const wrong = await admin.post(`${PAGE}/app/turn-on`, { code: '000000' })
    expect(wrong.status).toBe(422)
    const wrongHtml = await wrong.text()
    expect(wrongHtml).toContain('field-code-error')
    expect(wrongHtml).toContain('That code is not right')
    expect((await t.db.select().from(totpFactors))[0]!.status).toBe('pending')

    const on = await admin.post(`${PAGE}/app/turn-on`, { code: generateTotpCode(secret, t.clock.now()) })
    expect(on.status).toBe(200)
    const onHtml = await on.text()
    expect(text(onHtml)).toContain('Recovery Codes')
    recoveryCodes = codesIn(onHtml)
    expect(recoveryCodes).toHaveLength(10)
    expect(new Set(recoveryCodes).size).toBe(10)
    // The notice is on record when the answer comes (a failed or lost send is retried from it);
    // only its sending waits until after the response.
    const [queued] = await t.db.select().from(emailOutbox).where(eq(emailOutbox.template, 'two-step-on'))
    expect(queued!.status).toBe('pending')
    expect(JSON.parse(queued!.params)).toMatchObject({ factor: { kind: 'app' }, language: 'en' })
    await t.settle() // the notice goes out after the response
    expect(t.devMailbox!.list()[0]!.subject).toContain('an authenticator app was added')
  })

  it('shows the recovery codes once only', async () => {
    const html = await (await admin.get(PAGE)).text()
    expect(codesIn(html)).toEqual([])
    for (const code of recoveryCodes) expect(html).not.toContain(code)
    expect(text(html)).toContain('10 of 10 recovery codes left')
  })

  it('New Recovery Codes asks for a current factor, then replaces the codes', async () => {
    const confirm = await (await admin.get(`${PAGE}/recovery-codes/new`)).text()
    expect(confirm).toContain('Authentication Code')
    expect(confirm).toContain('Recovery Code')
    const none = await admin.post(`${PAGE}/recovery-codes/new`, {})
    expect(none.status).toBe(422)
    t.clock.advance(30_000)
    const fresh = await admin.post(`${PAGE}/recovery-codes/new`, { code: generateTotpCode(secret, t.clock.now()) })
    expect(fresh.status).toBe(200)
    const codes = codesIn(await fresh.text())
    expect(codes).toHaveLength(10)
    expect(codes).not.toContain(recoveryCodes[0])
    recoveryCodes = codes
  })

  it('adds a passkey through the options endpoint, which a cross-site post cannot reach', async () => {
    const crossSite = await admin.post(`${PAGE}/passkeys/options`, {}, { Origin: 'https://evil.example' })
    expect(crossSite.status).toBe(403)
    const options = (await (await admin.post(`${PAGE}/passkeys/options`)).json()) as { challenge: string; user: { id: string } }
    expect(options).toMatchObject({ rp: { id: 'localhost' }, attestation: 'none' })
    const authenticator = new SoftAuthenticator({ rpId: 'localhost', origin: 'http://localhost' })
    const credential = JSON.stringify(await authenticator.create(options))

    const unnamed = await admin.post(`${PAGE}/passkeys`, { name: '  ', credential })
    expect(unnamed.status).toBe(422)
    expect(await unnamed.text()).toContain('Give the passkey a name')

    const added = await admin.post(`${PAGE}/passkeys`, { name: 'Work laptop', credential })
    expect(added.status).toBe(303)
    const html = await (await admin.get(`${PAGE}?added`)).text()
    expect(html).toContain('Work laptop')
    expect(html).toContain('aria-label="Remove Work laptop"')
    // The same answer again: its challenge was used.
    expect((await admin.post(`${PAGE}/passkeys`, { name: 'Again', credential })).status).toBe(422)
    expect(await t.db.select().from(passkeys)).toHaveLength(1)
  })

  it('Remove asks for a current factor; a wrong one changes nothing; a recovery code does', async () => {
    const confirm = await admin.get(`${PAGE}/remove/app`)
    expect(confirm.status).toBe(200)
    expect(await confirm.text()).toContain('Remove your authenticator app')

    const wrong = await admin.post(`${PAGE}/remove/app`, { recoveryCode: 'aaaaa-aaaaa' })
    expect(wrong.status).toBe(422)
    expect((await t.db.select().from(totpFactors))[0]!.status).toBe('enabled')

    const removed = await admin.post(`${PAGE}/remove/app`, { recoveryCode: recoveryCodes[0]! })
    expect(removed.status).toBe(303)
    expect(await t.db.select().from(totpFactors)).toEqual([])
    // The passkey still guards the account, so the codes stay.
    const html = await (await admin.get(`${PAGE}?removed`)).text()
    expect(text(html)).toContain('9 of 10 recovery codes left')
    const removals = await t.db.select().from(auditEvents).where(eq(auditEvents.event, 'two_step.factor_removed'))
    expect(removals).toHaveLength(1)
    await t.settle() // the notice goes out after the response
    expect(t.devMailbox!.list()[0]!.subject).toContain('was removed')
  })

  it('another account cannot open the removal page of a passkey that is not theirs', async () => {
    const [key] = await t.db.select().from(passkeys)
    await addPractice(t, 'Summit Speech', 'admin@summit.test')
    const other = await logIn(t, 'admin@summit.test')
    expect((await other.get(`${PAGE}/remove/passkey/${key!.id}`)).status).toBe(404)
    expect((await other.post(`${PAGE}/remove/passkey/${key!.id}`, { recoveryCode: recoveryCodes[1]! })).status).toBe(404)
    expect(await t.db.select().from(passkeys)).toHaveLength(1)
  })
})
