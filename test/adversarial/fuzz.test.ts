// Rule "bad input": every form is validated; nothing answers 500 to user input. Every
// state-changing route of app.routes is fuzzed with fast-check in the field names its own
// forms use (read from the pages), plus fields no form has (mass assignment); nothing it
// sends may touch another practice's rows. Bodies over the limit get 413, and names with
// markup render escaped everywhere they show.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loginFailures } from '../../db/schema'
import { IP_FREE_FAILURES, ipKey } from '../../src/auth/throttle'
import { MAX_BODY_BYTES } from '../../src/app'
import { IMPORT_MAX_BODY_BYTES, IMPORT_PATH } from '../../src/routes/staff/import'
import { ORIGIN } from '../support/agent'
import { createTestApp, TEST_IP, type TestApp } from '../support/app'
import { addStaff, linkIn, pathOf, sendInvitation, staffForm } from '../support/staff'
import {
  discoverRoutes,
  fillPath,
  formAimedAt,
  formFieldsByRoute,
  seedPractice,
  signIn,
  snapshotPractice,
  STATE_CHANGING,
  STRONG_PASSWORD,
  type PracticeWorld,
  type Route,
} from './support/world'

const RUNS_PER_ROUTE = 25

let t: TestApp
let a: PracticeWorld
let b: PracticeWorld
let routes: Route[]
let fields: Map<string, string[]>

beforeAll(async () => {
  t = await createTestApp()
  // Durability is not what is tested here: without an fsync per write the runs go several times faster.
  await t.client.execute('pragma synchronous = off')
  a = await seedPractice(t, 'a')
  b = await seedPractice(t, 'b')
  routes = discoverRoutes(t.app).filter((r) => STATE_CHANGING.has(r.method))
  fields = await formFieldsByRoute(t, a, discoverRoutes(t.app), Object.keys(formAimedAt(t, a, a.name)))
}, 60_000)
afterAll(() => t.cleanup())

// ---------------------------------------------------------------------------------------
// Values: what people paste, what attackers type, and what breaks decoders.

/** Sent exactly as written, not percent-encoded: broken escapes and overlong UTF-8. */
class Raw {
  constructor(readonly text: string) {}
  toString() {
    return `Raw(${JSON.stringify(this.text)})`
  }
}
type Value = string | Raw | (string | Raw)[]

const INJECTIONS = [
  "' OR 1=1 --",
  "'; DROP TABLE staff; --",
  '" OR ""="',
  "admin'--",
  '1; select * from accounts',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "javascript:alert('x')",
  '{{7*7}}${7*7}<%= 7*7 %>',
  '../../../../etc/passwd',
  '\u0000',
  'a\u0000b',
  '\r\nSet-Cookie: x=1',
  '\u202Egnp.exe',
  '\uFEFF',
  'ﬃ ﬄ Ⅻ ＡＢＣ',
  '%00',
  '%',
  '__proto__',
  'constructor',
  '😀'.repeat(40),
  ' ',
  '',
  '0',
  '-1',
  '99999999999999999999',
  'NaN',
  '2026-02-30',
  '9999-12-31',
  'admin',
  'staff',
  'yes',
  'disable',
  'unlock',
]
const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff', 'x', '\u0000', 'é']
const RAW_ESCAPES = ['%', '%z', '%zz', '%FF', '%FF%FE', '%C0%AF', '%E2%82', '%ED%A0%80', '%F4%90%80%80', '+%2B+']

const text: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: fc.constantFrom(...LONE_SURROGATES), minLength: 1, maxLength: 12 }),
  fc.constantFrom(...INJECTIONS),
  fc.emailAddress(),
  fc.integer({ min: 200, max: 5000 }).map((n) => 'p'.repeat(n)),
  fc
    .record({ n: fc.integer({ min: 10_000, max: 50_000 }), unit: fc.constantFrom('A', 'é', '<', '\u0000', '😀', '%', ' ') })
    .map(({ n, unit }) => unit.repeat(Math.floor(n / unit.length))),
)

