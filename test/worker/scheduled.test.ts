import { createScheduledController, env } from 'cloudflare:test'
import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  accounts,
  auditEvents,
  emailOutbox,
  invitations,
  passwordResetCodes,
  practices,
  resetCodeRequests,
  sessions,
} from '../../db/schema'
import { generateId } from '../../src/ids'
import { systemClock } from '../../src/clock'
import { outboxValues } from '../../src/email/outbox'
import worker from '../../src/worker'
import { ADMIN_EMAIL } from './constants'
import { addStaff, database, linkIn, logIn, mailTo, pathOf, WorkerAgent } from './support'

// The cron trigger under workerd: the Worker's own `scheduled` handler, called with a
// ScheduledController whose scheduledTime is in the future. The handler takes that time as
// "now", so moving it is moving the clock. MailChannels is not configured here, so a failed
// delivery is set up the way one looks in the database: the outbox row marked 'failed'.

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
const db = database()

async function runCron(at: number) {
  await worker.scheduled(createScheduledController({ scheduledTime: new Date(at), cron: '*/10 * * * *' }), env)
}

const outboxRow = async (address: string) => (await db.select().from(emailOutbox).where(eq(emailOutbox.recipient, address)))[0]!
const sessionIdOf = (agent: WorkerAgent) => agent.cookies.get('__Host-session')!.split('.')[0]!
const sessionExists = async (id: string) => (await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.id, id))).length === 1

let t0: number
let failedLink: string
let idleSession: WorkerAgent
let cancelledCode: string
let counts: { invitations: number; audit: number }

beforeAll(async () => {
  const admin = await logIn()
  // An invitation whose email "failed": sent to the dev outbox, then marked as MailChannels would leave it.
  const staffId = await addStaff(admin, { firstName: 'Sasha', lastName: 'Cron', email1: 'sasha@harbor.test' })
  await admin.post(`/staff/${staffId}/portal/invitations`, { email: 'sasha@harbor.test' }, { 'HX-Request': 'true' })
  failedLink = linkIn((await mailTo('sasha@harbor.test'))[0]!.text)
  const failed = { status: 'failed' as const, attempts: 1, lastAttemptAt: new Date(), lastError: 'MailChannels answered 503', sentAt: null }
  await db.update(emailOutbox).set(failed).where(eq(emailOutbox.recipient, 'sasha@harbor.test'))

  // A failed invitation that was revoked since: not to be sent again.
  const goneId = await addStaff(admin, { firstName: 'Gale', lastName: 'Cron', email1: 'gale@harbor.test' })
  await admin.post(`/staff/${goneId}/portal/invitations`, { email: 'gale@harbor.test' }, { 'HX-Request': 'true' })
  await db.update(emailOutbox).set(failed).where(eq(emailOutbox.recipient, 'gale@harbor.test'))
  const [gone] = await db.select().from(invitations).where(eq(invitations.email, 'gale@harbor.test'))
  await admin.post(`/staff/${goneId}/portal/invitations/${gone!.id}/revoke`, { confirm: 'yes' }, { 'HX-Request': 'true' })

  // A verification code that never went out, and leftovers from two days ago.
  const [practice] = await db.select().from(practices)
  const [account] = await db.select().from(accounts).where(eq(accounts.email, ADMIN_EMAIL))
  const codeMail = outboxValues(systemClock, {
    practiceId: practice!.id,
    recipient: 'code@harbor.test',
    template: 'reset-code',
    params: { practiceName: practice!.name, firstName: 'Cody' },
  })
  cancelledCode = codeMail.id
  await db.insert(emailOutbox).values({ ...codeMail, ...failed })
  const twoDaysAgo = new Date(Date.now() - 2 * DAY)
  await db.insert(resetCodeRequests).values({ emailHash: 'cron-test-old', createdAt: twoDaysAgo })
  await db.insert(passwordResetCodes).values({
    id: generateId(),
    accountId: account!.id,
    practiceId: practice!.id,
    codeHash: 'cron-test-old',
    createdAt: twoDaysAgo,
    expiresAt: twoDaysAgo,
  })

  idleSession = await logIn()
  counts = { invitations: await db.$count(invitations), audit: await db.$count(auditEvents) }
  t0 = Date.now()
})

describe('the scheduled handler, 5 minutes on', () => {
  beforeAll(() => runCron(t0 + 5 * MINUTE))

  it('leaves a failed invitation alone until its backoff is over', async () => {
    expect(await outboxRow('sasha@harbor.test')).toMatchObject({ status: 'failed', attempts: 1 })
    expect(await mailTo('sasha@harbor.test')).toHaveLength(1)
  })

  it('cancels the verification code email at once, since the code is not stored', async () => {
    const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, cancelledCode))
    expect(row).toMatchObject({ status: 'cancelled', lastError: expect.stringContaining('cannot be re-sent') })
    expect(await mailTo('code@harbor.test', 0)).toHaveLength(0)
  })

  it('deletes codes and Send Code requests older than a day, and keeps sessions idle for 5 minutes', async () => {
    expect(await db.$count(resetCodeRequests, eq(resetCodeRequests.emailHash, 'cron-test-old'))).toBe(0)
    expect(await db.$count(passwordResetCodes, eq(passwordResetCodes.codeHash, 'cron-test-old'))).toBe(0)
    expect(await sessionExists(sessionIdOf(idleSession))).toBe(true)
  })
})

describe('the scheduled handler, 31 minutes on', () => {
  beforeAll(() => runCron(t0 + 31 * MINUTE))

  it('sends the failed invitation again with a fresh link that works, and the old link no longer does', async () => {
    expect(await outboxRow('sasha@harbor.test')).toMatchObject({ status: 'sent', attempts: 2, lastError: '' })
    const mail = await mailTo('sasha@harbor.test', 2)
    expect(mail).toHaveLength(2)
    const fresh = linkIn(mail[0]!.text)
    expect(fresh).not.toBe(failedLink)
    expect((await new WorkerAgent().get(pathOf(failedLink))).status).toBe(404)
    const page = await new WorkerAgent().get(pathOf(fresh))
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('>Create Account</button>')
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.event, 'invitation.resent'), eq(auditEvents.detail, 'automatic retry to sasha@harbor.test')))
    expect(event).toMatchObject({ actorAccountId: null })
  })

  it('does not send a revoked invitation, and records why', async () => {
    expect(await outboxRow('gale@harbor.test')).toMatchObject({
      status: 'cancelled',
      attempts: 1,
      lastError: expect.stringContaining('no longer pending'),
    })
    expect(await mailTo('gale@harbor.test')).toHaveLength(1)
  })

  it('deletes sessions idle for 30 minutes: the browser is sent back to the login page', async () => {
    expect(await sessionExists(sessionIdOf(idleSession))).toBe(false)
    const after = await idleSession.get('/staff')
    expect(after.status).toBe(303)
    expect(after.headers.get('Location')).toMatch(/^\/login/)
  })

  it('keeps invitation and audit history', async () => {
    expect(await db.$count(invitations)).toBe(counts.invitations)
    expect(await db.$count(auditEvents)).toBeGreaterThanOrEqual(counts.audit)
  })
})
