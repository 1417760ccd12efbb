// Rule "headers": secureHeaders with a CSP (scripts from 'self' only, no inline script,
// object-src 'none', base-uri 'none', frame-ancestors 'none'), HSTS one year,
// Cache-Control: no-store on signed-in and token pages, Referrer-Policy: same-origin.
// Every response the app gives during a wide tour is recorded and checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loginFailures } from '../../db/schema'
import { addressKey, ADDRESS_LOCK_FAILURES } from '../../src/auth/throttle'
import type { App } from '../../src/app'
import { Agent } from '../support/agent'
import { createTestApp, type TestApp } from '../support/app'
import { staffForm } from '../support/staff'
import {
  discoverRoutes,
  fillPath,
  formAimedAt,
  seedPractice,
  send,
  SESSION_COOKIE,
  signIn,
  STATE_CHANGING,
  STRONG_PASSWORD,
  type PracticeWorld,
} from './support/world'

interface Seen {
  label: string
  status: number
  headers: Headers
  body: string
  signedIn: boolean
  tokenPage: boolean
}

let t: TestApp
let a: PracticeWorld
const seen: Seen[] = []

const TOKEN_PAGE = /^\/(invite|reset)\/|^\/forgot-password\/verify/

/** An Agent whose every response is kept for the checks below. */
function recordingAgent(): Agent {
  const recorder = {
    request: async (input: string, init?: RequestInit) => {
      const response = await t.app.request(input, init)
      const url = new URL(input)
      const cookie = new Headers(init?.headers).get('Cookie') ?? ''
      const body = await response.clone().text()
      seen.push({
        label: `${init?.method ?? 'GET'} ${url.pathname}${url.search} → ${response.status}`,
        status: response.status,
        headers: response.headers,
        body,
        signedIn: cookie.includes(`${SESSION_COOKIE}=`),
        tokenPage: TOKEN_PAGE.test(url.pathname),
      })
      return response
    },
  }
  return new Agent(recorder as unknown as App)
}

async function as(email: string | null) {
  const agent = recordingAgent()
  return email ? signIn(t, email, agent) : agent
}

beforeAll(async () => {
  t = await createTestApp()
  a = await seedPractice(t, 'a')
  const routes = discoverRoutes(t.app)
  const gets = routes.filter((r) => r.method === 'GET')
  const asInvitee = { ...a, member: { ...a.member, id: a.invitee.id } }

  // Strangers: every page, links good and bad, errors.
  const stranger = await as(null)
  for (const route of gets) await stranger.get(fillPath(route.path, a))
  for (const route of gets) await stranger.get(fillPath(route.path, a), { 'HX-Request': 'true' })
  for (const path of [
    '/no-such-page',
    '/invite/not-a-token',
    `/invite/${a.invitee.invitationId}.${'a'.repeat(39)}`,
    '/reset/nope',
    '/forgot-password/verify?email=x%40y.test',
    '/forgot-password/verify',
    '/login?welcome&email=a%40b.test',
  ])
    await stranger.get(path)
  await stranger.post('/login', { email: 'nobody@nowhere.test', password: 'wrong password entirely' }) // 401
  await stranger.post('/login', { email: '', password: '' }) // 422
  await t.db
    .insert(loginFailures)
    .values({ key: addressKey('locked@nowhere.test'), failures: ADDRESS_LOCK_FAILURES, lastFailedAt: t.clock.now() })
  await stranger.post('/login', { email: 'locked@nowhere.test', password: 'whatever it is' }) // 429
  await stranger.post('/forgot-password', { email: 'nobody@nowhere.test' }) // 303
  await stranger.post('/forgot-password', { email: 'not an address' }) // 422
  await stranger.post('/forgot-password/verify', { email: 'nobody@nowhere.test', code: '123', password: 'x', confirmPassword: 'y' }) // 422
  await stranger.post(`/invite/${a.invitee.token}`, { password: 'short', confirmPassword: 'short' }) // 422 on a token page
  await stranger.post(`/reset/${a.resetLink.token}`, { password: 'short', confirmPassword: 'nope' }) // 422 on a token page
  await stranger.post('/staff', staffForm(), { Origin: 'https://evil.example' }) // 403 (CSRF)
  await stranger.request('/login', {
    method: 'POST',
    body: 'x'.repeat(1024 * 1024),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' },
  }) // 413
  await stranger.request('/login', { method: 'DELETE' }) // 404 for an unrouted method
  await t.settle()

  // The admin: every page and partial, form errors, redirects, htmx answers.
  const admin = await as(a.adminEmail)
  for (const route of gets) {
    await admin.get(fillPath(route.path, a))
    await admin.get(fillPath(route.path, asInvitee))
    await admin.get(fillPath(route.path, a), { 'HX-Request': 'true' })
  }
  await admin.get('/staff?q=Quin', { 'HX-Request': 'true' })
  await admin.get('/staff/aaaaaaaaaaaaaaaa') // 404 in the practice
  await admin.post('/staff', staffForm({ firstName: '' })) // 422
  await admin.post('/staff', staffForm({ email1: 'new.person@aldermere.test' })) // 303
  await admin.post(`/staff/${a.member.id}/portal/access`, { action: 'end-sessions' }, { 'HX-Request': 'true' }) // fragment
  await admin.post(`/staff/${a.member.id}/portal/reset-links`, { expirationDate: '1999-01-01' }, { 'HX-Request': 'true' }) // 422 fragment
  await admin.post(`/staff/${a.member.id}/access-level`, { role: 'admin' }) // confirmation page
  await admin.post('/settings', { name: a.name, timeZone: 'America/New_York', senderName: '' }) // 303
  await admin.post('/staff', staffForm(), { 'Sec-Fetch-Site': 'cross-site' }) // 403 with a session
  await admin.request('/staff', {
    method: 'POST',
    body: 'x'.repeat(1024 * 1024),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' },
  }) // 413 signed in
  await admin.get('/no-such-page') // 404 signed in

  // Successful login (Set-Cookie) and logout.
  const fresh = await as(null)
  await fresh.post('/login', { email: a.member.email, password: STRONG_PASSWORD })
  await fresh.get('/portal')
  await fresh.post('/logout')
  // A staff member: their portal, and every admin route refused; the links get used up on the way.
  const member = await as(a.member.email)
  await member.post('/portal/password', { currentPassword: 'not it at all', password: 'x', confirmPassword: 'x' })
  for (const route of routes.filter((r) => r.path !== '/logout' && !(r.method === 'POST' && r.path.startsWith('/portal'))))
    await send(member, route.method, fillPath(route.path, a), formAimedAt(t, a, a.name))
  await stranger.get(`/invite/${a.invitee.token}`) // 410: used
  await stranger.get(`/reset/${a.resetLink.token}`) // 410: used
  // State-changing routes by a stranger, with ids: redirects to login.
  for (const route of routes.filter((r) => STATE_CHANGING.has(r.method) && r.path !== '/login'))
    await send(await as(null), route.method, fillPath(route.path, a), {})
  await t.settle()
}, 60_000)
afterAll(() => t.cleanup())

