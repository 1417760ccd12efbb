import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { PENDING_LOGIN_TTL_MS } from '../two-step/pending-login'

// Between the password and the second step (src/two-step/pending-login.ts): pinned to this
// origin like the session cookie, and gone when the pending login would have expired anyway.
const NAME = 'pending-login'
const OPTIONS = { prefix: 'host', path: '/', secure: true, httpOnly: true, sameSite: 'Lax' } as const

export function getPendingLoginCookie(c: Context): string | undefined {
  return getCookie(c, NAME, 'host')
}

export function setPendingLoginCookie(c: Context, token: string): void {
  setCookie(c, NAME, token, { ...OPTIONS, maxAge: PENDING_LOGIN_TTL_MS / 1000 })
}

export function deletePendingLoginCookie(c: Context): void {
  deleteCookie(c, NAME, OPTIONS)
}
