import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { auditEvents, emailOutbox, invitations } from '../db/schema'
import type { Agent } from './support/agent'
import { addPractice, createTestApp, logIn, type TestApp } from './support/app'
import { startMailChannels, type Behaviour, type MailChannelsServer } from './support/mailchannels-server'
import { addStaff, linkIn, pathOf, sendInvitation } from './support/staff'

// The whole app in production mode: mail goes to a local MailChannels stand-in.
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
    MAIL_TIMEOUT_MS: '500',
  })
  await addPractice(t, 'Harbor Therapy Group', 'admin@harbor.test')
  admin = await logIn(t, 'admin@harbor.test')
})
afterAll(async () => {
  await server.close()
  t.cleanup()
})
beforeEach(() => server.set('accept'))

type Content = { type: string; value: string }
const textOf = (json: unknown) => (json as { content: Content[] }).content.find((c) => c.type === 'text/plain')?.value ?? ''
const toOf = (json: unknown) => (json as { personalizations: { to: { email: string }[] }[] }).personalizations[0]!.to[0]!.email
/** Every invitation link any request to the server carried, hung requests included. */
const allLinks = () =>
  server.requests.flatMap((r) =>
    r.json ? [...textOf(r.json).matchAll(/https?:\/\/\S+\/invite\/[a-z2-7]{16}\.[a-z2-7]{39}/g)].map((m) => m[0]) : [],
  )
const lastRequestTo = (address: string) => server.requests.filter((r) => r.json && toOf(r.json) === address).at(-1)
const invitationRows = (staffId: string) => t.db.select().from(invitations).where(eq(invitations.staffId, staffId))
const outboxRows = (invitationId: string) => t.db.select().from(emailOutbox).where(eq(emailOutbox.refId, invitationId))
const retryAction = (panel: string) =>
  /<form method="post" action="(\/staff\/[a-z2-7]{16}\/portal\/invitations\/[a-z2-7]{16}\/retry)"/.exec(panel)?.[1]

describe('with MailChannels accepting', () => {
  it('delivers the invitation with a link built from APP_URL, from the practice, and marks the outbox row sent', async () => {
    const id = await addStaff(admin, { firstName: 'Maya', email1: 'maya@harbor.test' })
    const before = server.received.length
    const response = await sendInvitation(admin, id, 'maya@harbor.test')
    expect(response.status).toBe(200)
    const panel = await response.text()
    expect(panel).toMatch(/id="portal-status">Signup initiated</)
    expect(panel).toContain('Invitation sent to maya@harbor.test.')
    expect(panel).not.toContain('>Retry</button>')

    expect(server.received).toHaveLength(before + 1)
    expect(server.problems).toEqual([])
    const mail = server.received.at(-1)!
    expect(mail.personalizations[0]!.to[0]!.email).toBe('maya@harbor.test')
    expect(mail.from.name).toBe('Harbor Therapy Group')
    expect(mail.from.email).toBe(t.config.MAIL_FROM)
    expect(mail.subject).toBe("You're invited to the Harbor Therapy Group Staff Portal")
    expect(mail.content.map((c) => c.type)).toEqual(['text/plain', 'text/html'])
    const link = linkIn(mail.content[0]!.value)
    expect(link).toMatch(/^https:\/\/portal\.harbor\.test\/invite\/[a-z2-7]{16}\.[a-z2-7]{39}$/)
    expect(mail.content[1]!.value).toContain(`href="${link}"`)

    const [invitation] = await invitationRows(id)
    expect(link).toContain(`/invite/${invitation!.id}.`)
    const [outbox] = await outboxRows(invitation!.id)
    expect(outbox).toMatchObject({ status: 'sent', attempts: 1, lastError: '', recipient: 'maya@harbor.test', template: 'invitation' })
    expect(outbox!.sentAt).toEqual(t.clock.now())
    expect((await t.agent().get(pathOf(link))).status).toBe(200)
  })

  it('answers 404 at /dev/outbox and /dev/outbox.json', async () => {
    for (const path of ['/dev/outbox', '/dev/outbox.json']) {
      expect((await t.agent().get(path)).status, path).toBe(404)
      expect((await admin.get(path)).status, `${path} as admin`).toBe(404)
    }
    expect(t.devMailbox).toBeUndefined()
  })
})

