import type { MiddlewareHandler } from 'hono'
import type { Logger } from '../deps'

/**
 * One JSON line per request: method, the route pattern that answered (never the raw path, which
 * can carry an invitation or reset token), status, duration and a request id, also sent back as
 * X-Request-Id so a person's report can be matched to the line. No address, cookie or query.
 */
export function requestLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now()
    const requestId = crypto.randomUUID()
    await next()
    c.res.headers.set('X-Request-Id', requestId)
    logger.info('request', {
      requestId,
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    })
  }
}
