import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

// OWASP's scrypt setting. The parameters travel with each hash so they can be raised later
// without invalidating stored passwords.
export const SCRYPT_PARAMS = { N: 2 ** 14, r: 8, p: 5 } as const
const KEY_LENGTH = 32
const MAX_MEMORY = 64 * 1024 * 1024

function deriveKey(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...params, maxmem: MAX_MEMORY }, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}

/** Returns "scrypt$N$r$p$salt$hash" with base64 salt and hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await deriveKey(password, salt, SCRYPT_PARAMS)
  const { N, r, p } = SCRYPT_PARAMS
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$')
}

export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = storedHash.split('$')
  if (scheme !== 'scrypt' || !salt || !key) return false
  const expected = Buffer.from(key, 'base64')
  const actual = await deriveKey(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) })
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** Whether a stored hash was made with parameters below SCRYPT_PARAMS (ASVS 11.2.2): hash it again at the next login. */
export function needsRehash(storedHash: string): boolean {
  const [scheme, n, r, p] = storedHash.split('$')
  if (scheme !== 'scrypt') return true
  return Number(n) < SCRYPT_PARAMS.N || Number(r) < SCRYPT_PARAMS.r || Number(p) < SCRYPT_PARAMS.p
}

// Verifying against this when an address is unknown makes a failed login cost the same time
// whether or not the account exists. It is the hash of 32 random bytes nobody kept, made with
// the current parameters and written here so that even the first such login costs one hash.
const DUMMY_HASH = 'scrypt$16384$8$5$dsK7nhM/MFltLEZGPLXywA==$FRuBHEJtV3FG8kn1yr1RCWbf9nU3nAy8ms8HaJFtyck='

export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(DUMMY_HASH, password)
  return false
}