function valueFor(field: string, valid: string | string[] | undefined): fc.Arbitrary<Value> {
  const one: fc.Arbitrary<string | Raw> = fc.oneof(
    { weight: 6, arbitrary: text },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_ESCAPES).map((s) => new Raw(s)) },
    // A valid value now and then takes the handler past validation, into the domain code.
    { weight: 3, arbitrary: fc.constant(Array.isArray(valid) ? valid[0]! : (valid ?? field)) },
  )
  return fc.oneof({ weight: 8, arbitrary: one }, { weight: 1, arbitrary: fc.array(one, { minLength: 2, maxLength: 3 }) })
}

/** Fields no form has: what mass assignment and prototype pollution try. */
const extraFields = (victim: PracticeWorld) =>
  fc.dictionary(
    fc.constantFrom(
      'practiceId',
      'practice_id',
      'accountId',
      'staffId',
      'id',
      'role',
      'isActive',
      'disabledAt',
      '__proto__',
      'constructor',
      'prototype',
      'toString',
    ),
    fc.constantFrom(victim.practiceId, victim.member.id, victim.member.accountId, 'admin', 'true', '1', '{"admin":true}'),
    { maxKeys: 3 },
  )

/** Percent-encodes like a browser would, except that lone surrogates go out as their CESU-8 bytes. */
function encodeLoose(value: string | Raw): string {
  if (value instanceof Raw) return value.text
  let out = ''
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    const next = value.charCodeAt(i + 1)
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(value.slice(i, i + 2))
      i++
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('')
    } else out += encodeURIComponent(value[i]!)
  }
  return out
}

