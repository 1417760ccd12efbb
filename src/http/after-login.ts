import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { PENDING_LOGIN_TTL_MS } from '../two-step/pending-login'
import { TWO_STEP_SETUP_PATH } from './guards'
import { safeReturnPath } from './return-path'

// The page to return to rides from the password step to the second step in its own cookie,
// pinned like the pending login's and gone when that would be; it is checked again when read.
const NEXT = 'login-next'
const OPTIONS = { prefix: 'host', path: '/', secure: true, httpOnly: true, sameSite: 'Lax' } as const

export function keepReturnPath(c: Context, next: string | undefined): void {
  if (next) setCookie(c, NEXT, next, { ...OPTIONS, maxAge: PENDING_LOGIN_TTL_MS / 1000 })
  else deleteCookie(c, NEXT, OPTIONS)
}

/** The kept return path, once: reading it clears the cookie. */
export function takeReturnPath(c: Context): string | undefined {
  const next = safeReturnPath(getCookie(c, NEXT, 'host'))
  if (getCookie(c, NEXT, 'host') !== undefined) deleteCookie(c, NEXT, OPTIONS)
  return next
}

/**
 * Where every way in lands once a session exists (password, second step, passkey): the
 * two-step setup the practice requires first; else a first admin still under the placeholder
 * name is asked for theirs (skippable); else the page they came back for, or their home.
 */
export function redirectAfterLogin(
  c: Context,
  result: { role: 'staff' | 'admin'; needsName: boolean; twoStepSetup?: boolean },
  next: string | undefined,
) {
  if (result.twoStepSetup) return c.redirect(TWO_STEP_SETUP_PATH, 303)
  const destination = next ?? (result.role === 'admin' ? '/staff' : '/portal')
  if (result.needsName) return c.redirect(`/portal/name?next=${encodeURIComponent(destination)}`, 303)
  return c.redirect(destination, 303)
}
