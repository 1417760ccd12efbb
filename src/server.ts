import { mkdirSync } from 'node:fs'
import { dirname, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import { serveStatic } from '@hono/node-server/serve-static'
import { createClient } from '@libsql/client'
import { createApp } from './app'
import { systemClock } from './clock'
import { ConfigError, parseConfig } from './config'
import { createDatabase } from './db'
import { consoleLogger } from './deps'
import { createMailer } from './email/create-mailer'
import { migrateDatabase } from './migrate'
import { ensureFirstPractice } from './practice/bootstrap'

const PUBLIC_DIR = fileURLToPath(new URL('../public', import.meta.url))

async function main() {
  const host = process.env.HOST || '127.0.0.1'
  const port = Number(process.env.PORT || 8787)
  const config = parseConfig({ APP_URL: `http://${host}:${port}`, ...process.env })

  const url = config.DATABASE_URL
  if (url.startsWith('file:')) mkdirSync(dirname(url.slice('file:'.length)), { recursive: true })
  const db = createDatabase(createClient({ url }))
  await migrateDatabase(db)

  const bootstrap = await ensureFirstPractice(db, systemClock, config)
  if (bootstrap.created) {
    console.log(`Created practice "${bootstrap.practiceName}" with admin ${bootstrap.email}.`)
    if (bootstrap.generatedPassword)
      console.log(`Demo admin password (shown once, keep it somewhere safe): ${bootstrap.generatedPassword}`)
  }

  const app = createApp(
    { db, clock: systemClock, config, logger: consoleLogger, ...createMailer(config, systemClock) },
    {
      assets: serveStatic({ root: relative(process.cwd(), PUBLIC_DIR) }),
      clientIp: (c) => getConnInfo(c).remote.address ?? '',
    },
  )
  const server = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
    console.log(`Staff Portal listening on http://${info.address}:${info.port} (database ${url})`)
  })
  const stop = () => server.close(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
})