function body(form: Record<string, Value>, encoding: 'urlencoded' | 'multipart'): { body: BodyInit; headers: Record<string, string> } {
  const pairs = Object.entries(form).flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => [key, v] as const))
  if (encoding === 'multipart') {
    const data = new FormData()
    for (const [key, value] of pairs) data.append(key, value instanceof Raw ? value.text : value)
    return { body: data, headers: {} }
  }
  return {
    body: pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeLoose(value)}`).join('&'),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  }
}

const showForm = (form: Record<string, Value>) =>
  JSON.stringify(form, (_k, v) =>
    v instanceof Raw ? v.toString() : typeof v === 'string' && v.length > 80 ? `${v.slice(0, 20)}…(${v.length} chars)` : v,
  )

describe('fuzzing every form route', () => {
  it('reads field names from the forms the app serves', () => {
    expect(fields.get('POST /staff')).toEqual(
      expect.arrayContaining(['firstName', 'lastName', 'email1', 'email2', 'email3', 'primaryEmail', 'active']),
    )
    expect(fields.get('POST /login')).toEqual(expect.arrayContaining(['email', 'password']))
    expect(fields.get('POST /staff/invitations')).toContain('staffId')
    expect(fields.get('POST /staff/:id/portal/invitations')).toContain('email')
    expect(fields.get('POST /staff/:id/access-level')).toContain('role')
    expect(fields.get('POST /staff/:id/portal/reset-links/email')).toContain('token')
  })

  it(`never answers 500 and never touches another practice's rows (${RUNS_PER_ROUTE} random forms per route)`, async () => {
    const bBefore = await snapshotPractice(t, b.practiceId)
    const valid = formAimedAt(t, a, a.name)
    // /login last, after most of the per-IP allowance is used: each real login check costs
    // half a second of scrypt, so past that the IP throttle answers (the parsing is still fuzzed).
    const ordered = [...routes.filter((r) => r.path !== '/login'), ...routes.filter((r) => r.path === '/login')]
    // Every route is fuzzed even when one fails, so one run lists every broken route.
    const failures: string[] = []
    let admin = await signIn(t, a.adminEmail)
    const stillSignedIn = async () => {
      const [id] = admin.cookies.get('__Host-session')?.split('.') ?? []
      const found = await t.client.execute({
        sql: 'select 1 from sessions s join accounts a on a.id = s.account_id join staff p on p.id = a.staff_id where s.id = ? and a.disabled_at is null and p.role = ? and p.is_active = 1',
        args: [id ?? '', 'admin'],
      })
      return found.rows.length > 0
    }
    for (const route of ordered) {
      if (route.path === '/login')
        await t.db
          .insert(loginFailures)
          .values({ key: ipKey(TEST_IP), failures: IP_FREE_FAILURES - 5, lastFailedAt: t.clock.now() })
          .onConflictDoUpdate({ target: loginFailures.key, set: { failures: IP_FREE_FAILURES - 5, lastFailedAt: t.clock.now() } })
      const names = fields.get(`${route.method} ${route.path}`) ?? Object.keys(valid)
      const formArb = fc
        .tuple(
          fc.record(Object.fromEntries(names.map((name) => [name, valueFor(name, valid[name])])), { requiredKeys: [] }),
          extraFields(a),
        )
        .map(([known, extra]) => ({ ...extra, ...known }) as Record<string, Value>)
      // Every field alone past any length a schema here allows, first: random runs may miss them.
      const examples = names.map(
        (name) => [{ [name]: 'x'.repeat(300) }, 'urlencoded', false] as [Record<string, Value>, 'urlencoded' | 'multipart', boolean],
      )
      const outcome = await fc.check(
        fc.asyncProperty(
          formArb,
          fc.constantFrom('urlencoded' as const, 'multipart' as const),
          fc.boolean(),
          async (form, encoding, htmx) => {
            // A fresh session whenever a run logged out, demoted or disabled someone.
            if (!(await stillSignedIn())) admin = await signIn(t, a.adminEmail)
            const path = fillPath(route.path, a)
            const sent = body(form, encoding)
            const response = await admin.request(path, {
              method: route.method,
              body: sent.body,
              headers: { Origin: ORIGIN, ...sent.headers, ...(htmx ? { 'HX-Request': 'true' } : {}) },
            })
            await response.arrayBuffer()
            const label = `${route.method} ${path} (${encoding}${htmx ? ', htmx' : ''}) ${showForm(form)}`
            expect(response.status, label).toBeLessThan(500)
            expect(await snapshotPractice(t, b.practiceId), `practice B changed after ${label}`).toEqual(bBefore)
          },
        ),
        {
          // fast-check counts the examples within numRuns.
          numRuns: RUNS_PER_ROUTE + examples.length,
          endOnFailure: true,
          examples,
        },
      )
      if (outcome.failed)
        failures.push(`${(outcome.errorInstance as Error | undefined)?.message?.split('\n')[0] ?? 'failed'} [seed ${outcome.seed}]`)
    }
    expect(failures).toEqual([])
    expect(t.logs.filter((line) => line.includes('unhandled error'))).toEqual([])
  }, 180_000)

  it('refuses a 1 MB body with 413 on every state-changing route, with or without Content-Length, changing nothing', async () => {
    const admin = await signIn(t, a.adminEmail)
    const failures: string[] = []
    for (const route of routes) {
      const path = fillPath(route.path, a)
      // Import Staff takes a 2 MB file and has its own limit: its body goes over that one.
      const size = path === IMPORT_PATH ? IMPORT_MAX_BODY_BYTES + 64 * 1024 : 1024 * 1024
      const chunks = Math.ceil(size / 65_536)
      const big = 'firstName=' + 'A'.repeat(size)
      expect(big.length).toBeGreaterThan(path === IMPORT_PATH ? IMPORT_MAX_BODY_BYTES : MAX_BODY_BYTES)
      const multipart = new FormData()
      multipart.append('firstName', 'A'.repeat(size))
      const variants: [string, RequestInit][] = [
        [
          'with Content-Length',
          {
            body: big,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(big.length), Origin: ORIGIN },
          },
        ],
        [
          'streamed, no Content-Length',
          {
            body: new ReadableStream({
              start(controller) {
                for (let i = 0; i < chunks; i++)
                  controller.enqueue(new TextEncoder().encode(i === 0 ? big.slice(0, 65_536) : 'A'.repeat(65_536)))
                controller.close()
              },
            }),
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
            duplex: 'half',
          } as RequestInit,
        ],
        ['multipart', { body: multipart, headers: { Origin: ORIGIN } }],
        // A small Content-Length on a big streamed body: the header must not be trusted blindly.
        [
          'lying Content-Length',
          {
            body: new ReadableStream({
              start(controller) {
                for (let i = 0; i < chunks; i++)
                  controller.enqueue(new TextEncoder().encode(i === 0 ? big.slice(0, 65_536) : 'A'.repeat(65_536)))
                controller.close()
              },
            }),
            headers: {
              'Content-Type': 'application/x-www-form-urlencoded',
              'Transfer-Encoding': 'chunked',
              'Content-Length': '10',
              Origin: ORIGIN,
            },
            duplex: 'half',
          } as RequestInit,
        ],
      ]
      for (const [name, init] of variants) {
        const before = await snapshotPractice(t, a.practiceId)
        const response = await admin.request(path, { method: route.method, ...init })
        await response.arrayBuffer()
        if (response.status !== 413) failures.push(`${route.method} ${path} (${name}): ${response.status}`)
        if (JSON.stringify(await snapshotPractice(t, a.practiceId)) !== JSON.stringify(before))
          failures.push(`${route.method} ${path} (${name}): rows changed`)
      }
    }
    expect(failures).toEqual([])
  })
})

