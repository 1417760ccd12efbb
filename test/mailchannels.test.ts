import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../src/config'
import { createMailer } from '../src/mailer/create-mailer'
import { DevMailbox } from '../src/mailer/dev-mailbox'
import { createMailChannelsMailer, type MailChannelsOptions } from '../src/mailer/mailchannels'
import { MailError, type OutgoingEmail } from '../src/mailer/mailer'
import { devOutbox } from '../db/schema'
import { createTestApp, type TestApp } from './support/app'
import { TestClock } from './support/clock'
import { closedPortUrl, startMailChannels, type MailChannelsServer } from './support/mailchannels-server'

let server: MailChannelsServer

beforeAll(async () => {
  server = await startMailChannels()
})
afterAll(() => server.close())
beforeEach(() => server.set('accept'))

const email: OutgoingEmail = {
  to: 'maya@harbor.test',
  fromName: 'Harbor Therapy Group',
  subject: "You're invited to the Harbor Therapy Group Staff Portal",
  text: 'Hello Maya,\n\nhttps://portal.harbor.test/invite/abc',
  html: '<!doctype html><p>Hello Maya,</p>',
}

const mailer = (overrides: Partial<MailChannelsOptions> = {}) =>
  createMailChannelsMailer({ apiKey: server.apiKey, url: server.url, fromEmail: 'no-reply@harbor.test', timeoutMs: 2_000, ...overrides })

