import type { Context } from 'hono'
import type { Logger } from '../deps'

/** Work to start once the response is on its way, so its time does not show in the response. */
export type Defer = (c: Context, task: () => Promise<unknown>) => void

/**
 * On Node an embedded libSQL file runs queries on the main thread, so the task must not
 * even start until the handler has returned its response.
 */
export const runDetached =
  (logger: Logger): Defer =>
  (_c, task) => {
    setTimeout(() => {
      task().catch((error) => logger.error('deferred task failed', { error: error instanceof Error ? error.name : typeof error }))
    }, 0)
  }
