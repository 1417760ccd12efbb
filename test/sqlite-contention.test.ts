// Rule "database contention": the Node host's file runs in WAL mode with a busy timeout; a second
// writer (the CLI, a backup, a sqlite3 shell) makes requests wait, never answer 500, and a write
// that outlasts the timeout leaves every later request working.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { staff } from '../db/schema'
import { createApp } from '../src/app'
import { systemClock } from '../src/clock'
import { parseConfig } from '../src/config'
import { createMailer } from '../src/mailer/create-mailer'
import { migrateDatabase } from '../src/migrate'
import { openNodeDatabase, type OpenedDatabase } from '../src/node-database'
import { ensureFirstPractice } from '../src/practice/bootstrap'
import { Agent } from './support/agent'
import { ADMIN_PASSWORD } from './support/app'
import { staffForm } from './support/staff'

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url))
const BUSY_TIMEOUT_MS = 1_000
const ADMIN = 'admin@contention.test'

let dir: string
let file: string
let opened: OpenedDatabase
let admin: Agent
let app: ReturnType<typeof createApp>
const logs: string[] = []

/**
 * Another process (the `libsql` engine, as the CLI or a sqlite3 shell would be) takes the write
 * lock with BEGIN IMMEDIATE, holds it `holdMs`, then commits. Resolves once the lock is held;
 * `released` resolves when that process has exited.
 */
async function holdWriteLock(holdMs: number) {
  const code = `
    const Database = require('libsql')
    const db = new Database(${JSON.stringify(file)})
    db.exec('BEGIN IMMEDIATE')
    db.exec("UPDATE practices SET sender_name = sender_name")
    process.stdout.write('locked\\n')
    setTimeout(() => { db.exec('COMMIT'); db.close(); process.exit(0) }, ${holdMs})`
  const child = spawn(process.execPath, ['-e', code], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  const released = new Promise<number | null>((resolve) => child.once('exit', resolve))
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve())
    child.once('exit', (status) => reject(new Error(`the lock holder exited early (${status})`)))
  })
  return { released }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'staff-portal-contention-'))
  file = join(dir, 'app.db')
  const config = parseConfig({
    APP_URL: 'http://localhost',
    DATABASE_URL: `file:${file}`,
    DATABASE_BUSY_TIMEOUT_MS: String(BUSY_TIMEOUT_MS),
  })
  opened = await openNodeDatabase(config)
  const { db } = opened
  await migrateDatabase(db)
  await ensureFirstPractice({
    db,
    clock: systemClock,
    config: { ...config, ADMIN_EMAIL: ADMIN, ADMIN_PASSWORD, PRACTICE_NAME: 'Contention Clinic' },
  })
  const logger = { info: () => {}, error: (message: string) => void logs.push(message) }
  app = createApp(
    { db, clock: systemClock, config, logger, ...createMailer({ config, clock: systemClock, db }) },
    { clientIp: () => '203.0.113.9' },
  )
  admin = new Agent(app)
  expect((await admin.post('/login', { email: ADMIN, password: ADMIN_PASSWORD })).status).toBe(303)
})
afterAll(() => {
  opened.client.close()
  rmSync(dir, { recursive: true, force: true })
})

const addStaff = (lastName: string) =>
  admin.post('/staff', staffForm({ firstName: 'Lock', lastName, email1: `${lastName.toLowerCase()}@contention.test` }))
const staffNamed = async (lastName: string) => (await opened.db.select().from(staff).where(eq(staff.lastName, lastName))).length

describe('a second writer on the Node host file', () => {
  it('runs the file in WAL mode', async () => {
    const { rows } = await opened.client.execute('PRAGMA journal_mode')
    expect(rows[0]![0]).toBe('wal')
  })

  it('makes a write wait for a lock held shorter than the busy timeout, and then succeed', async () => {
    const lock = await holdWriteLock(300)
    const started = performance.now()
    const response = await addStaff('Waited')
    expect(response.status).toBe(303)
    expect(performance.now() - started).toBeGreaterThanOrEqual(200)
    expect(await lock.released).toBe(0)
    expect(await staffNamed('Waited')).toBe(1)
  })

  it('answers a write that outlasts the timeout with a 503 "try again" page, not a 500, and nothing half-written', async () => {
    const lock = await holdWriteLock(BUSY_TIMEOUT_MS * 3)
    const response = await addStaff('Refused')
    expect(response.status).toBe(503)
    expect(response.headers.get('Retry-After')).toBeTruthy()
    expect(await response.text()).toContain('try again')
    expect(await lock.released).toBe(0)
    expect(await staffNamed('Refused')).toBe(0)
  })

  it('leaves every later request working once the lock is gone: writes, batched reads and the health check', async () => {
    // Several in a row: a poisoned pooled connection would fail some of them.
    for (const name of ['After', 'Again', 'Third']) expect((await addStaff(name)).status, name).toBe(303)
    expect((await admin.get('/staff')).status).toBe(200)
    expect((await admin.get('/staff?q=Again')).status).toBe(200)
    expect((await new Agent(app).get('/healthz')).status).toBe(200)
    expect(await staffNamed('After')).toBe(1)
    expect(logs.filter((line) => line === 'unhandled error')).toEqual([])
  })

  it('survives a failed write inside a batch the same way (the lock outlasting the timeout twice)', async () => {
    for (let round = 0; round < 2; round++) {
      const lock = await holdWriteLock(BUSY_TIMEOUT_MS * 2)
      expect((await addStaff(`Round${round}`)).status).toBe(503)
      await lock.released
      expect((await admin.get('/staff')).status).toBe(200)
    }
    expect((await addStaff('Finally')).status).toBe(303)
  })
})
