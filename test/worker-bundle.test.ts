import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import worker from '../src/worker'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const MiB = 1024 * 1024
const GZIP_BUDGET = 1 * MiB

describe('the Worker bundle', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'staff-portal-wbundle-'))
  afterAll(() => rmSync(outdir, { recursive: true, force: true }))

  it('builds offline with wrangler and stays under 1 MiB gzipped', { timeout: 180_000 }, async () => {
    let result: { stdout: string; stderr: string }
    try {
      result = await run('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir], {
        cwd: ROOT,
        timeout: 120_000,
        maxBuffer: 16 * MiB,
        env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
      })
    } catch (error) {
      // execFile rejects on a non-zero exit: show what wrangler said rather than a bare code.
      const failed = error as { code?: unknown; stdout?: string; stderr?: string }
      expect.fail(`wrangler deploy --dry-run failed (exit ${String(failed.code)}):\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`)
    }
    expect(result.stdout).toContain('--dry-run: exiting now')

    const scripts = readdirSync(outdir).filter((name) => name.endsWith('.js'))
    expect(scripts).toHaveLength(1)
    const bundle = readFileSync(join(outdir, scripts[0]!))
    const gzipped = gzipSync(bundle, { level: 9 })
    console.log(`worker bundle ${scripts[0]}: ${(bundle.length / 1024).toFixed(1)} KiB raw, ${(gzipped.length / 1024).toFixed(1)} KiB gzip`)
    expect(gzipped.length).toBeLessThan(GZIP_BUDGET)

    // The Node host's pieces (file-system migrations, @hono/node-server) must stay out of the Worker.
    const source = bundle.toString('utf8')
    expect(source).not.toContain('// src/migrate.ts')
    expect(source).not.toContain('// src/server.ts')
    expect(source).not.toContain('@hono/node-server')
    expect(source).toContain('// src/worker.ts')
  })
})

// The same fetch handler, run in Node: settings problems answer a 503 page that names them.
describe('the Worker fetch handler', () => {
  const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext
  const get = (path: string, env: Record<string, string>) =>
    worker.fetch(new Request(`https://portal.example${path}`) as Parameters<typeof worker.fetch>[0], env, ctx)

  it('names missing settings on a plain 503 page', async () => {
    const response = await get('/login', {})
    expect(response.status).toBe(503)
    expect(response.headers.get('Content-Type')).toContain('text/html')
    const html = await response.text()
    expect(html).toContain('APP_URL is missing')
    expect(html).toContain('TURSO_DATABASE_URL is missing')
    expect(html).not.toMatch(/at \S+ \(|\.ts:\d+/)
  })

  it('names malformed settings without echoing their values', async () => {
    const response = await get('/login', {
      APP_URL: 'ftp://portal.example',
      TURSO_DATABASE_URL: 'file:secret-name.db',
      INVITE_TTL_DAYS: '90',
    })
    expect(response.status).toBe(503)
    const html = await response.text()
    expect(html).toContain('APP_URL')
    expect(html).toContain('INVITE_TTL_DAYS')
    expect(html).toContain('TURSO_DATABASE_URL')
    expect(html).not.toContain('secret-name')
  })

  it('refuses a public APP_URL without a mail key, naming MAILCHANNELS_API_KEY, rather than publish the mail', async () => {
    for (const path of ['/login', '/dev/outbox.json']) {
      const response = await get(path, { APP_URL: 'https://portal.example', TURSO_DATABASE_URL: 'http://127.0.0.1:9' })
      expect(response.status, path).toBe(503)
      expect(await response.text()).toContain('MAILCHANNELS_API_KEY is missing')
    }
  })

  it('serves the app once the settings are good (no database needed for the login page)', async () => {
    const response = await get('/login', {
      APP_URL: 'http://localhost:8787',
      TURSO_DATABASE_URL: 'http://127.0.0.1:9',
      DEVICE_COOKIE_SECRET: 'bundle-test-device-cookie-secret-0123456789',
    })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('Log In')
  })
})
