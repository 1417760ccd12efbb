// The Cloudflare Worker host. Static files in public/ are served by Workers static assets
// (wrangler.toml [assets]); the ones every page links come through here first, to be hashed
// and cached as immutable (src/http/worker-assets.ts).
// Nothing Node-only may be imported from this file's graph (src/migrate.ts and src/server.ts
// touch the file system); node:crypto is fine under the nodejs_compat flag.
import { createClient } from '@libsql/client/web'
import { createApp, type App, type HostAdapters } from './app'
import { systemClock, type Clock } from './clock'
import { ConfigError, parseConfig, type Config } from './config'
import { createDatabase } from './db'
import { consoleLogger, type Deps } from './deps'
import { createMailer } from './mailer/create-mailer'
import { runMaintenance } from './maintenance/maintenance'
import { serveWorkerAssets } from './http/worker-assets'

/** Bindings and secrets: `[vars]` in wrangler.toml, the rest from `wrangler secret put`. */
export interface WorkerEnv {
  APP_URL?: string
  TURSO_DATABASE_URL?: string
  TURSO_AUTH_TOKEN?: string
  MAILCHANNELS_API_KEY?: string
  /** public/, through Workers static assets (wrangler.toml [assets] binding). */
  ASSETS?: Fetcher
  [name: string]: unknown
}

const DATABASE_SCHEMES = new Set(['libsql:', 'https:', 'http:', 'wss:', 'ws:'])

// One set of deps and one app per isolate: the settings of a deployment do not change while its
// isolates live (a new secret or var means a new deployment, hence new isolates). The cron
// trigger shares them with requests, so under `wrangler dev` retried mail shows in /dev/outbox.
let cached: { deps: Deps; app: App } | undefined

function hostAdapters(env: WorkerEnv): HostAdapters {
  return {
    clientIp: (c) => c.req.header('CF-Connecting-IP') ?? '',
    defer: (c, task) => c.executionCtx.waitUntil(task()),
    assets: env.ASSETS ? serveWorkerAssets(env.ASSETS) : undefined,
  }
}

/** Builds the app from the worker's settings, or throws a ConfigError naming every bad one. */
export function buildWorkerApp(env: WorkerEnv): App {
  return createApp(buildWorkerDeps(env), hostAdapters(env))
}

/**
 * The deps from bindings and secrets: libSQL over HTTP (Turso), MailChannels over fetch when
 * MAILCHANNELS_API_KEY is set, otherwise the development outbox in the database, which config
 * allows only with a loopback APP_URL (`wrangler dev`): any other APP_URL without a key is a
 * ConfigError, so every request answers 503 naming MAILCHANNELS_API_KEY. Throws a ConfigError
 * naming every missing or malformed setting.
 */
export function buildWorkerDeps(env: WorkerEnv): Deps {
  const settings = Object.fromEntries(Object.entries(env).filter(([, value]) => typeof value === 'string'))
  const problems: string[] = []

  let config: Config | undefined
  try {
    config = parseConfig(settings, 'worker')
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    problems.push(...error.problems)
  }

  const databaseUrl = typeof env.TURSO_DATABASE_URL === 'string' ? env.TURSO_DATABASE_URL.trim() : ''
  if (!databaseUrl) problems.push('TURSO_DATABASE_URL is missing')
  else if (!isDatabaseUrl(databaseUrl))
    problems.push('TURSO_DATABASE_URL: must be a libsql://, https:// or wss:// URL (file: databases do not work in a Worker)')

  if (problems.length > 0 || !config) throw new ConfigError(problems)

  let client
  try {
    client = createClient({ url: databaseUrl, authToken: config.TURSO_AUTH_TOKEN })
  } catch (error) {
    // Never echo the client's message: it may repeat the URL, and a URL can carry a token.
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown error'
    throw new ConfigError([`TURSO_DATABASE_URL: the database client refused it (${code})`])
  }

  const db = createDatabase(client)
  return { db, clock: systemClock, config, logger: consoleLogger, ...createMailer({ config, clock: systemClock, db }) }
}

function loadWorker(env: WorkerEnv) {
  if (!cached) {
    const deps = buildWorkerDeps(env)
    cached = { deps, app: createApp(deps, hostAdapters(env)) }
  }
  return cached
}

function isDatabaseUrl(value: string): boolean {
  try {
    return DATABASE_SCHEMES.has(new URL(value).protocol)
  } catch {
    return false
  }
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch)

/** A plain page for the operator: which settings are missing or malformed, never their values. */
export function configErrorResponse(problems: string[]): Response {
  const items = problems.map((problem) => `      <li>${escapeHtml(problem)}</li>`).join('\n')
  const body = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Staff Portal is not configured</title>
  </head>
  <body>
    <h1>Staff Portal is not configured</h1>
    <p>The service cannot start until these settings are fixed:</p>
    <ul>
${items}
    </ul>
    <p>Set plain settings under <code>[vars]</code> in wrangler.toml and secrets with <code>wrangler secret put NAME</code>, then deploy again.</p>
  </body>
</html>
`
  return new Response(body, {
    status: 503,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Retry-After': '300',
      'Content-Security-Policy': "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    },
  })
}

export default {
  fetch(request, env, ctx) {
    let app: App
    try {
      app = loadWorker(env).app
    } catch (error) {
      if (error instanceof ConfigError) {
        consoleLogger.error('configuration is not valid', { problems: error.problems })
        return configErrorResponse(error.problems)
      }
      // Not a settings problem: log it, and still answer a page rather than a stack trace.
      consoleLogger.error('worker failed to start', { error: error instanceof Error ? error.message : String(error) })
      return configErrorResponse(['The app failed to start for a reason other than its settings; see the worker logs (wrangler tail).'])
    }
    return app.fetch(request, env, ctx)
  },

  /**
   * The cron trigger ([triggers] in wrangler.toml): clears expired sessions and reset codes and
   * sends again the email that did not go out. "Now" is the controller's scheduledTime, so a run
   * that starts late still judges expiry and backoff by when it was due (and tests can move it).
   * A settings problem or a failed step is logged and rethrown, so the run shows as failed.
   */
  async scheduled(controller, env) {
    let deps: Deps
    try {
      deps = loadWorker(env).deps
    } catch (error) {
      if (error instanceof ConfigError) consoleLogger.error('configuration is not valid', { problems: error.problems })
      throw error
    }
    const clock: Clock = { now: () => new Date(controller.scheduledTime) }
    await runMaintenance({ ...deps, clock })
  },
} satisfies ExportedHandler<WorkerEnv>
