import type { MiddlewareHandler } from 'hono'
import { insertSecurityEvent } from '../audit/audit'
import { validateSessionToken } from '../auth/session'
import { getSessionCookie } from '../auth/cookie'
import type { Defer } from './defer'
import type { AppContext, AppEnv } from './env'

// A path naming an id: a 404 there, for someone signed in, means an id outside their practice
// (ids are only ever matched by the route param; a malformed one never reaches a handler).
const NAMES_AN_ID = /\/[a-z2-7]{16}(\/|$)/

/**
 * Records refused access by a signed-in person (ASVS 16.3.2): a staff member answered 403 on an
 * admin page, or anyone answered 404 for a path naming an id not in their practice. The row is
 * written after the response is on its way: a refusal costs the page no round trip.
 */
export const recordRefusedAccess =
  (defer: Defer): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    await next()
    const user = c.get('user')
    if (!user) return
    const status = c.res.status
    const where = `${c.req.method} ${c.req.path}`
    const detail =
      status === 403
        ? `403: a staff member opened an admin page (${where})`
        : status === 404 && NAMES_AN_ID.test(c.req.path)
          ? `404: an id that is not in this practice (${where})`
          : undefined
    if (!detail) return
    const deps = c.get('deps')
    const now = deps.clock.now()
    const ip = c.get('ip')
    defer(c, async () => {
      await insertSecurityEvent(deps.db, now, {
        practiceId: user.practiceId,
        actorAccountId: user.accountId,
        targetStaffId: user.staffId,
        event: 'access.refused',
        ip,
        detail,
      })
    })
  }

/**
 * Records a form post refused by the CSRF check. The check runs before the session is read, so
 * the session is looked up here (without touching it) to file the event in the person's practice.
 */
export async function recordCsrfRefusal(c: AppContext) {
  const deps = c.get('deps')
  const token = getSessionCookie(c)
  const { user } = token ? await validateSessionToken(deps, token) : { user: null }
  const origin = (c.req.header('Origin') ?? 'no Origin').slice(0, 200)
  await insertSecurityEvent(deps.db, deps.clock.now(), {
    practiceId: user?.practiceId ?? null,
    actorAccountId: user?.accountId ?? null,
    targetStaffId: user?.staffId ?? null,
    event: 'csrf.refused',
    ip: c.get('ip') ?? '',
    detail: `${c.req.method} ${c.req.path} from ${origin}`,
  })
}
