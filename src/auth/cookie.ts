import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { DEVICE_TTL_MS } from './devices'
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

// Send Code's secret for the browser that asked (src/password-reset/reset-code.ts): only that
// browser can use the emailed code. It lives as long as a code does.
const RESET_NAME = 'reset-request'
const RESET_OPTIONS = { prefix: 'host', path: '/', secure: true, httpOnly: true, sameSite: 'Lax' } as const

export function getResetRequestCookie(c: Context): string | undefined {
  const value = getCookie(c, RESET_NAME, 'host')
  return value && /^[a-z2-7]{39}$/.test(value) ? value : undefined
}

export function setResetRequestCookie(c: Context, secret: string, maxAgeMs: number): void {
  setCookie(c, RESET_NAME, secret, { ...RESET_OPTIONS, maxAge: Math.floor(maxAgeMs / 1000) })
}

export function deleteResetRequestCookie(c: Context): void {
  deleteCookie(c, RESET_NAME, RESET_OPTIONS)
}

// The device cookie (src/auth/devices.ts): signed entries naming the accounts that logged in
// from this browser, so the login throttle can let their owner through. 180 days, like the entries.
const DEVICE_NAME = 'device'

export function getDeviceCookie(c: Context): string | undefined {
  return getCookie(c, DEVICE_NAME, 'host')
}

export function setDeviceCookie(c: Context, value: string): void {
  setCookie(c, DEVICE_NAME, value, {
    prefix: 'host',
    path: '/',
    secure: true,
    httpOnly: true,
    sameSite: 'Lax',
    maxAge: DEVICE_TTL_MS / 1000,
  })
}
