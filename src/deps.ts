import type { Clock } from './clock'
import type { Config } from './config'
import type { Database } from './db'
import type { DevMailbox } from './mailer/dev-mailbox'
import type { Mailer } from './mailer/mailer'

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

export const consoleLogger: Logger = {
  info: (message, fields) => console.log(JSON.stringify({ level: 'info', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })),
}

/** Everything with a side effect enters the app here, so tests can swap it without mocks. */
export interface Deps {
  db: Database
  clock: Clock
  config: Config
  logger: Logger
  mailer: Mailer
  /** Present when mail goes to the development outbox rather than MailChannels. */
  devMailbox?: DevMailbox
  /**
   * Runs work once the response is on its way (set by the app for each request that can change
   * state); absent, a use case runs that work before it returns.
   */
  later?: (task: () => Promise<unknown>) => void
}
