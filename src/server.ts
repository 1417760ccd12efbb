import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { createApp } from './app'
import { systemClock } from './clock'
import { ConfigError, parseConfig } from './config'
import type { Logger } from './deps'
import { createMailer } from './mailer/create-mailer'
import { gzipServer } from './http/gzip'
import { nodeClientIp } from './http/node-client-ip'
import { servePublicFiles } from './http/public-files'
import { runMaintenance } from './maintenance/maintenance'
import { migrateDatabase } from './migrate'
import { DatabaseOpenError, openNodeDatabase } from './node-database'
import { withDeviceCookieSecret } from './node-device-secret'
import { ensureFirstPractice } from './practice/bootstrap'

// One JSON line a call, written as it is: console.log would run each line through its formatter
// (inspect, colour detection) first, which cost the request log several per cent of a small
// page's CPU (docs/benchmarks.md). The same lines as consoleLogger's.
const stdoutLogger: Logger = {
  info: (message, fields) => void process.stdout.write(`${JSON.stringify({ level: 'info', message, ...fields })}\n`),
  error: (message, fields) => void process.stderr.write(`${JSON.stringify({ level: 'error', message, ...fields })}\n`),
}

const PUBLIC_DIR = fileURLToPath(new URL('../public', import.meta.url))
const MAINTENANCE_INTERVAL_MS = 10 * 60 * 1000

async function main() {
  const host = process.env.HOST || '127.0.0.1'
  const port = Number(process.env.PORT || 8787)
  const parsed = parseConfig({ APP_URL: `http://${host}:${port}`, ...process.env }, 'node-host')

  const { db, url } = await openNodeDatabase(parsed)
  const device = withDeviceCookieSecret(parsed)
  const { config } = device
  if (device.keyFile) console.log(`Device cookies are signed with the key in ${device.keyFile}${device.created ? ' (generated now)' : ''}.`)
  await migrateDatabase(db)

  const bootstrap = await ensureFirstPractice({ db, clock: systemClock, config })
  if (bootstrap.created) {
    console.log(`Created practice "${bootstrap.practiceName}" with admin ${bootstrap.email}.`)
    if (bootstrap.generatedPassword) console.log(`Demo admin password (shown once, keep it somewhere safe): ${bootstrap.generatedPassword}`)
  }

  const mail = createMailer({ config, clock: systemClock, db })
  if (mail.devMailbox)
    console.log(`No MAILCHANNELS_API_KEY: email goes to ${config.APP_URL}/dev/outbox (this machine only: APP_URL is a loopback address).`)
  const app = createApp(
    { db, clock: systemClock, config, logger: stdoutLogger, ...mail },
    {
      // public/ from memory, hashed for immutable caching and gzipped once at start.
      assets: servePublicFiles(PUBLIC_DIR),
      clientIp: nodeClientIp(config.TRUST_PROXY),
    },
  )
  // Responses are gzipped as they are written (Workers compress at the edge; this host does it itself).
  const server = serve({ fetch: app.fetch, hostname: host, port, createServer: gzipServer() }, (info) => {
    console.log(`Staff Portal listening on http://${info.address}:${info.port} (database ${url})`)
  })
  // What the Worker's cron trigger does, on this host: retry unsent email, clear expired rows.
  // Errors are logged inside; the next run tries again.
  const maintenance = setInterval(() => {
    runMaintenance({ db, clock: systemClock, config, logger: stdoutLogger, mailer: mail.mailer }).catch(() => {})
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
  console.error(error instanceof ConfigError || error instanceof DatabaseOpenError ? error.message : error)
  process.exit(1)
})
