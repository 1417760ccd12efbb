import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { accounts, auditEvents, emailOutbox, invitations, passwordResetCodes, practices, resetCodeRequests, sessions } from '../db/schema'
import { generateId } from '../src/ids'
import type { Logger } from '../src/deps'
import { createMailer } from '../src/mailer/create-mailer'
import { outboxValues } from '../src/email/outbox'
import { cleanUpExpired } from '../src/maintenance/cleanup'
import { runMaintenance } from '../src/maintenance/maintenance'
import { MAX_EMAIL_ATTEMPTS, retryDelay, retryUnsentEmail, STALE_PENDING_MS, type MaintenanceDeps } from '../src/maintenance/retry-email'
import type { Agent } from './support/agent'
import { addPractice, createTestApp, logIn, type TestApp } from './support/app'
import { DAY, HOUR, MINUTE } from './support/clock'
import { startMailChannels, type MailChannelsServer } from './support/mailchannels-server'
import { addStaff, linkIn, pathOf, sendInvitation, STRONG_PASSWORD } from './support/staff'

// The scheduled work in Node, with MailChannels played by a local server that can fail on
// demand and a clock moved by hand. test/worker/scheduled.test.ts runs the same under workerd.
let server: MailChannelsServer
let t: TestApp
let admin: Agent
let deps: MaintenanceDeps
const logs: string[] = []

beforeAll(async () => {
  server = await startMailChannels()
  t = await createTestApp({
    APP_URL: 'https://portal.harbor.test',
    MAILCHANNELS_API_KEY: server.apiKey,
    MAILCHANNELS_API_URL: server.url,
    MAIL_FROM: 'portal@harbor.test',
    MAIL_TIMEOUT_MS: '500',
  })
  await addPractice(t, 'Harbor Therapy Group', 'admin@harbor.test')
  const logger: Logger = { info: (m, f) => logs.push(JSON.stringify({ m, ...f })), error: (m, f) => logs.push(JSON.stringify({ m, ...f })) }
  deps = { db: t.db, clock: t.clock, config: t.config, logger, mailer: createMailer(t).mailer }
})
afterAll(async () => {
  await server.close()
  t.cleanup()
})
beforeEach(async () => {
  t.clock.set('2026-11-26T15:00:00Z')
  server.set('accept')
  admin = await logIn(t, 'admin@harbor.test')
})

const requestsTo = (address: string) =>
  server.requests.filter(
    (r) => (r.json as { personalizations?: { to: { email: string }[] }[] } | undefined)?.personalizations?.[0]?.to[0]?.email === address,
  )
const textOf = (json: unknown) => (json as { content: { type: string; value: string }[] }).content[0]!.value
const rowsFor = (address: string) => t.db.select().from(emailOutbox).where(eq(emailOutbox.recipient, address))

/** An invitation whose email MailChannels refused: one 'failed' row with one attempt. */
async function failedInvitation(address: string) {
  const id = await addStaff(admin, { firstName: 'Fay', email1: address })
  server.set('fail')
  await sendInvitation(admin, id, address)
  server.set('accept')
  const [row] = await rowsFor(address)
  expect(row).toMatchObject({ status: 'failed', attempts: 1, template: 'invitation' })
  return { staffId: id, row: row!, failedLink: linkIn(textOf(requestsTo(address).at(-1)!.json)) }
}

/** An outbox row written straight to the database, as a host that stopped mid-way would leave it. */
async function insertRow(values: Partial<typeof emailOutbox.$inferInsert> & { recipient: string }) {
  const [practice] = await t.db.select().from(practices)
  const row = {
    ...outboxValues(t.clock, {
      practiceId: practice!.id,
      recipient: values.recipient,
      template: 'password-changed',
      params: { practiceName: practice!.name, firstName: 'Pat', changedAt: 'November 26, 2026 at 10:00 AM' },
    }),
    ...values,
  }
  await t.db.insert(emailOutbox).values(row)
  return row.id
}

