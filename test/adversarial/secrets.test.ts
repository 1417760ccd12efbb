// Rules "tokens" (only the SHA-256 hash is stored), "self-service reset" (code stored hashed),
// "audit" (never a token, code or password) and the logs: every journey is run for real,
// every token, code and password used is kept, then the database FILE (and its WAL) and every
// log line are searched for them byte for byte. Mail goes out through a local MailChannels-format
// server, as in production: the development outbox keeps mail (links, codes) in the database by
// design, and is never used outside a loopback address.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Agent } from '../support/agent'
import { ADMIN_PASSWORD, addPractice, createTestApp, type TestApp } from '../support/app'
import { startMailChannels, type MailChannelsServer } from '../support/mailchannels-server'
import { addStaff, linkIn, pathOf, sendInvitation } from '../support/staff'
import { generateResetLinkFor, SESSION_COOKIE } from './support/world'

let t: TestApp
let mail: MailChannelsServer
const ADMIN = 'admin@secrets.test'
const STAFF = 'noor.haddad@secrets.test'
const secrets = new Map<string, string>() // value → what it is
/** SHA-256 hex of token secrets: these must be in the file (proves the file was read right). */
const expectedHashes: string[] = []

const keep = (what: string, value: string | undefined) => {
  if (!value) throw new Error(`nothing to keep for ${what}`)
  secrets.set(value, what)
}
const keepToken = (what: string, token: string) => {
  keep(what, token)
  const secret = token.split('.')[1]!
  keep(`${what} (secret part)`, secret)
  expectedHashes.push(createHash('sha256').update(secret).digest('hex'))
}
const keepSession = (what: string, agent: Agent) => {
  const token = agent.cookies.get(SESSION_COOKIE)
  if (token) keepToken(`${what} session`, token)
}

const lastMailTo = (to: string) => {
  const message = [...mail.received].reverse().find((m) => m.personalizations[0]!.to[0]!.email === to)!
  return { text: message.content[0]!.value }
}
const codeIn = (text: string) => /verification code is (\d{8})/.exec(text)![1]!
const resetTokenIn = (text: string) => /\/reset\/([a-z2-7]{16}\.[a-z2-7]{39})/.exec(text)![1]!

async function login(email: string, password: string, expected = 303) {
  const agent = t.agent()
  const response = await agent.post('/login', { email, password })
  expect(response.status, `login ${email}`).toBe(expected)
  return agent
}

