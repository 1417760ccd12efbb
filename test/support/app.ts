import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient, type Client } from '@libsql/client'
import { createApp } from '../../src/app'
import { parseConfig } from '../../src/config'
import { createDatabase } from '../../src/db'
import type { Logger } from '../../src/deps'
import { migrateDatabase } from '../../src/migrate'
import { createMailer } from '../../src/mailer/create-mailer'
import { ensureFirstPractice } from '../../src/practice/bootstrap'
import { Agent } from './agent'
import { RecordingMailbox } from './recording-mailbox'
import { TestClock } from './clock'

export const ADMIN_PASSWORD = 'Tidal orchid lantern quiver 42'
export const TEST_IP = '203.0.113.7'
/** DEVICE_COOKIE_SECRET for every test app: a fixed value, so a test can forge and check entries. */
export const TEST_DEVICE_SECRET = 'test-device-cookie-secret-0123456789abcdef'

/** A whole app on a fresh libSQL file of its own, with a hand-moved clock and captured logs. */
export async function createTestApp(settings: Record<string, string> = {}, options: { wrapClient?: (client: Client) => Client } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'staff-portal-test-'))
  const databaseFile = join(dir, 'app.db')
  const client = createClient({ url: `file:${databaseFile}` })
  // A test may wrap the client, e.g. to count round trips to the database.
  const db = createDatabase(options.wrapClient ? options.wrapClient(client) : client)
  await migrateDatabase(db)
  const clock = new TestClock()
  const config = parseConfig({ APP_URL: 'http://localhost', DEVICE_COOKIE_SECRET: TEST_DEVICE_SECRET, ...settings })
  const logs: string[] = []
  const logger: Logger = {
    info: (message, fields) => logs.push(JSON.stringify({ level: 'info', message, ...fields })),
    error: (message, fields) => logs.push(JSON.stringify({ level: 'error', message, ...fields })),
  }
  const created = createMailer({ config, clock, db })
  const devMailbox = created.devMailbox && new RecordingMailbox(db, clock)
  const mail = { mailer: devMailbox ?? created.mailer, devMailbox }
  // Work the app defers past its response (mail sent after a Send Code) is kept so a test can await it.
  const deferred: Promise<unknown>[] = []
  const app = createApp(
    { db, clock, config, logger, ...mail },
    // A test plays a request from another address with the X-Test-Client-IP header.
    {
      clientIp: (c) => c.req.header('X-Test-Client-IP') ?? TEST_IP,
      defer: (_c, task) => void deferred.push(new Promise((resolve) => setTimeout(resolve, 0)).then(task)),
    },
  )
  return {
    app,
    db,
    client,
    clock,
    config,
    logs,
    devMailbox: mail.devMailbox,
    databaseFile,
    // A browser on the app's own origin: CSRF accepts exactly APP_URL's origin.
    agent: () => new Agent(app, new URL(config.APP_URL).origin),
    settle: () => Promise.all(deferred.splice(0)),
    cleanup: () => {
      client.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>

/** Creates a practice with its admin through the same bootstrap the Node host runs. */
export async function addPractice(t: TestApp, name: string, adminEmail: string) {
  await ensureFirstPractice({
    db: t.db,
    clock: t.clock,
    config: { ...t.config, PRACTICE_NAME: name, ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD },
  })
  return { name, adminEmail }
}

export async function logIn(t: TestApp, email: string, password = ADMIN_PASSWORD) {
  const agent = t.agent()
  const response = await agent.post('/login', { email, password })
  if (response.status !== 303) throw new Error(`login as ${email} failed with ${response.status}`)
  return agent
}

export const HARBOR = { name: 'Harbor Therapy Group', adminEmail: 'admin@harbor.test' } as const
export const SUMMIT = { name: 'Summit Speech', adminEmail: 'admin@summit.test' } as const

/** Two practices with an admin each: Harbor, whose admin acts, and Summit, whose admin must not reach it. */
export async function addTwoPractices(t: TestApp) {
  await addPractice(t, HARBOR.name, HARBOR.adminEmail)
  await addPractice(t, SUMMIT.name, SUMMIT.adminEmail)
}

/** Both admins of addTwoPractices, signed in. */
export async function logInBothAdmins(t: TestApp) {
  return { admin: await logIn(t, HARBOR.adminEmail), otherAdmin: await logIn(t, SUMMIT.adminEmail) }
}