/** Runs the send and returns its rejection, failing the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the send to reject, but it resolved')
}

describe('the MailChannels transport', () => {
  it("sends exactly MailChannels' JSON shape with the API key, and resolves on 202", async () => {
    const before = server.requests.length
    await expect(mailer().send(email)).resolves.toBeUndefined()
    expect(server.problems).toEqual([])
    expect(server.requests).toHaveLength(before + 1)
    const request = server.requests.at(-1)!
    expect(request.method).toBe('POST')
    expect(request.path).toBe('/tx/v1/send')
    expect(request.answer).toBe('accept')
    expect(request.headers['x-api-key']).toBe(server.apiKey)
    expect(request.headers['content-type']).toBe('application/json')
    expect(request.json).toEqual({
      personalizations: [{ to: [{ email: 'maya@harbor.test' }] }],
      from: { email: 'no-reply@harbor.test', name: 'Harbor Therapy Group' },
      subject: "You're invited to the Harbor Therapy Group Staff Portal",
      content: [
        { type: 'text/plain', value: email.text },
        { type: 'text/html', value: email.html },
      ],
    })
    expect(server.received.at(-1)).toEqual(request.json)
  })

  it.each([
    ['reject', 400, 'recipient rejected'],
    ['fail', 503, 'service unavailable'],
  ] as const)('rejects with a MailError naming the status when MailChannels answers %s (%i)', async (behaviour, status, detail) => {
    server.set(behaviour)
    const error = await rejectionOf(mailer().send(email))
    expect(error).toBeInstanceOf(MailError)
    expect((error as MailError).name).toBe('MailError')
    expect((error as MailError).message).toMatch(new RegExp(`^MailChannels answered ${status}\\b`))
    expect((error as MailError).message).toContain(detail)
    expect(server.problems).toEqual([])
  })

  it('gives up on a server that never answers after timeoutMs, with a MailError saying so', async () => {
    server.set('hang')
    const started = performance.now()
    const error = await rejectionOf(mailer({ timeoutMs: 300 }).send(email))
    const elapsed = performance.now() - started
    expect(error).toBeInstanceOf(MailError)
    expect((error as MailError).message).toBe('no answer from MailChannels within 300 ms')
    expect(elapsed).toBeGreaterThanOrEqual(250)
    expect(elapsed).toBeLessThan(2_000)
    expect(server.requests.at(-1)!.answer).toBe('hang')
  })

  it("rejects with 'could not reach MailChannels' when nothing listens at the URL", async () => {
    const started = performance.now()
    const error = await rejectionOf(mailer({ url: await closedPortUrl() }).send(email))
    expect(error).toBeInstanceOf(MailError)
    expect((error as MailError).message).toBe('could not reach MailChannels')
    expect(performance.now() - started).toBeLessThan(2_000)
  })

  it('rejects with a MailError, not a stray error, when the key is refused (401)', async () => {
    const error = await rejectionOf(mailer({ apiKey: 'wrong-key' }).send(email))
    expect(error).toBeInstanceOf(MailError)
    expect((error as MailError).message).toMatch(/^MailChannels answered 401\b/)
    expect(server.problems).toEqual(['missing or wrong X-Api-Key'])
    server.problems.length = 0
  })

  it('uses the fetch it is given', async () => {
    const calls: [string, RequestInit][] = []
    const fake = (async (url: string, init: RequestInit) => {
      calls.push([url, init])
      return new Response(null, { status: 202 })
    }) as unknown as typeof fetch
    await mailer({ url: 'https://api.mailchannels.net/tx/v1/send', fetch: fake }).send(email)
    expect(calls).toHaveLength(1)
    expect(calls[0]![0]).toBe('https://api.mailchannels.net/tx/v1/send')
    expect(calls[0]![1].method).toBe('POST')
    expect(new Headers(calls[0]![1].headers).get('X-Api-Key')).toBe(server.apiKey)
  })
})

describe('createMailer', () => {
  const clock = new TestClock()
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(() => t.cleanup())

  it('picks MailChannels when MAILCHANNELS_API_KEY is set, with MAIL_FROM as the sender', async () => {
    const config = parseConfig({
      APP_URL: 'https://portal.harbor.test',
      MAILCHANNELS_API_KEY: server.apiKey,
      MAILCHANNELS_API_URL: server.url,
      MAIL_FROM: 'portal@harbor.test',
    })
    const { mailer, devMailbox } = createMailer({ config, clock, db: t.db })
    expect(devMailbox).toBeUndefined()
    expect(mailer).not.toBeInstanceOf(DevMailbox)
    const before = server.requests.length
    await mailer.send(email)
    expect(server.requests).toHaveLength(before + 1)
    expect(server.received.at(-1)!.from).toEqual({ email: 'portal@harbor.test', name: 'Harbor Therapy Group' })
    expect(server.problems).toEqual([])
  })

  it('passes MAIL_TIMEOUT_MS on to the transport', async () => {
    const config = parseConfig({
      APP_URL: 'https://portal.harbor.test',
      MAILCHANNELS_API_KEY: server.apiKey,
      MAILCHANNELS_API_URL: server.url,
      MAIL_FROM: 'portal@harbor.test',
      MAIL_TIMEOUT_MS: '300',
    })
    server.set('hang')
    const error = await rejectionOf(createMailer({ config, clock, db: t.db }).mailer.send(email))
    expect((error as MailError).message).toBe('no answer from MailChannels within 300 ms')
  })

  it('defaults to the real MailChannels endpoint', () => {
    const config = parseConfig({ APP_URL: 'https://portal.harbor.test', MAILCHANNELS_API_KEY: 'k', MAIL_FROM: 'portal@harbor.test' })
    expect(config.MAILCHANNELS_API_URL).toBe('https://api.mailchannels.net/tx/v1/send')
  })

  it.each([
    ['without a key', {}],
    ['with an empty key', { MAILCHANNELS_API_KEY: '' }],
  ])('picks the development mailbox, kept in the database, %s and a loopback APP_URL', async (_, settings) => {
    const config = parseConfig({ APP_URL: 'http://127.0.0.1:8787', MAILCHANNELS_API_URL: server.url, ...settings })
    const before = server.requests.length
    const { mailer, devMailbox } = createMailer({ config, clock, db: t.db })
    expect(devMailbox).toBeInstanceOf(DevMailbox)
    expect(mailer).toBe(devMailbox)
    await t.db.delete(devOutbox)
    await mailer.send(email)
    expect(await new DevMailbox(t.db, clock).read()).toEqual([
      { to: email.to, subject: email.subject, text: email.text, html: email.html, createdAt: clock.now().toISOString() },
    ])
    expect(server.requests).toHaveLength(before)
  })
})

describe('DKIM', () => {
  const dkim = {
    domain: 'harbor.test',
    selector: 'mc2026',
    privateKey: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n',
  }

  it('sends dkim_domain, dkim_selector and the key (PEM armour and line breaks removed) with each recipient', async () => {
    await mailer({ dkim }).send(email)
    const sent = server.requests.at(-1)!.json as { personalizations: Record<string, unknown>[] }
    expect(server.problems).toEqual([])
    expect(sent.personalizations[0]).toMatchObject({
      dkim_domain: 'harbor.test',
      dkim_selector: 'mc2026',
      dkim_private_key: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
    })
  })

  it('sends no DKIM fields when none are configured', async () => {
    await mailer().send(email)
    const sent = server.requests.at(-1)!.json as { personalizations: Record<string, unknown>[] }
    expect(Object.keys(sent.personalizations[0]!)).toEqual(['to'])
  })

  it('takes them from DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY, and names any of the three that is missing', async () => {
    const base = {
      APP_URL: 'https://portal.harbor.test',
      MAILCHANNELS_API_KEY: server.apiKey,
      MAILCHANNELS_API_URL: server.url,
      MAIL_FROM: 'portal@harbor.test',
    }
    const config = parseConfig({ ...base, DKIM_DOMAIN: dkim.domain, DKIM_SELECTOR: dkim.selector, DKIM_PRIVATE_KEY: dkim.privateKey })
    const t = await createTestApp()
    try {
      await createMailer({ config, clock: new TestClock(), db: t.db }).mailer.send(email)
    } finally {
      t.cleanup()
    }
    expect((server.requests.at(-1)!.json as { personalizations: Record<string, unknown>[] }).personalizations[0]).toMatchObject({
      dkim_selector: 'mc2026',
    })
    expect(() => parseConfig({ ...base, DKIM_DOMAIN: dkim.domain })).toThrow(/DKIM_SELECTOR is missing[\s\S]*DKIM_PRIVATE_KEY is missing/)
  })
})
