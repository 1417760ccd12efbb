import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { accounts, auditEvents, emailOutbox, invitations } from '../db/schema'
import type { Logger } from '../src/deps'
import { deliverQueued } from '../src/invitations/bulk-delivery'
import { planInvitations, queueInvitations } from '../src/invitations/bulk-invite'
import { retryDelay, retryUnsentEmail, STALE_PENDING_MS, type MaintenanceDeps, type RetryReport } from '../src/maintenance/retry-email'
import { MailError, type OutgoingEmail } from '../src/mailer/mailer'
import type { Agent } from './support/agent'
import { addPractice, createTestApp, logIn, type TestApp } from './support/app'
import { MINUTE } from './support/clock'
import { addStaff, linkIn, pathOf, sendInvitation, STRONG_PASSWORD } from './support/staff'

// An undelivered invitation sent again by two hands at once: the admin's Retry (clicked twice,
// or while the maintenance run retries the same message). Each replaces the invitation's secret,
// so two sends mean two emails of which one carries a dead link. One message must go out, and
// its link must be the live one.

let t: TestApp
let admin: Agent
let deps: MaintenanceDeps
/** Runs inside the next send, before the message is handed over: the moment a send is in flight. */
let duringSend: ((email: OutgoingEmail) => Promise<void>) | null = null
let failSends = false

beforeAll(async () => {
  t = await createTestApp()
  await addPractice(t, 'Harbor Therapy Group', 'admin@harbor.test')
  const mailbox = t.devMailbox!
  const deliver = mailbox.send.bind(mailbox)
  // The development mailbox, held or failed on demand; the app and the maintenance run share it.
  mailbox.send = async (email: OutgoingEmail) => {
    if (failSends) throw new MailError('the mail service is down')
    const hook = duringSend
    if (hook) await hook(email)
    return deliver(email)
  }
  const logger: Logger = { info: () => {}, error: () => {} }
  deps = { db: t.db, clock: t.clock, config: t.config, logger, mailer: mailbox }
})
afterAll(() => t.cleanup())
beforeEach(async () => {
  duringSend = null
  failSends = false
  admin = await logIn(t, 'admin@harbor.test')
})

const mailTo = (address: string) => t.devMailbox!.list().filter((m) => m.to === address)

/** An invitation whose email did not go out: its one outbox row 'failed', due for the maintenance retry. */
async function failedInvitation(address: string) {
  const staffId = await addStaff(admin, { firstName: 'Fay', email1: address })
  failSends = true
  await sendInvitation(admin, staffId, address)
  failSends = false
  const [invitation] = await t.db.select().from(invitations).where(eq(invitations.staffId, staffId))
  const [row] = await t.db.select().from(emailOutbox).where(eq(emailOutbox.refId, invitation!.id))
  expect(row).toMatchObject({ status: 'failed', attempts: 1 })
  // The maintenance run would send it again from now on.
  t.clock.advance(retryDelay(1))
  return { staffId, invitationId: invitation!.id, retryPath: `/staff/${staffId}/portal/invitations/${invitation!.id}/retry` }
}

/** Every invitation email sent to the address carried a link; only the one given works, and it creates the account. */
async function onlyLiveLink(address: string) {
  const sent = mailTo(address)
  expect(sent).toHaveLength(1)
  const link = linkIn(sent[0]!.text)
  expect((await t.agent().get(pathOf(link))).status).toBe(200)
  const created = await t.agent().post(pathOf(link), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })
  expect(created.status).toBe(303)
}

const resentEvents = (staffId: string) =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetStaffId, staffId), eq(auditEvents.event, 'invitation.resent')))

