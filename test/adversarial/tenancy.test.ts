// Rule "tenancy": every query is scoped to the signed-in admin's practice; another practice's ids
// answer 404. Admin routes are every route of app.routes except the public ones and /portal*.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/app'
import {
  discoverRoutes,
  fillPath,
  formAimedAt,
  hasParams,
  isAdminPath,
  isOwnPortalPath,
  seedPractice,
  send,
  signIn,
  snapshotAll,
  snapshotPractice,
  type PracticeWorld,
  type Route,
} from './support/world'

let t: TestApp
let a: PracticeWorld
let b: PracticeWorld
let routes: Route[]

beforeAll(async () => {
  t = await createTestApp()
  a = await seedPractice(t, 'a')
  b = await seedPractice(t, 'b')
  routes = discoverRoutes(t.app)
}, 60_000)
afterAll(() => t.cleanup())

const adminRoutes = () => routes.filter((r) => isAdminPath(r.path))
const leaked = (html: string, w: PracticeWorld) => w.markers.filter((m) => html.includes(m))

describe('tenancy', () => {
  it('finds the admin routes from the router', () => {
    const paths = adminRoutes().map((r) => `${r.method} ${r.path}`)
    for (const expected of [
      'GET /staff',
      'GET /staff/:id',
      'GET /staff/:id/portal',
      'POST /staff/:id',
      'POST /staff/:id/portal/invitations',
      'GET /activity',
      'GET /settings',
    ])
      expect(paths).toContain(expected)
  })

  it("answers 404 to another practice's admin naming this practice's ids, on every admin route, and changes none of its rows", async () => {
    const failures: string[] = []
    const targeted = adminRoutes().filter((r) => hasParams(r.path))
    expect(targeted.length).toBeGreaterThanOrEqual(8)
    for (const route of targeted)
      for (const htmx of [false, true]) {
        const intruder = await signIn(t, b.adminEmail)
        const path = fillPath(route.path, a)
        const before = await snapshotPractice(t, a.practiceId)
        const response = await send(intruder, route.method, path, formAimedAt(t, a, b.name), htmx ? { 'HX-Request': 'true' } : {})
        const html = await response.text()
        const label = `${route.method} ${path}${htmx ? ' (htmx)' : ''}`
        if (response.status !== 404) failures.push(`${label}: answered ${response.status}, not 404`)
        if (leaked(html, a).length) failures.push(`${label}: showed ${leaked(html, a).join(', ')}`)
        if (JSON.stringify(await snapshotPractice(t, a.practiceId)) !== JSON.stringify(before))
          failures.push(`${label}: changed practice A's rows`)
      }
    expect(failures).toEqual([])
  })

  it("changes nothing of this practice when another practice's admin mixes its own staff id with this practice's invitation or link ids", async () => {
    const failures: string[] = []
    const hybrid: PracticeWorld = {
      ...b,
      invitee: { ...b.invitee, invitationId: a.invitee.invitationId },
      resetLink: { id: a.resetLink.id, token: a.resetLink.token },
    }
    const mixed = adminRoutes().filter((r) => r.method !== 'GET' && /:(invitationId|linkId)|reset-links/.test(r.path))
    expect(mixed.length).toBeGreaterThanOrEqual(4)
    for (const route of mixed) {
      const intruder = await signIn(t, b.adminEmail)
      const path = fillPath(route.path, hybrid)
      const before = await snapshotPractice(t, a.practiceId)
      const response = await send(intruder, route.method, path, formAimedAt(t, a, b.name))
      const html = await response.text()
      if (response.status >= 500) failures.push(`${route.method} ${path}: ${response.status}`)
      if (leaked(html, a).length) failures.push(`${route.method} ${path}: showed ${leaked(html, a).join(', ')}`)
      if (JSON.stringify(await snapshotPractice(t, a.practiceId)) !== JSON.stringify(before))
        failures.push(`${route.method} ${path}: changed practice A's rows`)
    }
    expect(failures).toEqual([])
    // The links of practice A still work.
    expect((await t.agent().get(`/invite/${a.invitee.token}`)).status).toBe(200)
    expect((await t.agent().get(`/reset/${a.resetLink.token}`)).status).toBe(200)
  })

  it("on admin routes without ids in the path, another practice's admin sees and changes only their own practice", async () => {
    const failures: string[] = []
    for (const route of adminRoutes().filter((r) => !hasParams(r.path))) {
      const intruder = await signIn(t, b.adminEmail)
      const before = await snapshotPractice(t, a.practiceId)
      // Bulk invite, say, with practice A's staff ids in the body.
      const response = await send(intruder, route.method, route.path, formAimedAt(t, a, b.name))
      const html = await response.text()
      if (response.status >= 500) failures.push(`${route.method} ${route.path}: ${response.status}`)
      if (leaked(html, a).length) failures.push(`${route.method} ${route.path}: showed ${leaked(html, a).join(', ')}`)
      if (JSON.stringify(await snapshotPractice(t, a.practiceId)) !== JSON.stringify(before))
        failures.push(`${route.method} ${route.path}: changed practice A's rows`)
    }
    expect(failures).toEqual([])
  })

  it('sends a visitor without a session to the login page (303, or 401 with HX-Redirect for htmx) from every admin and portal route', async () => {
    const failures: string[] = []
    const before = await snapshotAll(t)
    // A stolen session id with a guessed secret is no session either.
    const [sessionId] = (await signIn(t, a.adminEmail)).cookies.get('__Host-session')!.split('.')
    const forged = `${sessionId}.${'a'.repeat(39)}`
    const beforeForged = await snapshotAll(t)
    for (const route of routes.filter((r) => isAdminPath(r.path) || isOwnPortalPath(r.path)))
      for (const cookie of [undefined, forged]) {
        const path = fillPath(route.path, a)
        const stranger = t.agent()
        if (cookie) stranger.cookies.set('__Host-session', cookie)
        const plain = await send(stranger, route.method, path, formAimedAt(t, a, a.name))
        const label = `${route.method} ${path}${cookie ? ' (forged cookie)' : ''}`
        // The login page may say the session ended and carry the page to return to (?expired&next=).
        const toLogin = /^\/login(\?|$)/
        if (plain.status !== 303 || !toLogin.test(plain.headers.get('Location') ?? ''))
          failures.push(`${label}: ${plain.status} ${plain.headers.get('Location')}`)
        const htmx = await send(stranger, route.method, path, formAimedAt(t, a, a.name), { 'HX-Request': 'true' })
        if (htmx.status !== 401 || !toLogin.test(htmx.headers.get('HX-Redirect') ?? ''))
          failures.push(`${label} (htmx): ${htmx.status} ${htmx.headers.get('HX-Redirect')}`)
        const body = await plain.text()
        if (leaked(body, a).length) failures.push(`${label}: showed ${leaked(body, a).join(', ')}`)
      }
    expect(failures).toEqual([])
    expect(await snapshotAll(t)).toEqual(beforeForged)
    expect(Object.keys(before)).toEqual(Object.keys(beforeForged))
  })

  it('answers 403 to a signed-in staff member who is not an admin, on every admin route, and changes nothing', async () => {
    const failures: string[] = []
    for (const route of adminRoutes())
      for (const path of [fillPath(route.path, a), fillPath(route.path, b)]) {
        const staffMember = await signIn(t, a.member.email)
        const before = await snapshotAll(t)
        const response = await send(staffMember, route.method, path, formAimedAt(t, a, a.name))
        const html = await response.text()
        if (response.status !== 403) failures.push(`${route.method} ${path}: answered ${response.status}, not 403`)
        if (leaked(html, b).length) failures.push(`${route.method} ${path}: showed ${leaked(html, b).join(', ')}`)
        if (JSON.stringify(await snapshotAll(t)) !== JSON.stringify(before)) failures.push(`${route.method} ${path}: rows changed`)
      }
    expect(failures).toEqual([])
  })

  it("never shows this practice's names when another practice searches or lists", async () => {
    const failures: string[] = []
    const intruder = await signIn(t, b.adminEmail)
    const queries = [...a.markers, a.member.id, a.invitee.id, '%', '_', '%%', "' OR 1=1 --", '" OR ""="', '*', 'a', '.test', '@']
    // The search box shows back what was typed: that much is not a leak, so it is cut out first.
    const searches = queries.flatMap((q) => [
      { url: `/staff?q=${encodeURIComponent(q)}`, typed: q },
      { url: `/staff?q=${encodeURIComponent(q)}&page=1`, typed: q },
    ])
    const urls = [
      '/staff',
      '/staff?page=2',
      ...searches.map((s) => s.url),
      '/activity',
      `/activity?staff=${a.member.id}`,
      `/activity?staff=${a.invitee.id}`,
      `/activity?staff=${a.adminStaffId}`,
      '/activity?event=login.succeeded',
      '/activity?event=invitation.sent',
      '/activity?event=reset.link_generated',
      '/settings',
      '/portal',
      '/staff/new',
    ]
    for (const url of urls)
      for (const htmx of [false, true]) {
        const response = await intruder.get(url, htmx ? { 'HX-Request': 'true' } : {})
        const typed = searches.find((s) => s.url === url)?.typed
        const html = typed ? (await response.text()).replaceAll(typed, '') : await response.text()
        if (response.status !== 200) failures.push(`GET ${url}: ${response.status}`)
        if (leaked(html, a).length) failures.push(`GET ${url}${htmx ? ' (htmx)' : ''}: showed ${leaked(html, a).join(', ')}`)
      }
    // The listing does work: practice B's own people are there.
    const own = await (await intruder.get(`/staff?q=${encodeURIComponent(b.member.lastName)}`)).text()
    expect(own).toContain(b.member.lastName)
    const wildcard = await (await intruder.get('/staff?q=%25')).text()
    expect(leaked(wildcard, a)).toEqual([])
    // And a signed-in staff member of practice B sees nothing of practice A on their own pages.
    const bMember = await signIn(t, b.member.email)
    for (const url of ['/portal', '/portal/password']) {
      const html = await (await bMember.get(url)).text()
      if (leaked(html, a).length) failures.push(`member of B, GET ${url}: showed ${leaked(html, a).join(', ')}`)
    }
    expect(failures).toEqual([])
  })
})