describe.each([
  ['fail' as Behaviour, 'answering 503', /MailChannels answered 503/],
  ['hang' as Behaviour, 'never answering', /no answer from MailChannels within 500 ms/],
])('with MailChannels %s (%s), then Retry', (behaviour, _, reason) => {
  const address = `${behaviour}@harbor.test`
  let staffId: string
  let invitationId: string
  let panel: string
  let failedLink: string | undefined

  it('Send Invitation still answers 200 with the panel, saying the email was not delivered, with a Retry button', async () => {
    staffId = await addStaff(admin, { firstName: behaviour === 'fail' ? 'Fay' : 'Hank', email1: address })
    server.set(behaviour)
    const requestsBefore = server.requests.length
    const started = performance.now()
    const response = await sendInvitation(admin, staffId, address)
    expect(performance.now() - started).toBeLessThan(5_000)
    expect(response.status).toBe(200)
    panel = await response.text()
    expect(panel).not.toContain('<html')
    expect(panel).toContain('id="portal-panel"')
    expect(panel).toMatch(/id="portal-status">Signup initiated</)
    expect(panel).toContain(`The invitation to ${address} is saved, but the email could not be delivered. Use Retry to send it again.`)
    expect(panel).toContain('The email was not delivered')
    expect(panel).toMatch(reason)
    expect(panel).toContain('>Retry</button>')
    expect(panel).toContain('Not delivered')

    // The app did try: the server saw the request (and for 503 answered it).
    expect(server.requests.length).toBe(requestsBefore + 1)
    const request = lastRequestTo(address)!
    expect(request.answer).toBe(behaviour)
    failedLink = linkIn(textOf(request.json))
    expect(server.problems).toEqual([])
  })

  it('keeps the invitation pending and the outbox row as failed, with the reason: nothing is lost', async () => {
    const rows = await invitationRows(staffId)
    expect(rows).toHaveLength(1)
    const [invitation] = rows
    invitationId = invitation!.id
    expect(invitation).toMatchObject({ email: address, usedAt: null, revokedAt: null, replacedAt: null })
    expect(invitation!.expiresAt.getTime()).toBeGreaterThan(t.clock.now().getTime())
    expect(failedLink).toContain(`/invite/${invitationId}.`)

    const outbox = await outboxRows(invitationId)
    expect(outbox).toHaveLength(1)
    expect(outbox[0]).toMatchObject({ status: 'failed', attempts: 1, recipient: address, template: 'invitation' })
    expect(outbox[0]!.lastError).toMatch(reason)
    expect(outbox[0]!.sentAt).toBeNull()
    expect(t.logs.some((line) => line.includes('email not delivered') && line.includes(outbox[0]!.id))).toBe(true)

    // A later visit to the tab still shows the failure and the Retry button.
    const tab = await (await admin.get(`/staff/${staffId}/portal`)).text()
    expect(tab).toMatch(/id="portal-status">Signup initiated</)
    expect(tab).toContain('The email was not delivered')
    expect(tab).toContain('>Retry</button>')
    expect(retryAction(tab)).toBe(`/staff/${staffId}/portal/invitations/${invitationId}/retry`)
  })

  it('Retry sends it with a fresh link that works, and the never-delivered link does not', async () => {
    const action = retryAction(panel)
    expect(action).toBe(`/staff/${staffId}/portal/invitations/${invitationId}/retry`)
    server.set('accept')
    const linksBefore = allLinks()
    const receivedBefore = server.received.length
    const response = await admin.post(action!, {}, { 'HX-Request': 'true' })
    expect(response.status).toBe(200)
    const retried = await response.text()
    expect(retried).not.toContain('<html')
    expect(retried).toContain('The invitation email was sent with a fresh link.')
    expect(retried).toMatch(/id="portal-status">Signup initiated</)
    expect(retried).not.toContain('>Retry</button>')
    expect(retried).not.toContain('The email was not delivered')

    expect(server.received).toHaveLength(receivedBefore + 1)
    const mail = server.received.at(-1)!
    expect(mail.personalizations[0]!.to[0]!.email).toBe(address)
    expect(mail.from.name).toBe('Harbor Therapy Group')
    const fresh = linkIn(mail.content[0]!.value)
    expect(fresh).toMatch(new RegExp(`^https://portal\\.harbor\\.test/invite/${invitationId}\\.[a-z2-7]{39}$`))
    expect(linksBefore).not.toContain(fresh)
    expect(fresh).not.toBe(failedLink)

    const outbox = await outboxRows(invitationId)
    expect(outbox).toHaveLength(1)
    expect(outbox[0]).toMatchObject({ status: 'sent', attempts: 2, lastError: '' })

    const page = await t.agent().get(pathOf(fresh))
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('>Password</label>')
    expect(html).toContain('>Confirm Password</label>')
    expect(html).toContain('>Create Account</button>')

    const stale = await t.agent().get(pathOf(failedLink!))
    expect(stale.status).toBe(404)
    expect(await stale.text()).toContain('This link is not valid')
    expect((await invitationRows(staffId))[0]).toMatchObject({ usedAt: null, revokedAt: null, replacedAt: null })

    // Once it went out, Retry changes nothing: no new secret, no mail, no audit; the link works.
    const resentBefore = await t.db.select().from(auditEvents).where(eq(auditEvents.event, 'invitation.resent'))
    const again = await admin.post(action!, {}, { 'HX-Request': 'true' })
    expect(await again.text()).toContain('The email still could not be delivered.')
    expect(server.received).toHaveLength(receivedBefore + 1)
    expect(await t.db.select().from(auditEvents).where(eq(auditEvents.event, 'invitation.resent'))).toHaveLength(resentBefore.length)
    expect((await t.agent().get(pathOf(fresh))).status).toBe(200)
  })
})

