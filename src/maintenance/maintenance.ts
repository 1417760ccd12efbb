import { cleanUpExpired, type CleanupReport } from './cleanup'
import { retryUnsentEmail, type MaintenanceDeps, type RetryReport } from './retry-email'

export interface MaintenanceReport {
  cleanup: CleanupReport | null
  email: RetryReport | null
}

/**
 * The periodic work of both hosts (the Worker's cron trigger, the Node host's interval):
 * clear what expired, then send again the email that did not go out. One failing does not
 * stop the other; the error is logged (by name and code only, as the app does) and rethrown
 * at the end, so a Worker's cron run shows as failed.
 */
export async function runMaintenance(deps: MaintenanceDeps): Promise<MaintenanceReport> {
  const report: MaintenanceReport = { cleanup: null, email: null }
  const errors: unknown[] = []
  const attempt = async <T>(name: string, task: () => Promise<T>) => {
    try {
      return await task()
    } catch (error) {
      errors.push(error)
      const cause = error instanceof Error && error.cause && typeof error.cause === 'object' ? (error.cause as { code?: unknown }) : {}
      deps.logger.error('maintenance step failed', {
        step: name,
        error: error instanceof Error ? error.name : typeof error,
        code: typeof cause.code === 'string' ? cause.code : undefined,
      })
      return null
    }
  }
  report.cleanup = await attempt('cleanup', () => cleanUpExpired(deps))
  report.email = await attempt('retry-email', () => retryUnsentEmail(deps))
  deps.logger.info('maintenance done', { at: deps.clock.now().toISOString(), ...report })
  if (errors.length > 0) throw new AggregateError(errors, `${errors.length} maintenance step(s) failed`)
  return report
}