describe('Retry on an undelivered invitation, raced', () => {
  it('two Retries at once send one message, with the live link', async () => {
    const address = 'twice@harbor.test'
    const { staffId, invitationId, retryPath } = await failedInvitation(address)
    // A send waits until both clicks have reached theirs, or one click has answered without one.
    let open!: () => void
    const gate = new Promise<void>((resolve) => (open = resolve))
    let sending = 0
    duringSend = async () => {
      if (++sending === 2) open()
      await gate
    }
    const click = () => admin.post(retryPath, {}, { 'HX-Request': 'true' }).finally(open)
    const answers = await Promise.all([click(), click()])
    expect(answers.map((a) => a.status)).toEqual([200, 200])
    const texts = await Promise.all(answers.map((a) => a.text()))
    expect(texts.filter((text) => text.includes('The invitation email was sent with a fresh link.'))).toHaveLength(1)
    await onlyLiveLink(address)
    expect(await resentEvents(staffId)).toHaveLength(1)
    const [row] = await t.db.select().from(emailOutbox).where(eq(emailOutbox.refId, invitationId))
    expect(row).toMatchObject({ status: 'sent', attempts: 2 })
  })

  it('the maintenance run during a Retry’s send leaves that message alone', async () => {
    const address = 'during-retry@harbor.test'
    const { staffId, invitationId, retryPath } = await failedInvitation(address)
    let report: RetryReport | undefined
    duringSend = async () => {
      duringSend = null
      report = await retryUnsentEmail(deps)
    }
    const answer = await admin.post(retryPath, {}, { 'HX-Request': 'true' })
    expect(answer.status).toBe(200)
    expect(await answer.text()).toContain('The invitation email was sent with a fresh link.')
    expect(report).toEqual({ sent: 0, failed: 0, cancelled: 0 })
    await onlyLiveLink(address)
    expect(await resentEvents(staffId)).toHaveLength(1)
    const [row] = await t.db.select().from(emailOutbox).where(eq(emailOutbox.refId, invitationId))
    expect(row).toMatchObject({ status: 'sent', attempts: 2 })
  })

  it('a Retry during the maintenance run’s send sends nothing more', async () => {
    const address = 'during-run@harbor.test'
    const { staffId, retryPath } = await failedInvitation(address)
    let status: number | undefined
    duringSend = async () => {
      duringSend = null
      status = (await admin.post(retryPath, {}, { 'HX-Request': 'true' })).status
    }
    expect(await retryUnsentEmail(deps)).toEqual({ sent: 1, failed: 0, cancelled: 0 })
    expect(status).toBe(200)
    await onlyLiveLink(address)
    expect(await resentEvents(staffId)).toHaveLength(1)
  })

  it('a Retry whose host stopped before recording the send is taken up by the maintenance run once stale', async () => {
    const address = 'stopped@harbor.test'
    const { invitationId, retryPath } = await failedInvitation(address)
    // The send never returns to record how it went: as when the host stops mid-request.
    let stop!: () => void
    const stopped = new Promise<void>((resolve) => (stop = resolve))
    duringSend = async () => {
      duringSend = null
      stop()
      await new Promise(() => {})
    }
    void admin.post(retryPath, {}, { 'HX-Request': 'true' })
    await stopped
    const [row] = await t.db.select().from(emailOutbox).where(eq(emailOutbox.refId, invitationId))
    // Claimed by the Retry: neither another Retry nor the maintenance run takes it now.
    expect(row).toMatchObject({ status: 'pending', lastAttemptAt: t.clock.now() })
    expect(await retryUnsentEmail(deps)).toEqual({ sent: 0, failed: 0, cancelled: 0 })
    expect((await admin.post(retryPath, {}, { 'HX-Request': 'true' })).status).toBe(200)
    expect(mailTo(address)).toHaveLength(0)
    // Stuck past the time any send takes: the maintenance run sends it, with a link that works.
    t.clock.advance(STALE_PENDING_MS)
    expect(await retryUnsentEmail(deps)).toEqual({ sent: 1, failed: 0, cancelled: 0 })
    await onlyLiveLink(address)
  })
})

describe('Invite Selected, sending after the response while the maintenance run retries', () => {
  it('sends each person one message with a working link, when the run takes a row the sending has not reached', async () => {
    // Six people: five sends at once (the sending's concurrency), the sixth waits its turn.
    const tag = 'queued'
    const addresses = Array.from({ length: 6 }, (_, i) => `${tag}${i}@harbor.test`)
    const staffIds: string[] = []
    for (const [i, address] of addresses.entries())
      staffIds.push(await addStaff(admin, { firstName: 'Quinn', lastName: `${tag}${i}`, email1: address }))
    const [me] = await t.db.select().from(accounts).where(eq(accounts.email, 'admin@harbor.test'))
    const plan = await planInvitations(deps, { practiceId: me!.practiceId, staffIds, mode: 'invite' })
    const actor = { accountId: me!.id, practiceId: me!.practiceId, ip: '203.0.113.7', name: 'Practice Admin' }
    const queued = await queueInvitations(deps, { actor, plan })
    // The sending starts a while after the rows were written (a slow start, a long batch before).
    t.clock.advance(STALE_PENDING_MS - MINUTE)
    let release = () => {}
    const released = new Promise<void>((resolve) => (release = resolve))
    duringSend = async () => {
      duringSend = null
      // The first send is slow: the sixth row, written long ago and not yet reached, now looks to
      // the maintenance run like one a stopped host left behind; the five being sent do not.
      t.clock.advance(2 * MINUTE)
      expect(await retryUnsentEmail(deps)).toEqual({ sent: 1, failed: 0, cancelled: 0 })
      release()
    }
    await Promise.all([deliverQueued(deps, queued!), released])
    for (const address of addresses) await onlyLiveLink(address)
  })
})
