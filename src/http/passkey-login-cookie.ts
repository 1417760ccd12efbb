import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'
import { randomBytes } from '../ids'
import { CHALLENGE_TTL_MS } from '../two-step/challenges'

// "Log In with a Passkey": the secret of the browser that asked for the challenge, so only that
// browser can answer it (src/two-step/passkey-login.ts). Lives as long as a challenge does.
const NAME = 'passkey-login'
const OPTIONS = { prefix: 'host', path: '/', secure: true, httpOnly: true, sameSite: 'Lax' } as const
const SECRET = /^[a-z2-7]{32}$/

export function getPasskeyLoginCookie(c: Context): string | undefined {
  const value = getCookie(c, NAME, 'host')
  return value && SECRET.test(value) ? value : undefined
}

/** A fresh secret for this browser, set as its cookie. */
export function setPasskeyLoginCookie(c: Context): string {
  const secret = encodeBase32LowerCaseNoPadding(randomBytes(20))
  setCookie(c, NAME, secret, { ...OPTIONS, maxAge: CHALLENGE_TTL_MS / 1000 })
  return secret
}

export function deletePasskeyLoginCookie(c: Context): void {
  deleteCookie(c, NAME, OPTIONS)
}
