import type { MiddlewareHandler } from 'hono'
import { deleteSessionCookie, getSessionCookie } from '../auth/cookie'
import { sessionNeedsTouch, touchSession, validateSessionToken } from '../auth/session'
import type { Defer } from './defer'
import type { AppEnv } from './env'
import { renderMessage } from './render'

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
      }
    }
    await next()
  }

const toLogin = (c: Parameters<MiddlewareHandler<AppEnv>>[0]) => {
  if (c.req.header('HX-Request') === 'true') {
    c.header('HX-Redirect', '/login')
    return c.body(null, 401)
  }
  return c.redirect('/login', 303)
}

export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get('user')) return toLogin(c)
  await next()
}

export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const user = c.get('user')
  if (!user) return toLogin(c)
  if (user.role !== 'admin')
    return renderMessage(
      c,
      { title: 'Not available', message: 'Only practice admins can open this page.', link: { href: '/', label: 'Go to your portal home' } },
      403,
    )
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
