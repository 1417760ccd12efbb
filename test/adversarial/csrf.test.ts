// Rule "CSRF": Hono csrf() on every state-changing request, login included; no GET changes state.
// Routes come from app.routes, so a route added later is attacked too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/app'
import {
  discoverRoutes,
  encodeForm,
  fillPath,
  formAimedAt,
  mailCount,
  seedPractice,
  signIn,
  snapshotAll,
  STATE_CHANGING,
  STRONG_PASSWORD,
  type PracticeWorld,
  type Route,
} from './support/world'
import type { Agent } from '../support/agent'

let t: TestApp
let a: PracticeWorld
let admin: Agent
let member: Agent
let routes: Route[]

beforeAll(async () => {
  t = await createTestApp()
  a = await seedPractice(t, 'a')
  admin = await signIn(t, a.adminEmail)
  member = await signIn(t, a.member.email)
  routes = discoverRoutes(t.app)
}, 60_000)
afterAll(() => t.cleanup())

/** What a page on another site (or a sandboxed frame, or a sibling subdomain) can make a browser send. */
const FORGERIES: { name: string; headers: Record<string, string> }[] = [
  { name: 'Origin: https://evil.example', headers: { Origin: 'https://evil.example' } },
  {
    name: 'Origin: https://evil.example, Sec-Fetch-Site: cross-site',
    headers: { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
  },
  { name: 'no Origin, no Sec-Fetch-Site', headers: {} },
  { name: 'no Origin, Sec-Fetch-Site: cross-site', headers: { 'Sec-Fetch-Site': 'cross-site' } },
  { name: 'no Origin, Sec-Fetch-Site: same-site (a sibling subdomain)', headers: { 'Sec-Fetch-Site': 'same-site' } },
  { name: 'Origin: null (sandboxed frame, data: URL)', headers: { Origin: 'null' } },
  { name: 'Origin: http://localhost.evil.example', headers: { Origin: 'http://localhost.evil.example' } },
  { name: 'Origin: https://localhost (other scheme)', headers: { Origin: 'https://localhost' } },
]

/** The three body types a cross-site HTML form (or a no-cors fetch) can send without a preflight. */
function bodies(form: ReturnType<typeof formAimedAt>): { type: string; body: BodyInit; contentType?: string }[] {
  const multipart = new FormData()
  for (const [key, value] of encodeForm(form)) multipart.append(key, value)
  return [
    { type: 'urlencoded', body: encodeForm(form), contentType: 'application/x-www-form-urlencoded' },
    { type: 'multipart', body: multipart },
    { type: 'text/plain', body: encodeForm(form).toString().replace(/&/g, '\n'), contentType: 'text/plain;charset=UTF-8' },
  ]
}

describe('CSRF', () => {
  it('finds the state-changing routes from the router, login included', () => {
    const changing = routes.filter((r) => STATE_CHANGING.has(r.method)).map((r) => `${r.method} ${r.path}`)
    expect(changing).toContain('POST /login')
    expect(changing).toContain('POST /logout')
    expect(changing.length).toBeGreaterThanOrEqual(10)
  })

  it('refuses a forged form post to every state-changing route with 403 and changes no row and sends no mail', async () => {
    const failures: string[] = []
    const changing = routes.filter((r) => STATE_CHANGING.has(r.method))
    for (const route of changing) {
      const path = fillPath(route.path, a)
      // /login with real credentials: a login CSRF would sign the victim into this account.
      const form = route.path === '/login' ? { email: a.member.email, password: STRONG_PASSWORD } : formAimedAt(t, a, a.name)
      // The victim's browser attaches their cookies: an admin's, who may use every route.
      for (const victim of [admin]) {
        for (const forgery of FORGERIES)
          for (const { type, body, contentType } of bodies(form)) {
            const before = await snapshotAll(t)
            const mailBefore = mailCount(t)
            const headers: Record<string, string> = { ...forgery.headers }
            if (contentType) headers['Content-Type'] = contentType
            const response = await victim.request(path, { method: route.method, body, headers })
            const after = await snapshotAll(t)
            const label = `${route.method} ${path} [${forgery.name}; ${type}]`
            if (response.status !== 403) failures.push(`${label}: answered ${response.status}`)
            if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${label}: rows changed`)
            if (mailCount(t) !== mailBefore) failures.push(`${label}: mail was sent`)
            if (response.headers.getSetCookie().length > 0) failures.push(`${label}: set a cookie`)
          }
      }
    }
    expect(failures).toEqual([])
  })

  it('still accepts the same posts from the app itself (so the refusals above are CSRF, not something else)', async () => {
    const response = await admin.post(
      '/staff/' + a.member.id + '/portal/access',
      { action: 'end-sessions', confirm: 'yes' },
      { 'HX-Request': 'true' },
    )
    expect(response.status).toBe(200)
    const fetchMetadataOnly = await admin.request(`/staff/${a.member.id}/portal/access`, {
      method: 'POST',
      body: new URLSearchParams({ action: 'end-sessions', confirm: 'yes' }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
    })
    // Sec-Fetch-Site alone is not enough: only an Origin equal to APP_URL's (see "CSRF origin").
    expect(fetchMetadataOnly.status).toBe(403)
    // end-sessions signed the member out; sign them back in for the GET checks below.
    member = await signIn(t, a.member.email)
  })

  it('changes no row when any GET route is opened, signed in or not, token pages included', async () => {
    const failures: string[] = []
    const gets = routes.filter((r) => r.method === 'GET')
    expect(gets.map((r) => r.path)).toEqual(expect.arrayContaining(['/invite/:token', '/reset/:token']))
    for (const viewer of [admin, member, t.agent()])
      for (const route of gets) {
        const path = fillPath(route.path, a)
        for (const url of [
          path,
          `${path}${path.includes('?') ? '&' : '?'}action=disable&confirm=yes&email=${encodeURIComponent(a.member.email)}`,
        ]) {
          const before = await snapshotAll(t)
          const mailBefore = mailCount(t)
          const response = await viewer.get(url)
          await response.arrayBuffer()
          if (JSON.stringify(await snapshotAll(t)) !== JSON.stringify(before)) failures.push(`GET ${url}: rows changed`)
          if (mailCount(t) !== mailBefore) failures.push(`GET ${url}: mail was sent`)
        }
      }
    expect(failures).toEqual([])
    // The links still work after being opened many times (mail scanners prefetch them).
    expect((await t.agent().get(`/invite/${a.invitee.token}`)).status).toBe(200)
    expect((await t.agent().get(`/reset/${a.resetLink.token}`)).status).toBe(200)
  })
})

describe('CSRF origin', () => {
  // An app whose APP_URL differs from the address the request is sent to: a client that sets
  // Origin to whatever Host it talks to, or sends Sec-Fetch-Site alone, is not a browser on the app.
  let other: TestApp
  beforeAll(async () => {
    other = await createTestApp({ APP_URL: 'http://127.0.0.1:8787' })
  })
  afterAll(() => other.cleanup())
  const post = (headers: Record<string, string>) =>
    other.app.request('http://localhost/login', {
      method: 'POST',
      body: new URLSearchParams({ email: 'nobody@aldermere.test', password: 'Not the password 123' }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    })

  it("refuses an Origin equal to the request's own host but not APP_URL's origin", async () => {
    expect((await post({ Origin: 'http://localhost' })).status).toBe(403)
  })

  it('refuses Sec-Fetch-Site: same-origin without an Origin', async () => {
    expect((await post({ 'Sec-Fetch-Site': 'same-origin' })).status).toBe(403)
  })

  it("accepts exactly APP_URL's origin", async () => {
    expect((await post({ Origin: 'http://127.0.0.1:8787' })).status).toBe(401)
    expect((await post({ Origin: 'http://127.0.0.1:8787', 'Sec-Fetch-Site': 'same-origin' })).status).toBe(401)
    expect((await post({ Origin: 'http://127.0.0.1:8788' })).status).toBe(403)
  })
})
