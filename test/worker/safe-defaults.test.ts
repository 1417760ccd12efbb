import { createClient } from '@libsql/client/web'
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import worker, { buildWorkerApp, type WorkerEnv } from '../../src/worker'
import { APP_URL, front, logIn, staffForm } from './support'

// What the Worker does with settings that would be unsafe or broken in production, and with a
// database that is busy. The other files run it as configured in vitest.worker.config.ts.

const ctx = () => ({ waitUntil: () => {}, passThroughOnException: () => {}, props: {} }) as unknown as ExecutionContext
/** A request as the fetch handler receives it (the runtime adds `cf`; nothing here reads it). */
const incoming = (url: string) => new Request(url) as unknown as Request<unknown, IncomingRequestCfProperties>
const settings = (overrides: Record<string, string | undefined>): WorkerEnv => ({ ...(env as unknown as WorkerEnv), ...overrides })

describe('settings', () => {
  it('answers every request 503 naming MAILCHANNELS_API_KEY when APP_URL is public and there is no key', async () => {
    const unsafe = settings({ APP_URL: 'https://portal.harbor.test', MAILCHANNELS_API_KEY: undefined })
    for (const path of ['/login', '/dev/outbox.json', '/healthz']) {
      const response = await worker.fetch(incoming(`https://portal.harbor.test${path}`), unsafe, ctx())
      expect(response.status, path).toBe(503)
      const html = await response.text()
      expect(html).toContain('MAILCHANNELS_API_KEY is missing')
      expect(html).not.toContain(String(env.TURSO_AUTH_TOKEN))
    }
  })

  it('serves no development outbox when a mail key is set', async () => {
    const app = buildWorkerApp(
      settings({ APP_URL: 'https://portal.harbor.test', MAILCHANNELS_API_KEY: 'mc-key', MAIL_FROM: 'portal@harbor.test' }),
    )
    for (const path of ['/dev/outbox', '/dev/outbox.json'])
      expect((await app.fetch(new Request(`https://portal.harbor.test${path}`), env, ctx())).status, path).toBe(404)
  })

  it('answers 503 naming TURSO_AUTH_TOKEN when a remote database has no token', async () => {
    const response = await worker.fetch(
      incoming('https://portal.harbor.test/login'),
      settings({
        APP_URL: 'https://portal.harbor.test',
        MAILCHANNELS_API_KEY: 'mc-key',
        MAIL_FROM: 'portal@harbor.test',
        TURSO_DATABASE_URL: 'libsql://portal-harbor.turso.io',
        TURSO_AUTH_TOKEN: undefined,
      }),
      ctx(),
    )
    expect(response.status).toBe(503)
    expect(await response.text()).toContain('TURSO_AUTH_TOKEN is missing')
  })

  it('answers 503 naming DEVICE_COOKIE_SECRET when the secret binding is missing, never printing a value', async () => {
    const response = await worker.fetch(incoming(`${APP_URL}/login`), settings({ DEVICE_COOKIE_SECRET: undefined }), ctx())
    expect(response.status).toBe(503)
    const html = await response.text()
    expect(html).toContain('DEVICE_COOKIE_SECRET is missing')
    expect(html).toContain('wrangler secret put DEVICE_COOKIE_SECRET')
    const short = await worker.fetch(incoming(`${APP_URL}/login`), settings({ DEVICE_COOKIE_SECRET: 'too-short-secret' }), ctx())
    expect(short.status).toBe(503)
    const shortHtml = await short.text()
    expect(shortHtml).toContain('DEVICE_COOKIE_SECRET: must be at least 32 characters')
    expect(shortHtml).not.toContain('too-short-secret')
  })
})

describe('health and a busy database', () => {
  it('answers /healthz 200 without personal data', async () => {
    const response = await front().fetch(`${APP_URL}/healthz`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok' })
  })

  it('answers a write that cannot get the lock with a 503 "try again" page, and works once the lock is gone', async () => {
    const admin = await logIn()
    // Another client holds the write lock (as a migration or a long transaction would).
    const other = createClient({ url: env.TURSO_DATABASE_URL, authToken: env.TURSO_AUTH_TOKEN })
    const holder = await other.transaction('write')
    await holder.execute("UPDATE practices SET sender_name = sender_name WHERE id = 'none'")
    let busy: Response
    try {
      busy = await admin.post('/staff', staffForm({ firstName: 'Busy', lastName: 'Writer', email1: 'busy.writer@harbor.test' }))
    } finally {
      await holder.rollback()
      other.close()
    }
    expect(busy.status).toBe(503)
    expect(await busy.text()).toContain('try again')

    const health = await front().fetch(`${APP_URL}/healthz`)
    expect(health.status).toBe(200)
    expect((await admin.get('/staff')).status).toBe(200)
    const added = await admin.post('/staff', staffForm({ firstName: 'Busy', lastName: 'Writer', email1: 'busy.writer@harbor.test' }))
    expect(added.status).toBe(303)
  })
})