describe('retrying unsent email', () => {
  it('sends a failed invitation again once its wait is over, with a fresh link that works', async () => {
    const { staffId, row, failedLink } = await failedInvitation('retry@harbor.test')
    t.clock.advance(retryDelay(1) - 1)
    expect(await retryUnsentEmail(deps)).toEqual({ sent: 0, failed: 0, cancelled: 0 })
    expect(requestsTo('retry@harbor.test')).toHaveLength(1)

    t.clock.advance(1)
    expect(await retryUnsentEmail(deps)).toEqual({ sent: 1, failed: 0, cancelled: 0 })
    const [after] = await rowsFor('retry@harbor.test')
    expect(after).toMatchObject({ id: row.id, status: 'sent', attempts: 2, lastError: '' })
    expect(after!.sentAt).toEqual(t.clock.now())
    const fresh = linkIn(textOf(requestsTo('retry@harbor.test').at(-1)!.json))
    expect(fresh).not.toBe(failedLink)
    expect((await t.agent().get(pathOf(failedLink))).status).toBe(404)
    expect((await t.agent().get(pathOf(fresh))).status).toBe(200)
    const created = await t.agent().post(pathOf(fresh), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })
    expect(created.status).toBe(303)

    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetStaffId, staffId), eq(auditEvents.event, 'invitation.resent')))
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ actorAccountId: null, detail: 'automatic retry to retry@harbor.test' })
    expect(JSON.stringify(events)).not.toContain(fresh.split('.').pop())
  })

  it('waits longer after each failure and stops after MAX_EMAIL_ATTEMPTS, leaving the row failed', async () => {
    await failedInvitation('down@harbor.test')
    server.set('fail')
    for (let attempt = 1; attempt < MAX_EMAIL_ATTEMPTS; attempt++) {
      t.clock.advance(retryDelay(attempt) - MINUTE)
      await retryUnsentEmail(deps)
      expect(requestsTo('down@harbor.test'), `a minute early for attempt ${attempt + 1}`).toHaveLength(attempt)
      t.clock.advance(MINUTE)
      expect(await retryUnsentEmail(deps)).toEqual({ sent: 0, failed: 1, cancelled: 0 })
      expect(requestsTo('down@harbor.test')).toHaveLength(attempt + 1)
    }
    expect([10, 20, 40, 80, 160].map((m) => m * MINUTE)).toEqual([1, 2, 3, 4, 5].map(retryDelay))
    t.clock.advance(DAY)
    server.set('accept')
    await retryUnsentEmail(deps)
    expect(requestsTo('down@harbor.test')).toHaveLength(MAX_EMAIL_ATTEMPTS)
    const [row] = await rowsFor('down@harbor.test')
    expect(row).toMatchObject({
      status: 'failed',
      attempts: MAX_EMAIL_ATTEMPTS,
      lastError: expect.stringContaining('MailChannels answered 503'),
    })
    // The admin's Retry still works on it.
    admin = await logIn(t, 'admin@harbor.test')
    const tab = await (
      await admin.get(
        `/staff/${(await t.db.select().from(invitations).where(eq(invitations.email, 'down@harbor.test')))[0]!.staffId}/portal`,
      )
    ).text()
    expect(tab).toContain('>Retry</button>')
  })

  it('does not send an invitation that is no longer pending, and says why', async () => {
    const { staffId, row } = await failedInvitation('revoked@harbor.test')
    expect(
      (await admin.post(`/staff/${staffId}/portal/invitations/${row.refId}/revoke`, { confirm: 'yes' }, { 'HX-Request': 'true' })).status,
    ).toBe(200)
    const secretOf = async () => (await t.db.select().from(invitations).where(eq(invitations.id, row.refId!)))[0]!.secretHash
    const secretBefore = await secretOf()
    t.clock.advance(retryDelay(1))
    expect(await retryUnsentEmail(deps)).toEqual({ sent: 0, failed: 0, cancelled: 1 })
    expect(requestsTo('revoked@harbor.test')).toHaveLength(1)
    const [after] = await rowsFor('revoked@harbor.test')
    expect(after).toMatchObject({ status: 'cancelled', attempts: 1, lastError: expect.stringContaining('no longer pending') })
    expect(await secretOf()).toBe(secretBefore)
  })

  it('cancels reset codes and reset links at once, since their secret is not stored', async () => {
    const code = await insertRow({
      recipient: 'code@harbor.test',
      template: 'reset-code',
      status: 'failed',
      attempts: 1,
      lastAttemptAt: t.clock.now(),
    })
    const link = await insertRow({
      recipient: 'link@harbor.test',
      template: 'reset-link',
      status: 'pending',
      createdAt: new Date(t.clock.now().getTime() - STALE_PENDING_MS),
    })
    expect(await retryUnsentEmail(deps)).toEqual({ sent: 0, failed: 0, cancelled: 2 })
    const [codeRow] = await t.db.select().from(emailOutbox).where(eq(emailOutbox.id, code))
    const [linkRow] = await t.db.select().from(emailOutbox).where(eq(emailOutbox.id, link))
    expect(codeRow).toMatchObject({ status: 'cancelled', lastError: expect.stringContaining('ask for a new code') })
    expect(linkRow).toMatchObject({ status: 'cancelled', lastError: expect.stringContaining('generate a new link') })
    expect(requestsTo('code@harbor.test')).toHaveLength(0)
  })

  it('sends a failed password-changed notice as it was, and a stuck pending one only once it is stale', async () => {
    const failed = await insertRow({
      recipient: 'notice@harbor.test',
      status: 'failed',
      attempts: 2,
      lastAttemptAt: new Date(t.clock.now().getTime() - retryDelay(2)),
    })
    const stuck = await insertRow({ recipient: 'stuck@harbor.test', createdAt: new Date(t.clock.now().getTime() - STALE_PENDING_MS) })
    const fresh = await insertRow({
      recipient: 'inflight@harbor.test',
      createdAt: new Date(t.clock.now().getTime() - STALE_PENDING_MS + 1),
    })
    expect(await retryUnsentEmail(deps)).toEqual({ sent: 2, failed: 0, cancelled: 0 })
    const rows = await t.db.select().from(emailOutbox)
    expect(rows.find((r) => r.id === failed)).toMatchObject({ status: 'sent', attempts: 3 })
    expect(rows.find((r) => r.id === stuck)).toMatchObject({ status: 'sent', attempts: 1 })
    expect(rows.find((r) => r.id === fresh)).toMatchObject({ status: 'pending', attempts: 0 })
    const mail = requestsTo('notice@harbor.test')[0]!.json as { subject: string; from: { name: string } }
    expect(mail.from.name).toBe('Harbor Therapy Group')
    expect(mail.subject).toMatch(/password/i)
  })

  it('sends a message once even when two runs overlap', async () => {
    await insertRow({
      recipient: 'twice@harbor.test',
      status: 'failed',
      attempts: 1,
      lastAttemptAt: new Date(t.clock.now().getTime() - HOUR),
    })
    const reports = await Promise.all([retryUnsentEmail(deps), retryUnsentEmail(deps)])
    expect(reports.map((r) => r.sent).sort()).toEqual([0, 1])
    expect(requestsTo('twice@harbor.test')).toHaveLength(1)
  })
})

