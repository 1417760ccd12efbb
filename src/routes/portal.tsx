import { Hono } from 'hono'
import { PortalHomePage } from '../../views/pages/portal-home'
import { currentUser, type AppEnv } from '../http/env'
import { requireUser } from '../http/guards'
import { render } from '../http/render'
import { getOwnProfile } from '../staff/portal-home'

/** The staff member's own side of the portal. */
export function portalRoutes() {
  const app = new Hono<AppEnv>()
  app.use('*', requireUser)

  app.get('/', async (c) => {
    const user = currentUser(c)
    const profile = await getOwnProfile(c.get('deps').db, user.practiceId, user.staffId)
    if (!profile) return c.notFound()
    return render(c, <PortalHomePage user={user} profile={profile} />)
  })

  return app
}
