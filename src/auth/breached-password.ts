import { sha1 } from '@oslojs/crypto/sha1'
import { encodeHexUpperCase } from '@oslojs/encoding'
import type { Deps } from '../deps'

// The optional breached-password check (ASVS 6.2.12): Have I Been Pwned's k-anonymity range API.
// Only the first 5 hex characters of the password's SHA-1 leave the host; the rest is compared
// here. Padding is asked for so the answer's size says nothing either. Off unless HIBP_API_URL is
// set; a slow or unreachable service never blocks a person from setting a password.
export const HIBP_TIMEOUT_MS = 2000
export const BREACHED_MESSAGE = 'This password has appeared in a known data breach, so attackers try it first. Choose a different one.'

export type BreachCheck = { ok: true } | { ok: false; message: string }

/** Whether the range API lists this password (with a count above 0); any failure answers ok. */
export async function checkBreachedPassword(deps: Pick<Deps, 'config'>, password: string): Promise<BreachCheck> {
  const base = deps.config.HIBP_API_URL
  if (!base) return { ok: true }
  const hash = encodeHexUpperCase(sha1(new TextEncoder().encode(password.normalize('NFKC'))))
  const prefix = hash.slice(0, 5)
  const suffix = hash.slice(5)
  try {
    const response = await fetch(`${base}${prefix}`, {
      headers: { 'Add-Padding': 'true', 'User-Agent': 'staff-portal' },
      signal: AbortSignal.timeout(HIBP_TIMEOUT_MS),
    })
    if (!response.ok) return { ok: true }
    const body = await response.text()
    for (const line of body.split('\n')) {
      const [lineSuffix, count] = line.trim().split(':')
      if (lineSuffix?.toUpperCase() === suffix && Number(count) > 0) return { ok: false, message: BREACHED_MESSAGE }
    }
    return { ok: true }
  } catch {
    return { ok: true }
  }
}
