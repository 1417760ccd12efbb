// npm run db:migrate — applies db/migrations to the database in TURSO_DATABASE_URL (with
// TURSO_AUTH_TOKEN), or else DATABASE_URL (default file:./data/app.db). Already-applied
// migrations are skipped, so it is safe to run before every deploy. With ADMIN_EMAIL and
// ADMIN_PASSWORD (and PRACTICE_NAME) set it also creates the first practice and its admin
// when that account does not exist yet, as the Node host does at start.
import { pathToFileURL } from 'node:url'
import { systemClock } from '../src/clock'
import { ConfigError, parseConfig } from '../src/config'
import { migrateDatabase } from '../src/migrate'
import { DatabaseOpenError, openNodeDatabase } from '../src/node-database'
import { ensureFirstPractice } from '../src/practice/bootstrap'

/** Where the database is, for people: the host of a remote URL (never its token), or the file. */
export const describeDatabase = (url: string) => (url.startsWith('file:') ? url : `${new URL(url).protocol}//${new URL(url).host}`)

export async function migrateAndBootstrap(env: Record<string, string | undefined>, log: (line: string) => void = console.log) {
  // The app's own zod configuration; APP_URL (https) is required against a remote database, so a
  // shell that forgot it is told now rather than when a link points at 127.0.0.1.
  const config = parseConfig(env, 'migrate-script')
  const { client, db, url } = await openNodeDatabase(config, config.TURSO_DATABASE_URL ?? config.DATABASE_URL)
  try {
    await migrateDatabase(db)
    log(`Migrations applied to ${describeDatabase(url)}.`)
    if (!config.ADMIN_EMAIL) {
      log('ADMIN_EMAIL is not set: no practice or admin was created. Set ADMIN_EMAIL and ADMIN_PASSWORD to create the first one.')
      return { created: false as const }
    }
    const result = await ensureFirstPractice({ db, clock: systemClock, config })
    log(
      result.created
        ? `Created practice "${result.practiceName}" with admin ${result.email}.`
        : `Admin ${config.ADMIN_EMAIL} already exists.`,
    )
    return result
  } finally {
    client.close()
  }
}

/** The innermost cause, which says what went wrong (a refused connection, a 401, a SQL error). */
function rootCause(error: unknown): string {
  let current = error
  while (current instanceof Error && current.cause instanceof Error) current = current.cause
  return current instanceof Error ? `${current.name}: ${current.message}` : String(current)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  migrateAndBootstrap(process.env).catch((error) => {
    if (error instanceof ConfigError || error instanceof DatabaseOpenError) console.error(error.message)
    else {
      const url = process.env.TURSO_DATABASE_URL || process.env.DATABASE_URL || 'file:./data/app.db'
      let where = url
      try {
        where = describeDatabase(url)
      } catch {
        // an unparsable URL: the error below says so
      }
      console.error(`db:migrate failed on ${where}: ${rootCause(error)}`)
      if (process.env.DEBUG) console.error(error)
    }
    process.exit(1)
  })
}
