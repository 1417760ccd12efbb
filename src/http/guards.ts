import type { MiddlewareHandler } from 'hono'
import { deleteSessionCookie, getSessionCookie } from '../auth/cookie'
import { sessionNeedsTouch, touchSession, validateSessionToken } from '../auth/session'
import type { Defer } from './defer'
import type { AppContext, AppEnv } from './env'
import { pathOfUrl, safeReturnPath } from './return-path'
import { pageMessagesOf, renderMessage } from './render'

/**
 * Reads the session cookie on every request; a dead cookie is cleared. Recording that a live
 * session was used (at most once a minute) waits until the response is on its way: on the
 * Worker it is a round trip to the database that the page does not need.
 */
export const loadSession =
  (defer: Defer): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const token = getSessionCookie(c)
    c.set('session', null)
    c.set('user', null)
    c.set('sessionEnded', false)
    if (token) {
      const deps = c.get('deps')
      const { session, user } = await validateSessionToken(deps, token)
      if (session) {
        const now = deps.clock.now()
        if (sessionNeedsTouch(session, now)) defer(c, () => touchSession(deps, { sessionId: session.id, now }))
        c.set('session', { ...session, lastSeenAt: now })
        c.set('user', user)
      } else {
        deleteSessionCookie(c)
        c.set('sessionEnded', true)
      }
    }
    await next()
  }

/**
 * The login page, saying why when a session just ended, and carrying the page the person was
 * on so logging in again returns there: the requested page for a GET, the page htmx was on
 * for its requests. Only same-site paths travel (src/http/return-path.ts).
 */
function loginLocation(c: AppContext): string {
  const htmx = c.req.header('HX-Request') === 'true'
  const url = new URL(c.req.url)
  const next = htmx
    ? pathOfUrl(c.req.header('HX-Current-URL'), [url.origin, new URL(c.get('deps').config.APP_URL).origin])
    : c.req.method === 'GET'
      ? safeReturnPath(`${url.pathname}${url.search}`)
      : undefined
  const query = [c.get('sessionEnded') ? 'expired' : '', next ? `next=${encodeURIComponent(next)}` : ''].filter(Boolean).join('&')
  return query ? `/login?${query}` : '/login'
}

const toLogin = (c: AppContext) => {
  const location = loginLocation(c)
  if (c.req.header('HX-Request') === 'true') {
    c.header('HX-Redirect', location)
    return c.body(null, 401)
  }
  return c.redirect(location, 303)
}

export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get('user')) return toLogin(c)
  await next()
}

export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const user = c.get('user')
  if (!user) return toLogin(c)
  if (user.role !== 'admin') {
    // Said on an admin page's address, so in English like the page (and its <html lang>).
    const words = pageMessagesOf(c).pages
    return renderMessage(c, { ...words.adminsOnly, link: { href: '/', label: words.goPortalHome } }, 403)
  }
  await next()
}

export const TWO_STEP_SETUP_PATH = '/account/two-step/setup'

// What a session held to set up two-step sign-in may open: the set-up page and its forms.
const SETUP_OPEN = new Set([
  TWO_STEP_SETUP_PATH,
  '/account/two-step/app/setup',
  '/account/two-step/app/turn-on',
  '/account/two-step/passkeys/options',
  '/account/two-step/passkeys',
  '/logout',
  // "Stay Signed In" while setting up: the session warning shows on this page too.
  '/portal/keep-alive',
])

/**
 * A person the practice requires two-step sign-in of, who logged in without a factor, reaches
 * "Set Up Two-Step Sign-In" and nothing else until one is on (src/two-step/policy.ts).
 */
export const holdForTwoStepSetup: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('session')?.twoStepSetup && !SETUP_OPEN.has(c.req.path)) {
    if (c.req.header('HX-Request') === 'true') {
      c.header('HX-Redirect', TWO_STEP_SETUP_PATH)
      return c.body(null, 403)
    }
    return c.redirect(TWO_STEP_SETUP_PATH, 303)
  }
  await next()
}