describe('a failed Send Invitation without JavaScript', () => {
  it('answers 200 with the whole tab and the Retry form, which also works as a plain post', async () => {
    const id = await addStaff(admin, { firstName: 'Plain', email1: 'plain@harbor.test' })
    server.set('reject')
    const response = await admin.post(`/staff/${id}/portal/invitations`, { email: 'plain@harbor.test' })
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('<html')
    expect(html).toContain('The email was not delivered')
    expect(html).toMatch(/MailChannels answered 400/)
    const action = retryAction(html)
    expect(action).toBeDefined()

    server.set('fail')
    const again = await admin.post(action!)
    expect(again.status).toBe(200)
    const still = await again.text()
    expect(still).toContain('<html')
    expect(still).toContain('The email still could not be delivered. Try again later.')
    expect(still).toContain('>Retry</button>')
    const [invitation] = await invitationRows(id)
    expect((await outboxRows(invitation!.id))[0]).toMatchObject({ status: 'failed', attempts: 2 })
    expect((await outboxRows(invitation!.id))[0]!.lastError).toMatch(/MailChannels answered 503/)

    server.set('accept')
    const done = await (await admin.post(action!)).text()
    expect(done).toContain('The invitation email was sent with a fresh link.')
    expect((await outboxRows(invitation!.id))[0]).toMatchObject({ status: 'sent', attempts: 3 })
    const links = server.received
      .filter((m) => m.personalizations[0]!.to[0]!.email === 'plain@harbor.test')
      .map((m) => linkIn(m.content[0]!.value))
    expect(links).toHaveLength(3)
    expect(new Set(links).size).toBe(3)
    expect((await t.agent().get(pathOf(links[2]!))).status).toBe(200)
    for (const old of links.slice(0, 2)) expect((await t.agent().get(pathOf(old))).status).toBe(404)
  })
})

describe('link secrets at rest', () => {
  it('appear nowhere in the database, nor in the logs, for any link the server ever received', async () => {
    const links = allLinks()
    // Every case above: accepted, 503, hung, 400, retries.
    expect(links.length).toBeGreaterThanOrEqual(8)
    const secrets = links.map((link) => /\.([a-z2-7]{39})$/.exec(link)![1]!)
    expect(new Set(secrets).size).toBe(secrets.length)

    const tables = await t.client.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    expect(tables.rows.length).toBeGreaterThan(5)
    let dump = ''
    for (const { name } of tables.rows) {
      const rows = await t.client.execute(`SELECT * FROM "${String(name).replaceAll('"', '""')}"`)
      dump += `\n${String(name)}\n${JSON.stringify(rows.rows, (_, value) => (typeof value === 'bigint' ? value.toString() : value instanceof ArrayBuffer ? Buffer.from(value).toString('latin1') : value))}`
    }
    expect(dump).toContain('email_outbox')
    expect(dump).toContain('plain@harbor.test')
    for (const secret of secrets) {
      expect(dump).not.toContain(secret)
      expect(t.logs.join('\n')).not.toContain(secret)
    }
  })
})
