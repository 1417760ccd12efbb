import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import { createClient } from '@libsql/client'
import { createApp } from './app'
import { systemClock } from './clock'
import { ConfigError, parseConfig } from './config'
import { createDatabase } from './db'
import { consoleLogger } from './deps'
import { createMailer } from './mailer/create-mailer'
import { gzipServer } from './http/gzip'
import { servePublicFiles } from './http/public-files'
import { runMaintenance } from './maintenance/maintenance'
import { migrateDatabase } from './migrate'
import { ensureFirstPractice } from './practice/bootstrap'

const PUBLIC_DIR = fileURLToPath(new URL('../public', import.meta.url))
const MAINTENANCE_INTERVAL_MS = 10 * 60 * 1000

async function main() {
  const host = process.env.HOST || '127.0.0.1'
  const port = Number(process.env.PORT || 8787)
  const config = parseConfig({ APP_URL: `http://${host}:${port}`, ...process.env })

  const url = config.DATABASE_URL
  if (url.startsWith('file:')) mkdirSync(dirname(url.slice('file:'.length)), { recursive: true })
  const db = createDatabase(createClient({ url }))
  await migrateDatabase(db)

  const bootstrap = await ensureFirstPractice({ db, clock: systemClock, config })
  if (bootstrap.created) {
    console.log(`Created practice "${bootstrap.practiceName}" with admin ${bootstrap.email}.`)
    if (bootstrap.generatedPassword) console.log(`Demo admin password (shown once, keep it somewhere safe): ${bootstrap.generatedPassword}`)
  }

  const mail = createMailer(config, systemClock)
  if (mail.devMailbox)
    console.log(
      'No MAILCHANNELS_API_KEY: email goes to /dev/outbox, which anyone who can reach this server can read. Do not expose it beyond your machine.',
    )
  const app = createApp(
    { db, clock: systemClock, config, logger: consoleLogger, ...mail },
    {
      // public/ from memory, hashed for immutable caching and gzipped once at start.
      assets: servePublicFiles(PUBLIC_DIR),
      clientIp: (c) => getConnInfo(c).remote.address ?? '',
    },
  )
  // Responses are gzipped as they are written (Workers compress at the edge; this host does it itself).
  const server = serve({ fetch: app.fetch, hostname: host, port, createServer: gzipServer() }, (info) => {
    console.log(`Staff Portal listening on http://${info.address}:${info.port} (database ${url})`)
  })
  // What the Worker's cron trigger does, on this host: retry unsent email, clear expired rows.
  // Errors are logged inside; the next run tries again.
  const maintenance = setInterval(() => {
    runMaintenance({ db, clock: systemClock, config, logger: consoleLogger, mailer: mail.mailer }).catch(() => {})
  }, MAINTENANCE_INTERVAL_MS)
  maintenance.unref()
  const stop = () => {
    clearInterval(maintenance)
    server.close(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
})
