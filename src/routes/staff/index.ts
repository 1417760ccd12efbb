import { Hono } from 'hono'
import type { AppEnv } from '../../http/env'
import { requireAdmin } from '../../http/guards'
import { accessLevelRoutes } from './access-level'
import { detailsRoutes } from './details'
import { directoryRoutes } from './directory'
import { portalRoutes } from './portal'

/** Everything under /staff, for admins: the list, each profile's tabs, and what they do. */
export function staffRoutes() {
  const app = new Hono<AppEnv>()
  app.use('*', requireAdmin)
  app.route('/', directoryRoutes())
  app.route('/', detailsRoutes())
  app.route('/', portalRoutes())
  app.route('/', accessLevelRoutes())
  return app
}
