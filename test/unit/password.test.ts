import { describe, expect, it } from 'vitest'
import { hashPassword, SCRYPT_PARAMS, verifyPassword } from '../../src/auth/password'
import { checkNewPassword } from '../../src/auth/password-policy'

describe('password hashing', () => {
  it('uses scrypt N=2^14 r=8 p=5 and stores the parameters with a per-hash salt', async () => {
    expect(SCRYPT_PARAMS).toEqual({ N: 16384, r: 8, p: 5 })
    const a = await hashPassword('Tidal orchid lantern quiver 42')
    const b = await hashPassword('Tidal orchid lantern quiver 42')
    expect(a).toMatch(/^scrypt\$16384\$8\$5\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/)
    expect(a).not.toBe(b)
    expect(a).not.toContain('Tidal')
  })

  it('verifies the right password only', async () => {
    const hash = await hashPassword('Tidal orchid lantern quiver 42')
    expect(await verifyPassword(hash, 'Tidal orchid lantern quiver 42')).toBe(true)
    expect(await verifyPassword(hash, 'Tidal orchid lantern quiver 43')).toBe(false)
    expect(await verifyPassword('garbage', 'anything')).toBe(false)
  })

  it('verifies a hash made with other stored parameters, so they can be raised later', async () => {
    const { scryptSync, randomBytes } = await import('node:crypto')
    const salt = randomBytes(16)
    const key = scryptSync('Quiet meadow copper anchor 7', salt, 32, { N: 2 ** 12, r: 8, p: 1 })
    const older = ['scrypt', 4096, 8, 1, salt.toString('base64'), key.toString('base64')].join('$')
    expect(await verifyPassword(older, 'Quiet meadow copper anchor 7')).toBe(true)
  })

  it('normalises Unicode with NFKC, so composed and decomposed input are one password', async () => {
    const composed = 'Crème brûlée stays on the menu'
    const decomposed = composed.normalize('NFD')
    expect(decomposed).not.toBe(composed)
    const hash = await hashPassword(composed)
    expect(await verifyPassword(hash, decomposed)).toBe(true)
  })
})

describe('password policy', () => {
  const context = ['Jane', 'Smith', 'jane.smith@clinic.test', 'Harbor Therapy Group']

  it('asks for 15 to 128 characters, counted as characters not bytes', async () => {
    expect(await checkNewPassword('short one 1', context)).toEqual({
      ok: false,
      message: 'Use at least 15 characters (this has 11).',
      problem: { kind: 'too-short', min: 15, length: 11 },
    })
    expect(await checkNewPassword('x'.repeat(129), context)).toMatchObject({ ok: false, message: 'Use at most 128 characters.' })
    // 15 emoji are 30 UTF-16 units but 15 characters.
    expect(await checkNewPassword('🦊🌵🎻🚲🍋🧭🪁🐙🌋🎲🧩🛶🍄🪐🦉', context)).toMatchObject({ ok: true })
  })

  it('has no composition rules: a long lower-case phrase passes', async () => {
    expect(await checkNewPassword('tidal orchid lantern quiver', context)).toMatchObject({ ok: true })
  })

  it('refuses guessable passwords and says why', async () => {
    const common = await checkNewPassword('password1234567', context)
    expect(common).toMatchObject({ ok: false })
    expect(!common.ok && common.message).toMatch(/too easy to guess.*commonly used/)
  })

  it("uses the person's name, email and practice as context", async () => {
    const personal = await checkNewPassword('jane.smith@clinic.test1', context)
    expect(personal.ok).toBe(false)
    expect((await checkNewPassword('jane.smith@clinic.test1', [])).ok).toBe(true)
  })
})
