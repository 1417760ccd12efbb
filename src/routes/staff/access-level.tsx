import { Hono } from 'hono'
import { z } from 'zod'
import { accessChange } from '../../../views/components/access-level'
import { actorOf, currentUser, type AppContext, type AppEnv } from '../../http/env'
import { readForm } from '../../http/form'
import { getStaffProfile } from '../../profile/staff-profile'
import { setAccessLevel } from '../../staff/access-level'
import { fullName } from '../../text/format'
import { askToConfirm } from '../confirm'
import { ID, notFound, renderProfile } from './shared'

const accessForm = z.object({
  role: z.enum(['staff', 'admin'], 'Choose Staff or Admin.'),
  confirm: z.string().optional(),
})

const LAST_ADMIN = 'A practice needs at least one admin who can log in. First make an admin of someone else who has a portal account.'

/** Make Admin / Remove Admin on a profile's Details tab: confirmed first, then changed. */
async function postAccessLevel(c: AppContext) {
  const staffId = c.req.param('id') ?? ''
  const deps = c.get('deps')
  const user = currentUser(c)
  const answer = (outcome: Parameters<typeof renderProfile>[3]) => renderProfile(c, staffId, 'details', { partial: true, ...outcome })
  const parsed = accessForm.safeParse(await readForm(c))
  if (!parsed.success) return answer({ error: 'Choose Staff or Admin.', status: 422 })
  const { role } = parsed.data

  if (parsed.data.confirm !== 'yes') {
    const profile = await getStaffProfile(deps, { practiceId: user.practiceId, staffId })
    if (!profile) return notFound(c)
    // Asked from the level it has now: a stale page cannot confirm the opposite of what it shows.
    if (profile.staff.role === role) return answer({})
    const change = accessChange(profile.staff, staffId === user.staffId)
    return askToConfirm(c, {
      question: change.question,
      consequence: change.consequence,
      label: change.label,
      action: `/staff/${staffId}/access-level`,
      fields: [['role', change.to]],
      tone: change.to === 'staff' ? 'danger' : 'primary',
      cancelHref: `/staff/${staffId}`,
      target: '#access-level',
    })
  }

  const result = await setAccessLevel(deps, { actor: actorOf(c), staffId, role })
  if (!result.ok) return result.reason === 'not-found' ? notFound(c) : answer({ error: LAST_ADMIN, status: 422 })

  // Taking away one's own admin access ends one's own session too.
  if (result.changed && staffId === user.staffId) {
    if (c.req.header('HX-Request') === 'true') {
      c.header('HX-Redirect', '/login')
      return c.body(null, 204)
    }
    return c.redirect('/login', 303)
  }
  const name = fullName(result.person)
  const text = !result.changed
    ? `${name} already has ${result.to === 'admin' ? 'admin' : 'staff'} access.`
    : result.to === 'admin'
      ? `${name} is now an admin. Their open sessions were ended; they get admin access at their next login.`
      : `${name} is no longer an admin. Their open sessions were ended.`
  return answer({ message: { tone: 'info', text } })
}

export function accessLevelRoutes() {
  const app = new Hono<AppEnv>()
  app.post(`/:id${ID}/access-level`, postAccessLevel)
  return app
}