describe('cleaning up', () => {
  it('deletes sessions past 30 minutes idle or 12 hours in all, and keeps the others', async () => {
    const [account] = await t.db.select().from(accounts).where(eq(accounts.email, 'admin@harbor.test'))
    const now = t.clock.now().getTime()
    const at = (ms: number) => new Date(now - ms)
    const session = (name: string, createdAgo: number, seenAgo: number) => ({
      id: generateId(),
      secretHash: name,
      accountId: account!.id,
      createdAt: at(createdAgo),
      lastSeenAt: at(seenAgo),
    })
    await t.db.delete(sessions)
    await t.db
      .insert(sessions)
      .values([
        session('idle', HOUR, 30 * MINUTE),
        session('nearly-idle', HOUR, 30 * MINUTE - 1),
        session('too-old', 12 * HOUR, MINUTE),
        session('nearly-too-old', 12 * HOUR - 1, MINUTE),
      ])
    const report = await cleanUpExpired(deps)
    expect(report.sessions).toBe(2)
    expect((await t.db.select({ secretHash: sessions.secretHash }).from(sessions)).map((s) => s.secretHash).sort()).toEqual([
      'nearly-idle',
      'nearly-too-old',
    ])
  })

  it('deletes reset codes a day past expiry and Send Code requests older than a day; keeps invitations, outbox and audit', async () => {
    const [account] = await t.db.select().from(accounts).where(eq(accounts.email, 'admin@harbor.test'))
    const now = t.clock.now().getTime()
    const code = (id: string, expiresAgo: number) => ({
      id,
      accountId: account!.id,
      practiceId: account!.practiceId,
      codeHash: 'x',
      createdAt: new Date(now - expiresAgo - 10 * MINUTE),
      expiresAt: new Date(now - expiresAgo),
    })
    await t.db.insert(passwordResetCodes).values([code('old-code', DAY), code('recent-code', DAY - 1)])
    await t.db.insert(resetCodeRequests).values([
      { emailHash: 'old', createdAt: new Date(now - DAY) },
      { emailHash: 'recent', createdAt: new Date(now - DAY + 1) },
    ])
    const before = await Promise.all([t.db.$count(invitations), t.db.$count(emailOutbox), t.db.$count(auditEvents)])
    const report = await cleanUpExpired(deps)
    expect(report).toMatchObject({ resetCodes: 1, resetCodeRequests: 1 })
    expect((await t.db.select({ id: passwordResetCodes.id }).from(passwordResetCodes)).map((c) => c.id)).toEqual(['recent-code'])
    expect((await t.db.select({ h: resetCodeRequests.emailHash }).from(resetCodeRequests)).map((r) => r.h)).toEqual(['recent'])
    expect(await Promise.all([t.db.$count(invitations), t.db.$count(emailOutbox), t.db.$count(auditEvents)])).toEqual(before)
  })
})