describe('markup in names renders escaped', () => {
  const FIRST = '<script>alert(1)</script>'
  const LAST = '"><img src=x onerror=alert(2)>'
  const CREDENTIALS = '<svg onload=alert(3)>'
  const PRACTICE = '<script>alert(4)</script> Clinic'
  const RAW = [FIRST, LAST, CREDENTIALS, PRACTICE, '<img src=x', '<svg onload']

  it('in the list, search, profile, edit form, Staff Portal tab, activity, own portal, link pages, the outbox and the emails', async () => {
    const admin = await signIn(t, b.adminEmail)
    const email = 'markup.person@birchholt.test'
    const id = await addStaff(admin, staffForm({ firstName: FIRST, lastName: LAST, credentials: CREDENTIALS, email1: email }))
    expect((await admin.post('/settings', { name: PRACTICE, timeZone: 'America/New_York', senderName: '' })).status).toBe(303)
    await sendInvitation(admin, id, email)
    const invitePath = pathOf(linkIn(t.devMailbox!.list()[0]!.text))
    const invitePage = await (await t.agent().get(invitePath)).text()
    expect((await t.agent().post(invitePath, { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })).status).toBe(303)
    const resetPage = await (async () => {
      const response = await admin.post(`/staff/${id}/portal/reset-links`, {
        expirationDate: formAimedAt(t, b, b.name).expirationDate as string,
      })
      const token = /\/reset\/([a-z2-7]{16}\.[a-z2-7]{39})/.exec(await response.text())![1]!
      return (await t.agent().get(`/reset/${token}`)).text()
    })()
    const person = await signIn(t, email)

    const pages: Record<string, string> = {
      'staff list': await (await admin.get('/staff')).text(),
      'search (htmx)': await (await admin.get(`/staff?q=${encodeURIComponent('<script>')}`, { 'HX-Request': 'true' })).text(),
      'search by name': await (await admin.get(`/staff?q=${encodeURIComponent(FIRST)}`)).text(),
      profile: await (await admin.get(`/staff/${id}`)).text(),
      'edit form': await (await admin.get(`/staff/${id}/edit`)).text(),
      'Staff Portal tab': await (await admin.get(`/staff/${id}/portal`)).text(),
      activity: await (await admin.get('/activity')).text(),
      'activity for the person': await (await admin.get(`/activity?staff=${id}`)).text(),
      'practice settings': await (await admin.get('/settings')).text(),
      'own portal': await (await person.get('/portal')).text(),
      'change password page': await (await person.get('/portal/password')).text(),
      'invitation page': invitePage,
      'reset link page': resetPage,
      'development outbox': await (await t.agent().get('/dev/outbox')).text(),
      'form error page': await (await admin.post('/staff', staffForm({ firstName: FIRST, lastName: LAST, email1: 'not an email' }))).text(),
    }
    for (const mail of t.devMailbox!.list().filter((m) => m.to === email)) pages[`email "${mail.subject}" (html)`] = mail.html

    const failures: string[] = []
    for (const [name, html] of Object.entries(pages)) for (const raw of RAW) if (html.includes(raw)) failures.push(`${name}: raw ${raw}`)
    expect(failures).toEqual([])
    // And the names did show, escaped, where they belong.
    for (const name of ['staff list', 'profile', 'Staff Portal tab', 'activity', 'own portal'])
      expect(pages[name], name).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(pages['own portal']).toContain('&lt;script&gt;alert(4)&lt;/script&gt; Clinic')
  })
})
