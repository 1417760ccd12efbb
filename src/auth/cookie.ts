import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { SESSION_MAX_MS } from './session'

// __Host- pins the cookie to this exact origin: Secure, Path=/, no Domain.
const NAME = 'session'

export function getSessionCookie(c: Context): string | undefined {
  return getCookie(c, NAME, 'host')
}

export function setSessionCookie(c: Context, token: string): void {
  setCookie(c, NAME, token, {
    prefix: 'host',
    path: '/',
    secure: true,
    httpOnly: true,
    sameSite: 'Lax',
    maxAge: SESSION_MAX_MS / 1000,
  })
}

export function deleteSessionCookie(c: Context): void {
  deleteCookie(c, NAME, { prefix: 'host', path: '/', secure: true, httpOnly: true, sameSite: 'Lax' })
}
