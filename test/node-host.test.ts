// The Node host as ops run it: refusing unsafe settings at start, the database encrypted at rest
// (and its backups), the client address behind a proxy, the health check and the request log,
// and the CLI's development mail showing in the running server's outbox.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createApp } from '../src/app'
import { systemClock } from '../src/clock'
import { parseConfig, type Config } from '../src/config'
import { createMailer } from '../src/mailer/create-mailer'
import { nodeClientIp } from '../src/http/node-client-ip'
import { migrateDatabase } from '../src/migrate'
import { DatabaseOpenError, openNodeDatabase } from '../src/node-database'
import { Agent } from './support/agent'
import { addPractice, createTestApp, logIn } from './support/app'
import { addStaff, linkIn, pathOf, sendInvitation } from './support/staff'

vi.setConfig({ testTimeout: 60_000 })

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url))
const MARKER = 'Quillon-Marigold-Plaintext-Probe'

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a Node entry point (the host or a script) with only the given settings, as `npm` would. */
function run(entry: string, settings: Record<string, string>, args: string[] = []): Promise<Run> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(APP_URL|MAILCHANNELS_|MAIL_|TURSO_|DATABASE_|NODE_ENV|TRUST_PROXY|ADMIN_)/.test(name),
    ),
  )
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: REPO_ROOT,
    env: { ...inherited, ...settings },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  // A host that did start is stopped after a moment: the tests here expect it to refuse.
  const timer = setTimeout(() => child.kill('SIGTERM'), 20_000)
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'staff-portal-node-host-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const fileBytes = (path: string) => Buffer.concat([path, `${path}-wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p)))
const sha256 = (path: string) => createHash('sha256').update(fileBytes(path)).digest('hex')

