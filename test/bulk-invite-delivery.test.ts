import { eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emailOutbox, invitations } from '../db/schema'
import { createMailer } from '../src/mailer/create-mailer'
import { retryUnsentEmail } from '../src/maintenance/retry-email'
import type { Agent } from './support/agent'
import { addPractice, createTestApp, logIn, type TestApp } from './support/app'
import { HOUR } from './support/clock'
import { startMailChannels, type MailChannelsServer } from './support/mailchannels-server'
import { addStaff } from './support/staff'

// Bulk invite off the request: with a mail API that never answers, inviting 100 people still
// answers at once; the email goes out after the response, each row ends 'sent' or 'failed',
// and the maintenance retry sends what failed.

const PEOPLE = 100
let server: MailChannelsServer
let t: TestApp
let admin: Agent

beforeAll(async () => {
  server = await startMailChannels()
  t = await createTestApp({
    APP_URL: 'https://portal.harbor.test',
    MAILCHANNELS_API_KEY: server.apiKey,
    MAILCHANNELS_API_URL: server.url,
    MAIL_FROM: 'portal@harbor.test',
    MAIL_TIMEOUT_MS: '300',
  })
  await addPractice(t, 'Harbor Therapy Group', 'admin@harbor.test')
  admin = await logIn(t, 'admin@harbor.test')
  for (let i = 0; i < PEOPLE; i++)
    await addStaff(admin, { firstName: 'Crew', lastName: `Member${String(i).padStart(3, '0')}`, email1: `crew${i}@harbor.test` })
}, 120_000)
afterAll(async () => {
  await server.close()
  t.cleanup()
})

describe('inviting 100 people while the mail API hangs', () => {
  it(
    'answers within 2 s, shows each delivery as sending with a Refresh link and htmx polling, then every row ends sent or failed',
    { timeout: 120_000 },
    async () => {
      server.set('hang')
      const started = performance.now()
      const response = await admin.post('/staff/invitations', { scope: 'matching', q: 'crew', status: '', mode: 'invite', confirm: 'yes' })
      const html = await response.text()
      const elapsed = performance.now() - started
      console.log(`bulk invite of ${PEOPLE} with a hanging mail API answered in ${elapsed.toFixed(0)} ms`)
      expect(response.status).toBe(200)
      expect(elapsed).toBeLessThan(2000)
      expect(html).toContain(`${PEOPLE} invitations sent`)
      expect(html.match(/delivery-pending">sending</g)).toHaveLength(PEOPLE)
      const batchId = /\/staff\/invitations\/batches\/([a-z2-7]{16})/.exec(html)![1]!
      expect(html).toContain(`hx-get="/staff/invitations/batches/${batchId}" hx-trigger="every 2s" hx-swap="outerHTML"`)
      expect(html).toContain(`<a href="/staff/invitations/batches/${batchId}">Refresh</a>`)

      // After the response: each send times out (MAIL_TIMEOUT_MS) and is recorded as failed.
      await t.settle()
      const rows = await t.db.select({ id: invitations.id }).from(invitations).where(eq(invitations.batchId, batchId))
      expect(rows).toHaveLength(PEOPLE)
      const outbox = await t.db
        .select()
        .from(emailOutbox)
        .where(
          inArray(
            emailOutbox.refId,
            rows.map((r) => r.id),
          ),
        )
      expect(outbox).toHaveLength(PEOPLE)
      expect(new Set(outbox.map((o) => o.status))).toEqual(new Set(['failed']))

      // The page now says so, and stops polling.
      const after = await (await admin.htmx(`/staff/invitations/batches/${batchId}`)).text()
      expect(after).not.toContain('<html')
      expect(after).not.toContain('hx-trigger')
      expect(after).toContain(`0 emails sent, 0 sending, ${PEOPLE} not delivered.`)

      // The mail API recovers; the maintenance retry sends every one with a fresh link.
      server.set('accept')
      t.clock.advance(HOUR)
      const deps = {
        db: t.db,
        clock: t.clock,
        config: t.config,
        logger: { info: () => {}, error: () => {} },
        mailer: createMailer(t).mailer,
      }
      let sent = 0
      for (let report = await retryUnsentEmail(deps); report.sent > 0; report = await retryUnsentEmail(deps)) sent += report.sent
      expect(sent).toBe(PEOPLE)
      const finally_ = await t.db
        .select()
        .from(emailOutbox)
        .where(
          inArray(
            emailOutbox.refId,
            rows.map((r) => r.id),
          ),
        )
      expect(new Set(finally_.map((o) => o.status))).toEqual(new Set(['sent']))
      admin = await logIn(t, 'admin@harbor.test') // the hour passed ended the session
      const done = await (await admin.get(`/staff/invitations/batches/${batchId}`)).text()
      expect(done).toContain(`${PEOPLE} emails sent, 0 sending, 0 not delivered.`)
      expect(done).not.toContain('>Refresh</a>')
    },
  )
})
