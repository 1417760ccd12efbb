import { Hono } from 'hono'
import type { Defer } from '../../http/defer'
import type { AppEnv } from '../../http/env'
import { requireAdmin } from '../../http/guards'
import { accessLevelRoutes } from './access-level'
import { detailsRoutes } from './details'
import { directoryRoutes } from './directory'
import { importRoutes } from './import'
import { portalRoutes } from './portal'

/** Everything under /staff, for admins: the list, each profile's tabs, and what they do. */
export function staffRoutes(defer: Defer) {
  const app = new Hono<AppEnv>()
  app.use('*', requireAdmin)
  app.route('/', directoryRoutes(defer))
  app.route('/', importRoutes(defer))
  app.route('/', detailsRoutes())
  app.route('/', portalRoutes())
  app.route('/', accessLevelRoutes())
  return app
}