beforeAll(async () => {
  mail = await startMailChannels()
  t = await createTestApp({
    APP_URL: 'https://portal.secrets.test',
    MAILCHANNELS_API_KEY: mail.apiKey,
    MAILCHANNELS_API_URL: mail.url,
    MAIL_FROM: 'portal@secrets.test',
  })
  await addPractice(t, 'Secret Keeping Practice', ADMIN)
  keep('admin password', ADMIN_PASSWORD)

  // Admin login, and failed logins with passwords that must not be recorded anywhere.
  const admin = await login(ADMIN, ADMIN_PASSWORD)
  keepSession('admin', admin)
  keep('wrong password tried on the admin', 'Wrong horse battery staple 4471')
  await login(ADMIN, 'Wrong horse battery staple 4471', 401)
  keep('password tried on an unknown address', 'Guessing at nobody 9012 quokka')
  await login('nobody@secrets.test', 'Guessing at nobody 9012 quokka', 401)

  // Add staff; invite twice (the first link is replaced), then create the account.
  const staffId = await addStaff(admin, { firstName: 'Noor', lastName: 'Haddad', email1: STAFF })
  await sendInvitation(admin, staffId, STAFF)
  keepToken('first invitation link', pathOf(linkIn(lastMailTo(STAFF).text)).split('/invite/')[1]!)
  await sendInvitation(admin, staffId, STAFF)
  const invitePath = pathOf(linkIn(lastMailTo(STAFF).text))
  keepToken('second invitation link', invitePath.split('/invite/')[1]!)
  keep('a rejected first password', 'noornoornoor123')
  expect((await t.agent().post(invitePath, { password: 'noornoornoor123', confirmPassword: 'noornoornoor123' })).status).toBe(422)
  keep('account password', 'Saffron kettle orbit 5521 lark')
  expect(
    (await t.agent().post(invitePath, { password: 'Saffron kettle orbit 5521 lark', confirmPassword: 'Saffron kettle orbit 5521 lark' }))
      .status,
  ).toBe(303)

  // Staff login; a failed one too.
  keepSession('staff after sign-up', await login(STAFF, 'Saffron kettle orbit 5521 lark'))
  keep('wrong password tried on the staff member', 'Saffron kettle orbit 5521 larx')
  await login(STAFF, 'Saffron kettle orbit 5521 larx', 401)

  // Forgot Password: two codes (the first voided), a wrong try, then the reset, in one browser
  // whose Send Code secrets (cookies) are secrets too.
  const forgetful = t.agent()
  const resetSecret = (response: Response) => /__Host-reset-request=([a-z2-7]{39})/.exec(response.headers.getSetCookie().join())?.[1]
  keep('first Send Code browser secret', resetSecret(await forgetful.post('/forgot-password', { email: STAFF })))
  await t.settle()
  keep('first reset code', codeIn(lastMailTo(STAFF).text))
  keep('second Send Code browser secret', resetSecret(await forgetful.post('/forgot-password', { email: STAFF })))
  await t.settle()
  const code = codeIn(lastMailTo(STAFF).text)
  keep('second reset code', code)
  const wrong = code === '00000000' ? '11111111' : '00000000'
  keep('new password with a wrong code', 'Juniper anvil comet 8830 fog')
  expect(
    (
      await forgetful.post('/forgot-password/verify', {
        email: STAFF,
        code: wrong,
        password: 'Juniper anvil comet 8830 fog',
        confirmPassword: 'Juniper anvil comet 8830 fog',
      })
    ).status,
  ).toBe(422)
  keep('password set with the code', 'Harbor quill meadow 6402 tin')
  const verified = await forgetful.post('/forgot-password/verify', {
    email: STAFF,
    code,
    password: 'Harbor quill meadow 6402 tin',
    confirmPassword: 'Harbor quill meadow 6402 tin',
  })
  expect(verified.status).toBe(303)
  await t.settle()
  keepSession('staff after code reset', await login(STAFF, 'Harbor quill meadow 6402 tin'))

  // Admin reset links: generate, generate again (voids the first), revoke, generate, Send to Email, use.
  keepToken('first admin reset link', await generateResetLinkFor(t, admin, staffId))
  keepToken('second admin reset link', await generateResetLinkFor(t, admin, staffId))
  const third = await generateResetLinkFor(t, admin, staffId)
  keepToken('third admin reset link', third)
  const emailed = await admin.post(`/staff/${staffId}/portal/reset-links/email`, { token: third }, { 'HX-Request': 'true' })
  expect(emailed.status).toBe(200)
  const mailed = resetTokenIn(lastMailTo(STAFF).text)
  expect(mailed).toBe(third)
  keep('password set with the link', 'Lilac gravel python 3318 dune')
  expect(
    (
      await t
        .agent()
        .post(`/reset/${mailed}`, { password: 'Lilac gravel python 3318 dune', confirmPassword: 'Lilac gravel python 3318 dune' })
    ).status,
  ).toBe(303)
  await t.settle()
  const revokable = await generateResetLinkFor(t, admin, staffId)
  keepToken('revoked admin reset link', revokable)
  await admin.post(`/staff/${staffId}/portal/reset-links/${revokable.split('.')[0]}/revoke`, { confirm: 'yes' })

  // Change password from the portal, with a wrong current password first.
  const staff = await login(STAFF, 'Lilac gravel python 3318 dune')
  keepSession('staff after link reset', staff)
  keep('wrong current password', 'Not my password at all 2211')
  expect(
    (
      await staff.post('/portal/password', {
        currentPassword: 'Not my password at all 2211',
        password: 'Cobalt fennel ranch 7705 wren',
        confirmPassword: 'Cobalt fennel ranch 7705 wren',
      })
    ).status,
  ).toBe(422)
  keep('changed password', 'Cobalt fennel ranch 7705 wren')
  const changed = await staff.post('/portal/password', {
    currentPassword: 'Lilac gravel python 3318 dune',
    password: 'Cobalt fennel ranch 7705 wren',
    confirmPassword: 'Cobalt fennel ranch 7705 wren',
  })
  expect(changed.status).toBe(303)
  await t.settle()
  const last = await login(STAFF, 'Cobalt fennel ranch 7705 wren')
  keepSession('staff after change', last)
  await last.post('/logout')
  await admin.post('/logout')
}, 60_000)
afterAll(async () => {
  t.cleanup()
  await mail.close()
})

function databaseBytes(): Buffer {
  const parts = [t.databaseFile, `${t.databaseFile}-wal`, `${t.databaseFile}-journal`].filter((f) => existsSync(f))
  return Buffer.concat(parts.map((f) => readFileSync(f)))
}

describe('secrets at rest and in logs', () => {
  it('kept the tokens, codes and passwords of every journey', () => {
    expect(secrets.size).toBeGreaterThanOrEqual(30)
  })

  it('reads the database file right: the SHA-256 of each link and session secret is in it', () => {
    const bytes = databaseBytes()
    // Only the latest rows are sure to be there: the hashes of the last session and link were written last.
    const present = expectedHashes.filter((hash) => bytes.includes(Buffer.from(hash)))
    expect(present.length).toBeGreaterThanOrEqual(3)
  })

  it('stores no token, code or password in the database file (main file and WAL, free pages included)', () => {
    const bytes = databaseBytes()
    const found = [...secrets].filter(([value]) => bytes.includes(Buffer.from(value, 'utf8'))).map(([value, what]) => `${what}: ${value}`)
    expect(found).toEqual([])
  })

  it('writes no token, code or password to the logs', () => {
    const text = t.logs.join('\n')
    const found = [...secrets].filter(([value]) => text.includes(value)).map(([value, what]) => `${what}: ${value}`)
    expect(found).toEqual([])
  })

  it('serves no development outbox when a MailChannels key is set (production)', async () => {
    const prod = await createTestApp({ MAILCHANNELS_API_KEY: 'test-key', MAIL_FROM: 'portal@harbor.test' })
    try {
      for (const path of ['/dev/outbox', '/dev/outbox.json']) expect((await prod.agent().get(path)).status).toBe(404)
    } finally {
      prod.cleanup()
    }
  })
})
