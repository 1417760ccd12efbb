import { decodeBase32IgnorePadding, decodeBase64urlIgnorePadding } from '@oslojs/encoding'
import { describe, expect, it } from 'vitest'
import { generateTotpCode, matchTotpStep } from '../../src/two-step/totp'
import {
  parseAssertionResponse,
  parseRegistrationResponse,
  relyingPartyFrom,
  verifyAssertion,
  verifyRegistration,
} from '../../src/two-step/webauthn'
import { SoftAuthenticator } from '../support/soft-authenticator'
import { RECORDED_PASSKEY } from './fixtures/passkey'
import { APP_URL, logIn } from './support'

// Two-step sign-in's cryptography is pure JS (HMAC-SHA1, ECDSA P-256): this checks it gives the
// same answers inside workerd as in Node, then runs the pages through the deployed Worker.
describe('two-step sign-in in workerd', () => {
  it('verifies a TOTP code against RFC 6238', () => {
    const secret = new TextEncoder().encode('12345678901234567890')
    expect(matchTotpStep(secret, '14050471', new Date(1111111111_000), 8)).toBe(Math.floor(1111111111 / 30))
    expect(matchTotpStep(secret, '050471', new Date(1111111111_000))).toBe(Math.floor(1111111111 / 30))
    expect(matchTotpStep(secret, '050472', new Date(1111111111_000))).toBeNull()
  })

  it('verifies a recorded passkey registration and assertion, and refuses it for another site', () => {
    const rp = relyingPartyFrom({ APP_URL: RECORDED_PASSKEY.rp.origin })
    expect(rp).toEqual({ id: RECORDED_PASSKEY.rp.rpId, origin: RECORDED_PASSKEY.rp.origin })
    const registered = verifyRegistration(rp, parseRegistrationResponse(JSON.stringify(RECORDED_PASSKEY.registration))!)
    expect(registered).toMatchObject({ credentialId: RECORDED_PASSKEY.registration.id, algorithm: -7, signCount: 7 })
    expect(registered.challenge).toEqual(decodeBase64urlIgnorePadding(RECORDED_PASSKEY.regChallenge))

    const assertion = parseAssertionResponse(JSON.stringify(RECORDED_PASSKEY.assertion))!
    const verified = verifyAssertion(rp, assertion, registered)
    expect(verified.signCount).toBe(8)
    expect(verified.challenge).toEqual(decodeBase64urlIgnorePadding(RECORDED_PASSKEY.getChallenge))

    expect(() => verifyAssertion(relyingPartyFrom({ APP_URL: 'https://portal.harbor.test:8443' }), assertion, registered)).toThrow(
      'wrong origin',
    )
    const tampered = {
      ...assertion,
      response: { ...assertion.response, signature: assertion.response.signature.replace(/^.{8}/, 'MEUCIQDA') },
    }
    expect(() => verifyAssertion(rp, tampered, registered)).toThrow()
  })

  it('turns on an authenticator app and adds a passkey through the Worker, then removes both', async () => {
    const admin = await logIn()
    expect((await admin.post('/account/two-step/app/setup')).status).toBe(303)
    const page = await (await admin.get('/account/two-step')).text()
    expect(page).toContain('<svg role="img"')
    const key = /name="setupKey" type="text" value="([A-Z2-7 ]+)"/.exec(page)![1]!
    const secret = decodeBase32IgnorePadding(key.replace(/ /g, ''))
    const on = await admin.post('/account/two-step/app/turn-on', { code: generateTotpCode(secret, new Date()) })
    expect(on.status).toBe(200)
    const codes = [...(await on.text()).matchAll(/<code>([a-z2-7]{5}-[a-z2-7]{5})<\/code>/g)].map((m) => m[1]!)
    expect(codes).toHaveLength(10)

    const options = (await (await admin.post('/account/two-step/passkeys/options')).json()) as { challenge: string; rp: { id: string } }
    expect(options.rp.id).toBe(new URL(APP_URL).hostname)
    const authenticator = new SoftAuthenticator({ rpId: options.rp.id, origin: new URL(APP_URL).origin })
    const credential = JSON.stringify(await authenticator.create(options))
    expect((await admin.post('/account/two-step/passkeys', { name: 'Worker key', credential })).status).toBe(303)

    // Removing the passkey confirmed by the passkey itself, then the app with a recovery code.
    const removePath = `/account/two-step/remove/passkey/${authenticator.id}`
    const confirmOptions = (await (await admin.post('/account/two-step/confirm/options')).json()) as { challenge: string }
    const passkeyResponse = JSON.stringify(await authenticator.get(confirmOptions))
    expect((await admin.post(removePath, { passkeyResponse })).status).toBe(303)
    expect((await admin.post('/account/two-step/remove/app', { recoveryCode: codes[0]! })).status).toBe(303)
    expect(await (await admin.get('/account/two-step')).text()).toContain('Two-step sign-in is off')
  })
})
