import { generateHOTP } from '@oslojs/otp'
import { describe, expect, it } from 'vitest'
import { formatSetupKey, generateTotpCode, matchTotpStep, totpKeyUri, totpStepAt } from '../../src/two-step/totp'

// RFC 6238 appendix B, SHA-1 column: the 20-byte ASCII secret "12345678901234567890", 8 digits.
const RFC_SECRET = new TextEncoder().encode('12345678901234567890')
const RFC_VECTORS: [seconds: number, code: string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
]

describe('TOTP', () => {
  it.each(RFC_VECTORS)('matches RFC 6238 at T=%i (8 digits)', (seconds, code) => {
    const now = new Date(seconds * 1000)
    expect(generateTotpCode(RFC_SECRET, now, 8)).toBe(code)
    expect(matchTotpStep(RFC_SECRET, code, now, 8)).toBe(Math.floor(seconds / 30))
  })

  it('uses 6 digits as apps do: the last six of the same HOTP value', () => {
    const now = new Date(1111111109 * 1000)
    expect(generateTotpCode(RFC_SECRET, now)).toBe('081804')
    expect(matchTotpStep(RFC_SECRET, '081804', now)).toBe(totpStepAt(now))
  })

  it('accepts one step of drift either way and no more', () => {
    const now = new Date(1234567890 * 1000)
    const step = totpStepAt(now)
    const at = (s: number) => generateHOTP(RFC_SECRET, BigInt(s), 6)
    expect(matchTotpStep(RFC_SECRET, at(step - 1), now)).toBe(step - 1)
    expect(matchTotpStep(RFC_SECRET, at(step + 1), now)).toBe(step + 1)
    expect(matchTotpStep(RFC_SECRET, at(step - 2), now)).toBeNull()
    expect(matchTotpStep(RFC_SECRET, at(step + 2), now)).toBeNull()
  })

  it('refuses what is not six digits', () => {
    const now = new Date(59_000)
    for (const code of ['', '12345', '1234567', 'abcdef', '287082 ']) expect(matchTotpStep(RFC_SECRET, code, now)).toBeNull()
  })

  it('builds the otpauth URI by hand, spaces as %20 (not +)', () => {
    const uri = totpKeyUri({ issuer: 'Harbor Therapy Group', accountName: 'maya+1@harbor.test', secret: 'JBSWY3DPEHPK3PXP' })
    expect(uri).toBe(
      'otpauth://totp/Harbor%20Therapy%20Group:maya%2B1%40harbor.test?secret=JBSWY3DPEHPK3PXP&issuer=Harbor%20Therapy%20Group&algorithm=SHA1&digits=6&period=30',
    )
    expect(formatSetupKey('JBSWY3DPEHPK3PXPABCD')).toBe('JBSW Y3DP EHPK 3PXP ABCD')
  })
})