describe('start-up refusals', () => {
  it.each(['https://portal.harbor.test', 'http://192.0.2.10:8787'])(
    'exits 1 naming MAILCHANNELS_API_KEY when APP_URL is %s and no key is set, serving nothing',
    async (url) => {
      const result = await run('src/server.ts', { APP_URL: url, PORT: '0', DATABASE_URL: `file:${join(dir, 'refused.db')}` })
      expect(result.code).toBe(1)
      expect(result.stderr).toContain('MAILCHANNELS_API_KEY is missing')
      expect(result.stdout).not.toContain('listening')
      expect(existsSync(join(dir, 'refused.db'))).toBe(false)
    },
  )

  it('exits 1 naming DATABASE_ENCRYPTION_KEY in production with a plaintext local file', async () => {
    const result = await run('src/server.ts', {
      NODE_ENV: 'production',
      APP_URL: 'https://portal.harbor.test',
      MAILCHANNELS_API_KEY: 'mc-key',
      MAIL_FROM: 'portal@harbor.test',
      PORT: '0',
      DATABASE_URL: `file:${join(dir, 'production.db')}`,
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('DATABASE_ENCRYPTION_KEY is missing')
    expect(result.stderr).not.toContain('mc-key')
  })
})

describe('encryption at rest (DATABASE_ENCRYPTION_KEY)', () => {
  const config = (file: string, key?: string): Config =>
    parseConfig({ APP_URL: 'http://localhost', DATABASE_URL: `file:${file}`, DATABASE_ENCRYPTION_KEY: key ?? '' })

  it('leaves no plaintext in the file or its WAL, and its backups stay encrypted', async () => {
    const file = join(dir, 'encrypted.db')
    const opened = await openNodeDatabase(config(file, 'correct horse key'))
    await migrateDatabase(opened.db)
    await opened.client.execute({ sql: 'UPDATE practices SET name = ?', args: [MARKER] })
    await opened.client.execute({
      sql: "INSERT INTO practices (id, name, time_zone, created_at) VALUES ('p1', ?, 'UTC', 0)",
      args: [MARKER],
    })
    expect(fileBytes(file).includes(MARKER)).toBe(false)
    opened.client.close()
    expect(fileBytes(file).includes(MARKER)).toBe(false)

    const backup = join(dir, 'backups', 'copy.db')
    const result = await run('scripts/db-backup.ts', { DATABASE_URL: `file:${file}`, DATABASE_ENCRYPTION_KEY: 'correct horse key' }, [
      '--out',
      backup,
    ])
    expect(result.code, result.stderr).toBe(0)
    expect(fileBytes(backup).includes(MARKER)).toBe(false)
    const restored = await openNodeDatabase(config(backup, 'correct horse key'))
    expect((await restored.client.execute('SELECT name FROM practices')).rows.map((r) => r[0])).toEqual([MARKER])
    restored.client.close()
  })

  it('refuses a wrong key, or none, with a clear start-up error, and changes nothing in the file', async () => {
    const file = join(dir, 'encrypted.db')
    const before = sha256(file)
    await expect(openNodeDatabase(config(file, 'wrong key'))).rejects.toThrow(/DATABASE_ENCRYPTION_KEY does not open/)
    await expect(openNodeDatabase(config(file))).rejects.toThrow(DatabaseOpenError)
    const host = await run('src/server.ts', {
      APP_URL: 'http://localhost:0',
      PORT: '0',
      DATABASE_URL: `file:${file}`,
      DATABASE_ENCRYPTION_KEY: 'wrong key',
    })
    expect(host.code).toBe(1)
    expect(host.stderr).toContain('DATABASE_ENCRYPTION_KEY does not open')
    expect(host.stderr).not.toContain('wrong key')
    expect(sha256(file)).toBe(before)
  })

  it('encrypts an existing plaintext file with npm run db:encrypt, keeping every row', async () => {
    const file = join(dir, 'plain.db')
    const plain = await openNodeDatabase(config(file))
    await migrateDatabase(plain.db)
    await plain.client.execute({
      sql: "INSERT INTO practices (id, name, time_zone, created_at) VALUES ('p1', ?, 'UTC', 0)",
      args: [MARKER],
    })
    plain.client.close()
    expect(fileBytes(file).includes(MARKER)).toBe(true)

    const result = await run('scripts/db-encrypt.ts', { DATABASE_URL: `file:${file}`, DATABASE_ENCRYPTION_KEY: "it's a key" })
    expect(result.code, result.stderr).toBe(0)
    expect(fileBytes(file).includes(MARKER)).toBe(false)
    const reopened = await openNodeDatabase(config(file, "it's a key"))
    expect((await reopened.client.execute('SELECT name FROM practices')).rows.map((r) => r[0])).toEqual([MARKER])
    reopened.client.close()
    expect(result.stdout).toContain(`${file}.plaintext`)

    const again = await run('scripts/db-encrypt.ts', { DATABASE_URL: `file:${file}`, DATABASE_ENCRYPTION_KEY: "it's a key" })
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/exists from an earlier run|already encrypted/)
  })
})

describe('TRUST_PROXY', () => {
  /** The address the host's clientIp picks for a request from loopback with these headers. */
  async function clientIpFor(trust: Config['TRUST_PROXY'], headers: Record<string, string>) {
    const clientIp = nodeClientIp(trust)
    const app = new Hono().get('/', (c) => c.text(clientIp(c)))
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 })
    await new Promise((resolve) => server.once('listening', resolve))
    try {
      const { port } = server.address() as AddressInfo
      return await (await fetch(`http://127.0.0.1:${port}/`, { headers })).text()
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  }
  const spoofed = { 'X-Forwarded-For': '198.51.100.1', 'CF-Connecting-IP': '198.51.100.2', 'X-Real-IP': '198.51.100.3' }

  it('is off by default: the socket address, whatever the headers claim', async () => {
    expect(parseConfig({ APP_URL: 'http://localhost' }).TRUST_PROXY).toBe('off')
    expect(await clientIpFor('off', spoofed)).toBe('127.0.0.1')
  })

  it('x-forwarded-for: the last hop, the one our proxy appended, not the ones the client sent', async () => {
    expect(await clientIpFor('x-forwarded-for', { 'X-Forwarded-For': '198.51.100.1, 10.0.0.8,203.0.113.50' })).toBe('203.0.113.50')
    expect(await clientIpFor('x-forwarded-for', { 'CF-Connecting-IP': '198.51.100.2' })).toBe('127.0.0.1')
  })

  it("cf-connecting-ip: Cloudflare's header, and X-Forwarded-For ignored", async () => {
    expect(await clientIpFor('cf-connecting-ip', spoofed)).toBe('198.51.100.2')
    expect(await clientIpFor('cf-connecting-ip', { 'X-Forwarded-For': '198.51.100.1' })).toBe('127.0.0.1')
  })
})

