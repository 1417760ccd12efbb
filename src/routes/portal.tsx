import { Hono } from 'hono'
import { z } from 'zod'
import { ChangePasswordPage } from '../../views/pages/change-password'
import { PortalHomePage } from '../../views/pages/portal-home'
import { deleteSessionCookie } from '../auth/cookie'
import { currentPasswordHash, endOtherSessions } from '../auth/own-account'
import { hashPassword, verifyPassword } from '../auth/password'
import { checkNewPassword } from '../auth/password-policy'
import { checkLoginThrottle, describeWait, recordLoginFailure } from '../auth/throttle'
import type { ClientIp } from '../http/client-ip'
import { currentUser, type AppEnv } from '../http/env'
import { fieldErrors, readForm } from '../http/form'
import { requireUser } from '../http/guards'
import { render } from '../http/render'
import { changePassword, findPasswordOwner } from '../password-reset/password-change'
import { getOwnProfile } from '../staff/portal-home'
import { newPasswordSchema } from './invite'

const changeSchema = newPasswordSchema.and(
  z.object({
    currentPassword: z.string().default('').pipe(z.string().min(1, 'Enter your current password.').max(1024, 'That password is too long.')),
  }),
)

/** The staff member's own side of the portal. */
export function portalRoutes(clientIp: ClientIp) {
  const app = new Hono<AppEnv>()
  app.use('*', requireUser)

  app.get('/', async (c) => {
    const { db, clock } = c.get('deps')
    const user = currentUser(c)
    const profile = await getOwnProfile(db, user.practiceId, user.staffId, user.accountId, clock.now())
    if (!profile) return c.notFound()
    const notice = c.req.query('signed_out_others') !== undefined ? 'You were signed out on your other devices.' : undefined
    return render(c, <PortalHomePage user={user} profile={profile} currentSessionId={c.get('session')!.id} notice={notice} />)
  })

  app.post('/sessions/end-others', async (c) => {
    const { db, clock } = c.get('deps')
    await endOtherSessions(db, clock, currentUser(c), c.get('session')!.id, clientIp(c))
    return c.redirect('/portal?signed_out_others', 303)
  })

  app.get('/password', (c) => render(c, <ChangePasswordPage user={currentUser(c)} errors={{}} />))

  // Needs the current password, so a session left open on a shared computer cannot lock its owner out.
  app.post('/password', async (c) => {
    const deps = c.get('deps')
    const user = currentUser(c)
    const ip = clientIp(c)
    const again = (errors: Record<string, string>, status: 422 | 429 = 422) =>
      render(c, <ChangePasswordPage user={user} errors={errors} />, status)
    const parsed = changeSchema.safeParse(await readForm(c))
    if (!parsed.success) return again(fieldErrors(parsed.error))
    const now = deps.clock.now()
    const throttle = await checkLoginThrottle(deps.db, now, user.email, ip)
    if (!throttle.allowed)
      return again(
        { currentPassword: `Too many failed attempts. Try again in ${describeWait(throttle.retryAfterMs ?? 15 * 60_000)}.` },
        429,
      )
    const hash = await currentPasswordHash(deps.db, user.accountId)
    if (!hash || !(await verifyPassword(hash, parsed.data.currentPassword))) {
      await deps.db.batch(recordLoginFailure(deps.db, now, user.email, ip, user.accountId))
      return again({ currentPassword: 'That is not your current password.' })
    }
    const owner = await findPasswordOwner(deps.db, { accountId: user.accountId })
    if (!owner) return c.notFound()
    const check = checkNewPassword(parsed.data.password, [owner.firstName, owner.lastName, owner.email, owner.practiceName])
    if (!check.ok) return again({ password: check.message })
    await changePassword(deps, owner, await hashPassword(check.password), { event: 'password.changed', actorAccountId: user.accountId, ip })
    deleteSessionCookie(c)
    return c.redirect(`/login?reset&email=${encodeURIComponent(owner.email)}`, 303)
  })

  return app
}