function directives(csp: string | null): Map<string, string[]> {
  const map = new Map<string, string[]>()
  for (const part of (csp ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/)
    if (name) map.set(name.toLowerCase(), values)
  }
  return map
}

describe('security headers', () => {
  it('toured pages, partials, redirects, 401, 403, 404, 413, 422 and 429 answers', () => {
    const statuses = new Set(seen.map((s) => s.status))
    for (const status of [200, 303, 401, 403, 404, 410, 413, 422, 429]) expect(statuses, `no ${status} seen`).toContain(status)
    expect(seen.length).toBeGreaterThan(150)
  })

  it("sends a CSP on every response: script-src 'self' without 'unsafe-inline', object-src, base-uri and frame-ancestors 'none'", () => {
    const failures: string[] = []
    for (const s of seen) {
      const csp = directives(s.headers.get('Content-Security-Policy'))
      const scripts = csp.get('script-src') ?? csp.get('default-src')
      if (!scripts) failures.push(`${s.label}: no script-src`)
      else {
        if (!scripts.includes("'self'")) failures.push(`${s.label}: script-src without 'self'`)
        const loose = scripts.filter((v) =>
          ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", '*', 'data:', 'http:', 'https:', 'blob:'].includes(v),
        )
        if (loose.length) failures.push(`${s.label}: script-src allows ${loose.join(' ')}`)
      }
      for (const name of ['object-src', 'base-uri', 'frame-ancestors'])
        if ((csp.get(name) ?? []).join(' ') !== "'none'") failures.push(`${s.label}: ${name} is ${csp.get(name)?.join(' ') ?? 'missing'}`)
    }
    expect(failures).toEqual([])
  })

  it('sends HSTS for a year, nosniff and Referrer-Policy: same-origin on every response', () => {
    const failures: string[] = []
    for (const s of seen) {
      const maxAge = Number(/max-age=(\d+)/.exec(s.headers.get('Strict-Transport-Security') ?? '')?.[1] ?? 0)
      if (maxAge < 31_536_000) failures.push(`${s.label}: HSTS ${s.headers.get('Strict-Transport-Security')}`)
      if (s.headers.get('X-Content-Type-Options') !== 'nosniff')
        failures.push(`${s.label}: X-Content-Type-Options ${s.headers.get('X-Content-Type-Options')}`)
      if (s.headers.get('Referrer-Policy') !== 'same-origin')
        failures.push(`${s.label}: Referrer-Policy ${s.headers.get('Referrer-Policy')}`)
    }
    expect(failures).toEqual([])
  })

  it('sends Cache-Control: no-store on signed-in pages, token pages and anything that sets a cookie', () => {
    const failures: string[] = []
    const relevant = seen.filter((s) => s.signedIn || s.tokenPage || s.headers.getSetCookie().length > 0)
    expect(relevant.filter((s) => s.tokenPage).length).toBeGreaterThan(5)
    expect(relevant.filter((s) => s.signedIn).length).toBeGreaterThan(50)
    for (const s of relevant) {
      const cache = (s.headers.get('Cache-Control') ?? '').split(',').map((v) => v.trim())
      if (!cache.includes('no-store')) failures.push(`${s.label}: Cache-Control ${s.headers.get('Cache-Control')}`)
    }
    expect(failures).toEqual([])
  })

  it('serves no HTML with an inline script, an inline event handler or a javascript: URL', () => {
    const failures: string[] = []
    const html = seen.filter((s) => (s.headers.get('Content-Type') ?? '').includes('text/html'))
    expect(html.length).toBeGreaterThan(100)
    for (const s of html) {
      for (const tag of s.body.match(/<script\b[^>]*>/gi) ?? []) if (!/\ssrc=/i.test(tag)) failures.push(`${s.label}: inline ${tag}`)
      const handler = /<[a-z][^>]*\son[a-z]+\s*=/i.exec(s.body)
      if (handler) failures.push(`${s.label}: event handler attribute in ${handler[0].slice(0, 80)}`)
      if (/(href|src|action)\s*=\s*["']?\s*javascript:/i.test(s.body)) failures.push(`${s.label}: javascript: URL`)
    }
    expect(failures).toEqual([])
  })
})