describe('health check and request log', () => {
  it('answers /healthz 200 with nothing personal, and 503 when the database is gone', async () => {
    const t = await createTestApp()
    try {
      const ok = await t.agent().get('/healthz')
      expect(ok.status).toBe(200)
      expect(await ok.json()).toEqual({ status: 'ok' })
      t.client.close()
      const down = await t.agent().get('/healthz')
      expect(down.status).toBe(503)
      expect(await down.json()).toEqual({ status: 'unavailable' })
    } finally {
      t.cleanup()
    }
  })

  it('logs one JSON line per request with the route pattern, status, duration and id, never the token in the path', async () => {
    const t = await createTestApp()
    try {
      await addPractice(t, 'Log Practice', 'admin@log.test')
      const admin = await logIn(t, 'admin@log.test')
      const staffId = await addStaff(admin, { email1: 'logged@log.test' })
      await sendInvitation(admin, staffId, 'logged@log.test')
      const link = pathOf(linkIn(t.devMailbox!.list()[0]!.text))
      const response = await t.agent().get(link)
      expect(response.status).toBe(200)
      const lines = t.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.message === 'request')
      const last = lines.at(-1)!
      expect(last).toMatchObject({ level: 'info', method: 'GET', status: 200 })
      expect(String(last.route)).toMatch(/^\/invite\/:/)
      expect(typeof last.durationMs).toBe('number')
      expect(last.requestId).toBe(response.headers.get('X-Request-Id'))
      const text = t.logs.join('\n')
      expect(text).not.toContain(link.split('/').pop()!)
      expect(text).not.toContain('logged@log.test')
      expect(lines.find((line) => line.method === 'POST' && String(line.route).endsWith('/portal/invitations'))).toBeDefined()
    } finally {
      t.cleanup()
    }
  })
})

describe('practice:create beside a running server', () => {
  it("works on the live file, and its development mail shows in the server's /dev/outbox", async () => {
    const file = join(dir, 'live.db')
    const config = parseConfig({ APP_URL: 'http://127.0.0.1:8787', DATABASE_URL: `file:${file}` })
    const opened = await openNodeDatabase(config)
    try {
      await migrateDatabase(opened.db)
      const quiet = { info: () => {}, error: () => {} }
      const server = createApp({
        db: opened.db,
        clock: systemClock,
        config,
        logger: quiet,
        ...createMailer({ config, clock: systemClock, db: opened.db }),
      })
      const result = await run('scripts/practice-create.ts', { DATABASE_URL: `file:${file}` }, [
        '--name',
        'Live File Clinic',
        '--admin-email',
        'owner@livefile.test',
        '--admin-first-name',
        'Lia',
        '--admin-last-name',
        'Vo',
      ])
      expect(result.code, result.stderr).toBe(0)
      const outbox = (await (await new Agent(server).get('/dev/outbox.json')).json()) as { to: string; text: string }[]
      const mail = outbox.find((m) => m.to === 'owner@livefile.test')
      expect(mail).toBeDefined()
      expect(result.stdout).toContain(linkIn(mail!.text))
      expect(await (await new Agent(server).get('/dev/outbox')).text()).toContain('owner@livefile.test')
    } finally {
      opened.client.close()
    }
  })
})
