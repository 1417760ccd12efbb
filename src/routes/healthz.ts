import { sql } from 'drizzle-orm'
import { Hono } from 'hono'
import type { AppEnv } from '../http/env'

/**
 * GET /healthz for load balancers and uptime checks: one cheap query, 200 when the database
 * answers and 503 when it does not. It says nothing else: no version, no counts, no error text.
 */
export function healthzRoutes() {
  const app = new Hono<AppEnv>()
  app.get('/', async (c) => {
    const { db, logger } = c.get('deps')
    try {
      await db.run(sql`select 1`)
      return c.json({ status: 'ok' })
    } catch (error) {
      logger.error('health check failed', { error: error instanceof Error ? error.name : typeof error })
      return c.json({ status: 'unavailable' }, 503)
    }
  })
  return app
}
