import { Hono } from 'hono'
import { z } from 'zod'
import type { PanelMessage } from '../../views/components/portal-panel'
import { AccessLevelSection } from '../../views/components/access-level'
import { fullName } from '../../views/format'
import { ConfirmAccessLevelPage } from '../../views/pages/confirm-access-level'
import { MessagePage } from '../../views/pages/message'
import { StaffProfilePage } from '../../views/pages/staff-profile'
import type { ClientIp } from '../http/client-ip'
import { currentUser, type AppContext, type AppEnv } from '../http/env'
import { readForm } from '../http/form'
import { requireAdmin } from '../http/guards'
import { render, renderFragment, wantsFragment } from '../http/render'
import { expiryChoices } from '../password-reset/reset-link'
import { setAccessLevel } from '../staff/access-level'
import { getStaffProfile } from '../staff/staff'

const STAFF_ID = /^[a-z2-7]{16}$/

const accessForm = z.object({
  role: z.enum(['staff', 'admin'], 'Choose Staff or Admin.'),
  confirm: z.string().optional(),
})

const LAST_ADMIN = 'A practice needs at least one admin who can log in. First make an admin of someone else who has a portal account.'

const notFound = (c: AppContext) =>
  render(
    c,
    <MessagePage
      title="Staff member not found"
      message="There is no such staff member in your practice."
      user={c.get('user')}
      link={{ href: '/staff', label: 'Back to Staffs' }}
    />,
    404,
  )

/** Answers on the Details tab: the access section alone for htmx, the whole tab for a plain post. */
async function answer(c: AppContext, staffId: string, outcome: { message?: PanelMessage; error?: string; status?: 200 | 422 }) {
  const { db, clock, config } = c.get('deps')
  const user = currentUser(c)
  const now = clock.now()
  const profile = await getStaffProfile(db, user.practiceId, staffId, now)
  if (!profile) return notFound(c)
  const status = outcome.status ?? 200
  if (wantsFragment(c))
    return renderFragment(
      c,
      <AccessLevelSection
        person={profile.staff}
        isSelf={profile.staff.id === user.staffId}
        message={outcome.message}
        error={outcome.error}
      />,
      status,
    )
  const reset = { choices: expiryChoices(now, user.timeZone, config.RESET_LINK_MAX_DAYS) }
  return render(
    c,
    <StaffProfilePage user={user} profile={profile} tab="details" reset={reset} message={outcome.message} error={outcome.error} />,
    status,
  )
}

/** Make Admin / Remove Admin on a staff profile. Mounted at /staff before staffRoutes, whose POST /:id would take it. */
export function accessLevelRoutes(clientIp: ClientIp) {
  const app = new Hono<AppEnv>()
  app.use('/:id/access-level', requireAdmin)

  app.post('/:id/access-level', async (c) => {
    const staffId = c.req.param('id')
    if (!STAFF_ID.test(staffId)) return notFound(c)
    const { db, clock } = c.get('deps')
    const user = currentUser(c)
    const parsed = accessForm.safeParse(await readForm(c))
    if (!parsed.success) return answer(c, staffId, { error: 'Choose Staff or Admin.', status: 422 })

    if (parsed.data.confirm !== 'yes') {
      const profile = await getStaffProfile(db, user.practiceId, staffId, clock.now())
      if (!profile) return notFound(c)
      // Asked from the level it has now: a stale page cannot confirm the opposite of what it shows.
      if (profile.staff.role === parsed.data.role) return answer(c, staffId, {})
      return render(c, <ConfirmAccessLevelPage user={user} person={profile.staff} />)
    }

    const actor = { practiceId: user.practiceId, accountId: user.accountId, ip: clientIp(c) }
    const result = await setAccessLevel(db, clock, actor, staffId, parsed.data.role)
    if (!result.ok) return result.reason === 'not-found' ? notFound(c) : answer(c, staffId, { error: LAST_ADMIN, status: 422 })

    // Taking away one's own admin access ends one's own session too.
    if (result.changed && staffId === user.staffId) {
      if (c.req.header('HX-Request') === 'true') {
        c.header('HX-Redirect', '/login')
        return c.body(null, 204)
      }
      return c.redirect('/login', 303)
    }
    const profile = await getStaffProfile(db, user.practiceId, staffId, clock.now())
    if (!profile) return notFound(c)
    const name = fullName(profile.staff)
    const text = !result.changed
      ? `${name} already has ${result.to === 'admin' ? 'admin' : 'staff'} access.`
      : result.to === 'admin'
        ? `${name} is now an admin. Their open sessions were ended; they get admin access at their next login.`
        : `${name} is no longer an admin. Their open sessions were ended.`
    return answer(c, staffId, { message: { tone: 'info', text } })
  })

  return app
}
