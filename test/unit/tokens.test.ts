import { describe, expect, it } from 'vitest'
import { hashSecret, issueToken, parseToken, verifySecret } from '../../src/auth/tokens'

describe('tokens', () => {
  it('carry 192 random bits of secret and keep only its SHA-256', () => {
    const { token, secretHash, id } = issueToken()
    const parsed = parseToken(token)
    expect(parsed?.id).toBe(id)
    // 39 base32 characters = 195 bits of encoding for 24 random bytes.
    expect(parsed?.secret).toHaveLength(39)
    expect(secretHash).toMatch(/^[0-9a-f]{64}$/)
    expect(secretHash).toBe(hashSecret(parsed!.secret))
    expect(secretHash).not.toContain(parsed!.secret)
  })

  it('are different every time', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => issueToken().token))
    expect(tokens.size).toBe(1000)
  })

  it('verify only the matching secret', () => {
    const { token, secretHash } = issueToken()
    const { secret } = parseToken(token)!
    expect(verifySecret(secret, secretHash)).toBe(true)
    const tampered = secret.slice(0, -1) + (secret.endsWith('a') ? 'b' : 'a')
    expect(verifySecret(tampered, secretHash)).toBe(false)
  })

  it('reject anything not shaped like a token', () => {
    for (const bad of [
      '',
      'abc',
      'x'.repeat(56),
      `${'a'.repeat(16)}.${'A'.repeat(39)}`,
      `${'a'.repeat(16)}.${'a'.repeat(39)}.`,
      '../../etc/passwd',
    ])
      expect(parseToken(bad)).toBeNull()
  })
})
