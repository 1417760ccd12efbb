// npm run dev:worker — the Worker under `wrangler dev` on this machine, against a local database
// reached the way production reaches Turso (libSQL's Hrana protocol over HTTP):
//   1. a local libSQL endpoint (scripts/hrana-server.ts) over ./data/worker-dev.db;
//   2. the migrations and the first practice and admin, by `npm run db:migrate`'s code, over HTTP;
//   3. `wrangler dev` with TURSO_DATABASE_URL, TURSO_AUTH_TOKEN and APP_URL pointing at them.
// Settings (all optional): PORT (8787), HRANA_PORT (8080), WORKER_DEV_DB (./data/worker-dev.db),
// ADMIN_EMAIL / ADMIN_PASSWORD (a fixed local admin, below), PRACTICE_NAME.
// Ctrl-C stops wrangler and the database endpoint.
import { randomBytes } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import { ConfigError } from '../src/config'
import { startHranaServer } from './hrana-server'
import { migrateAndBootstrap } from './migrate'
import { spawnWranglerDev } from './wrangler-dev'

// A local database only: a fixed admin is handier than a password printed once.
export const DEV_ADMIN_EMAIL = 'admin@example.com'
export const DEV_ADMIN_PASSWORD = 'Worker dev quokka lantern 8787'

async function main() {
  const port = Number(process.env.PORT || 8787)
  const databasePort = Number(process.env.HRANA_PORT || 8080)
  const file = process.env.WORKER_DEV_DB || 'data/worker-dev.db'
  const appUrl = `http://127.0.0.1:${port}`
  const adminEmail = process.env.ADMIN_EMAIL || DEV_ADMIN_EMAIL
  const adminPassword = process.env.ADMIN_EMAIL ? process.env.ADMIN_PASSWORD : process.env.ADMIN_PASSWORD || DEV_ADMIN_PASSWORD
  // The endpoint asks for a token as Turso does; this one lives as long as the process.
  const authToken = randomBytes(24).toString('base64url')

  const database = await startHranaServer({ file, port: databasePort, authToken })
  try {
    await migrateAndBootstrap({
      ...process.env,
      TURSO_DATABASE_URL: database.url,
      TURSO_AUTH_TOKEN: authToken,
      ADMIN_EMAIL: adminEmail,
      ADMIN_PASSWORD: adminPassword,
    })
  } catch (error) {
    await database.close()
    throw error
  }

  console.log(
    [
      '',
      `Staff Portal as a Worker: ${appUrl} (wrangler dev is starting)`,
      `  admin     ${adminEmail} / ${adminPassword ?? '(ADMIN_PASSWORD)'}  (unless changed since)`,
      `  database  ${file}, served over HTTP at ${database.url} (Hrana, as Turso speaks it)`,
      `  mail      ${appUrl}/dev/outbox`,
      `  cron      ${appUrl}/__scheduled?cron=*/10+*+*+*+*  (runs the scheduled handler once)`,
      '',
    ].join('\n'),
  )

  const wrangler = spawnWranglerDev({
    port,
    flags: ['--test-scheduled'],
    vars: {
      APP_URL: appUrl,
      TURSO_DATABASE_URL: database.url,
      TURSO_AUTH_TOKEN: authToken,
      // A deployed Worker has it as a secret; here one per run does (device cookies from an
      // earlier run are then simply not recognised).
      DEVICE_COOKIE_SECRET: process.env.DEVICE_COOKIE_SECRET || randomBytes(32).toString('base64url'),
    },
    stdio: 'inherit',
  })

  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    wrangler.kill('SIGINT')
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  wrangler.on('exit', (code, signal) => {
    void database.close().then(() => process.exit(stopping ? 0 : (code ?? (signal ? 1 : 0))))
  })
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error instanceof ConfigError ? error.message : error)
    process.exit(1)
  })
}
