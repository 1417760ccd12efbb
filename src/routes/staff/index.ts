import { Hono } from 'hono'
import type { Defer } from '../../http/defer'
import type { AppEnv } from '../../http/env'
import { requireAdmin } from '../../http/guards'
import { accessLevelRoutes } from './access-level'
import { detailsRoutes } from './details'
import { directoryRoutes } from './directory'
import { importRoutes } from './import'
import { invitationRoutes } from './invitations'
import { loginEmailRoutes } from './login-email'
import { portalRoutes } from './portal'
import { resetLinkRoutes } from './reset-links'
import { twoStepResetRoutes } from './two-step-reset'

/** Everything under /staff, for admins: the list, each profile's tabs, and what they do. */
export function staffRoutes(defer: Defer) {
  const app = new Hono<AppEnv>()
  app.use('*', requireAdmin)
  app.route('/', directoryRoutes(defer))
  app.route('/', importRoutes(defer))
  app.route('/', detailsRoutes())
  app.route('/', portalRoutes())
  app.route('/', invitationRoutes())
  app.route('/', resetLinkRoutes(defer))
  app.route('/', loginEmailRoutes())
  app.route('/', twoStepResetRoutes())
  app.route('/', accessLevelRoutes())
  return app
}
