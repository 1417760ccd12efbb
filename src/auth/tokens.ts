import { sha256 } from '@oslojs/crypto/sha2'
import { constantTimeEqual } from '@oslojs/crypto/subtle'
import { decodeHex, encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding'
import { generateId, ID_PATTERN, randomBytes } from '../ids'

// A token is "<id>.<secret>": the id finds the row, the secret is checked against its
// stored SHA-256 in constant time. Only the hash is ever stored.
const SECRET_BYTES = 24 // 192 bits, above the 160 the design asks for
const TOKEN_PATTERN = new RegExp(`^(${ID_PATTERN})\\.([a-z2-7]{39})$`)

/** 192 random bits, base32: a secret that is only ever handed to one browser (a cookie). */
export function generateSecret(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(SECRET_BYTES))
}

export function hashSecret(secret: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)))
}

export function verifySecret(secret: string, storedHash: string): boolean {
  const expected = decodeHex(storedHash)
  return constantTimeEqual(sha256(new TextEncoder().encode(secret)), expected)
}

export interface IssuedToken {
  id: string
  token: string
  secretHash: string
}

export function issueToken(): IssuedToken {
  const id = generateId()
  const secret = generateSecret()
  return { id, token: `${id}.${secret}`, secretHash: hashSecret(secret) }
}

export function parseToken(token: string): { id: string; secret: string } | null {
  const match = TOKEN_PATTERN.exec(token)
  if (!match) return null
  return { id: match[1]!, secret: match[2]! }
}
