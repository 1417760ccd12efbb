import { Hono } from 'hono'
import type { AppEnv } from '../../http/env'
import { requireUser } from '../../http/guards'
import { authenticatorAppRoutes } from './authenticator-app'
import { confirmationRoutes } from './confirmation'
import { pageRoutes } from './page'
import { passkeyRoutes } from './passkeys'
import { recoveryCodeRoutes } from './recovery-codes'
import { removalRoutes } from './removal'

/** The person's own Two-Step Sign-In page (staff and admins alike), under /account/two-step. */
export function twoStepRoutes() {
  const app = new Hono<AppEnv>()
  app.use('*', requireUser)
  app.route('/', pageRoutes())
  app.route('/', authenticatorAppRoutes())
  app.route('/', passkeyRoutes())
  app.route('/', confirmationRoutes())
  app.route('/', removalRoutes())
  app.route('/', recoveryCodeRoutes())
  return app
}
