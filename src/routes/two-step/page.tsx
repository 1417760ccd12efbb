import { Hono } from 'hono'
import type { AppContext, AppEnv } from '../../http/env'
import { messagesOf } from '../../http/locale'
import { PATH, twoStepPage } from './shared'

// Where a session held by the practice's policy lands (src/http/guards.ts); anyone else has the page itself.
function showSetup(c: AppContext) {
  return c.get('session')?.twoStepSetup ? twoStepPage(c) : c.redirect(PATH, 303)
}

function showTwoStep(c: AppContext) {
  const t = messagesOf(c).twoStep
  const notices: Record<string, string> = { removed: t.removedNotice, added: t.passkeyAddedNotice }
  const key = Object.keys(notices).find((k) => c.req.query(k) !== undefined)
  return twoStepPage(c, { notice: key ? notices[key] : undefined })
}

export function pageRoutes() {
  const app = new Hono<AppEnv>()
  app.get('/setup', showSetup)
  app.get('/', showTwoStep)
  return app
}
