import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../src/config'
import { createMailer } from '../src/mailer/create-mailer'
import { DevMailbox } from '../src/mailer/dev-mailbox'
import { createMailChannelsMailer, type MailChannelsOptions } from '../src/mailer/mailchannels'
import { MailError, type OutgoingEmail } from '../src/mailer/mailer'
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

  it('picks MailChannels when MAILCHANNELS_API_KEY is set, with MAIL_FROM as the sender', async () => {
    const config = parseConfig({
      APP_URL: 'https://portal.harbor.test',
      MAILCHANNELS_API_KEY: server.apiKey,
      MAILCHANNELS_API_URL: server.url,
      MAIL_FROM: 'portal@harbor.test',
    })
    const { mailer, devMailbox } = createMailer(config, clock)
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
      MAIL_TIMEOUT_MS: '300',
    })
    server.set('hang')
    const error = await rejectionOf(createMailer(config, clock).mailer.send(email))
    expect((error as MailError).message).toBe('no answer from MailChannels within 300 ms')
  })

  it('defaults to the real MailChannels endpoint', () => {
    const config = parseConfig({ APP_URL: 'https://portal.harbor.test', MAILCHANNELS_API_KEY: 'k' })
    expect(config.MAILCHANNELS_API_URL).toBe('https://api.mailchannels.net/tx/v1/send')
  })

  it.each([
    ['without a key', {}],
    ['with an empty key', { MAILCHANNELS_API_KEY: '' }],
  ])('picks the development mailbox %s', async (_, settings) => {
    const config = parseConfig({ APP_URL: 'https://portal.harbor.test', MAILCHANNELS_API_URL: server.url, ...settings })
    const before = server.requests.length
    const { mailer, devMailbox } = createMailer(config, clock)
    expect(devMailbox).toBeInstanceOf(DevMailbox)
    expect(mailer).toBe(devMailbox)
    await mailer.send(email)
    expect(devMailbox!.list()).toEqual([
      { to: email.to, subject: email.subject, text: email.text, html: email.html, createdAt: clock.now().toISOString() },
    ])
    expect(server.requests).toHaveLength(before)
  })
})
