import type { Context } from 'hono'
import type { Logger } from '../deps'

export type Defer = (c: Context, task: Promise<unknown>) => void

/** Node keeps running a promise after the response; only its failure needs catching. */
export const runDetached =
  (logger: Logger): Defer =>
  (_c, task) => {
    task.catch((error) => logger.error('deferred task failed', { error: error instanceof Error ? error.name : typeof error }))
  }