describe('runMaintenance', () => {
  it('runs both steps and logs what it did', async () => {
    logs.length = 0
    await insertRow({
      recipient: 'both@harbor.test',
      status: 'failed',
      attempts: 1,
      lastAttemptAt: new Date(t.clock.now().getTime() - HOUR),
    })
    const report = await runMaintenance(deps)
    expect(report.email).toMatchObject({ sent: 1 })
    expect(report.cleanup).toEqual(expect.objectContaining({ sessions: expect.any(Number) }))
    expect(logs.some((line) => line.includes('maintenance done'))).toBe(true)
  })

  it('still retries email when the cleanup fails, then reports the failure', async () => {
    logs.length = 0
    await insertRow({
      recipient: 'despite@harbor.test',
      status: 'failed',
      attempts: 1,
      lastAttemptAt: new Date(t.clock.now().getTime() - HOUR),
    })
    const broken = {
      ...deps,
      db: new Proxy(deps.db, {
        get: (target, key) => (key === 'batch' ? () => Promise.reject(new Error('boom')) : Reflect.get(target, key)),
      }),
    }
    await expect(runMaintenance(broken)).rejects.toThrow('1 maintenance step(s) failed')
    expect(requestsTo('despite@harbor.test')).toHaveLength(1)
    expect(logs.some((line) => line.includes('maintenance step failed') && line.includes('cleanup'))).toBe(true)
  })
})
