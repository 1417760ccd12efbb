// Budget: every page and htmx partial makes at most 2 calls to the database (the session
// check, then its data, batched). On the Worker each call crosses the network to Turso.
// The GET routes come from the app's own router, so a new page is held to the budget too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Agent } from './support/agent'
import { addPractice, createTestApp, logIn, type TestApp } from './support/app'
import { MINUTE } from './support/clock'
import { countRoundTrips, type RoundTrip } from './support/round-trips'
import { readablePath } from './support/routes'
import { addStaff, linkIn, pathOf, sendInvitation, STRONG_PASSWORD } from './support/staff'

const BUDGET = 2

let t: TestApp
let counter: ReturnType<typeof countRoundTrips>
let admin: Agent
let member: Agent
let anonymous: Agent
const values: Record<string, string> = {}

beforeAll(async () => {
  t = await createTestApp(
    {},
    {
      wrapClient: (client) => {
        counter = countRoundTrips(client)
        return counter.client
      },
    },
  )
  await addPractice(t, 'Harbor Therapy Group', 'admin@harbor.test')
  admin = await logIn(t, 'admin@harbor.test')
  for (let i = 0; i < 30; i++) await addStaff(admin, { firstName: `First${i}`, lastName: `Okafor${i}`, email1: `person${i}@harbor.test` })

  // A staff member with an account, invitation history and a live reset link.
  const memberId = await addStaff(admin, {
    firstName: 'Maya',
    lastName: 'Okafor',
    email1: 'maya@harbor.test',
    email2: 'maya.home@harbor.test',
  })
  await sendInvitation(admin, memberId, 'maya@harbor.test')
  await sendInvitation(admin, memberId, 'maya@harbor.test')
  const invite = pathOf(linkIn(t.devMailbox!.list()[0]!.text))
  const created = await t.agent().post(invite, { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })
  if (created.status !== 303) throw new Error(`creating the account answered ${created.status}`)
  const generated = await admin.post(`/staff/${memberId}/portal/reset-links`, { expirationDate: '2026-11-27' }, { 'HX-Request': 'true' })
  const resetUrl = /id="field-resetLink" type="text" readonly="" value="([^"]+)"/.exec(await generated.text())?.[1]
  if (!resetUrl) throw new Error('no reset link generated')
  member = await logIn(t, 'maya@harbor.test', STRONG_PASSWORD)
  anonymous = t.agent()

  // Someone with a pending invitation, for the invitation page.
  const pendingId = await addStaff(admin, { firstName: 'Pending', lastName: 'Person', email1: 'pending@harbor.test' })
  await sendInvitation(admin, pendingId, 'pending@harbor.test')

  // One Invite Selected, for its result page.
  const bulk = await admin.post('/staff/invitations', { scope: 'matching', q: 'first1', status: '', mode: 'invite', confirm: 'yes' })
  values.batchId = /\/staff\/invitations\/batches\/([a-z2-7]{16})/.exec(await bulk.text())![1]!
  await t.settle()

  values.id = memberId
  values.inviteToken = pathOf(linkIn(t.devMailbox!.list()[0]!.text)).split('/').pop()!
  values.resetToken = new URL(resetUrl).pathname.split('/').pop()!
})
afterAll(() => t.cleanup())

/** Real values for a route's parameters; a new parameter needs one here. */
function fill(path: string): string {
  return path.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => {
    if (name === 'token') return path.startsWith('/invite/') ? values.inviteToken! : values.resetToken!
    const value = values[name]
    if (!value) throw new Error(`round-trips.test.ts has no realistic value for :${name} in ${path}; add one`)
    return value
  })
}

/** Extra query strings worth counting, beyond the bare page. */
const VARIANTS: Record<string, string[]> = {
  '/staff': ['?q=okafor', '?q=maya%20oka', '?q=person1%40', '?page=2', '?status=yet-to-sign-up', '?q=oka&status=signed-up&page=2'],
  '/forgot-password/verify': ['?email=maya%40harbor.test'],
  '/login': ['?welcome&email=maya%40harbor.test'],
}

function getRoutes(): string[] {
  const paths = t.app.routes.filter((r) => r.method === 'GET' && !r.path.includes('*')).map((r) => readablePath(r.path))
  return [...new Set(paths)].sort()
}

async function tripsOf(agent: Agent, path: string, htmx: boolean): Promise<{ status: number; trips: RoundTrip[] }> {
  counter.reset()
  const response = htmx ? await agent.htmx(path) : await agent.get(path)
  await response.arrayBuffer()
  return { status: response.status, trips: [...counter.trips] }
}

describe('database round trips per request', () => {
  it('finds the pages to check in the router', () => {
    const routes = getRoutes()
    for (const path of ['/login', '/staff', '/staff/:id', '/staff/:id/portal', '/portal', '/invite/:token', '/reset/:token'])
      expect(routes).toContain(path)
  })

  it.each([
    ['an admin', () => admin],
    ['a staff member', () => member],
    ['someone signed out', () => anonymous],
  ])(`keeps every GET page and partial within ${BUDGET} for %s`, async (_who, agentOf) => {
    const agent = agentOf()
    const report: string[] = []
    const over: string[] = []
    for (const route of getRoutes()) {
      const base = fill(route)
      for (const path of [base, ...(VARIANTS[route] ?? []).map((query) => `${base}${query}`)]) {
        for (const htmx of [false, true]) {
          const { status, trips } = await tripsOf(agent, path, htmx)
          expect(status, `${path} answered ${status}`).toBeLessThan(500)
          const line = `${String(trips.length).padStart(2)}  ${status}  ${htmx ? 'htmx ' : 'page '} ${path}  [${trips.map((trip) => trip.method).join(', ')}]`
          report.push(line)
          if (trips.length > BUDGET) over.push(`${line}\n      ${trips.flatMap((trip) => trip.sql).join('\n      ')}`)
        }
      }
    }
    console.log(`round trips (${_who}):\n${report.join('\n')}`)
    expect(over, `over the budget of ${BUDGET}:\n${over.join('\n')}`).toEqual([])
  })

  it('records that the session was used at most once a minute, after the response, in one more trip', async () => {
    await t.settle()
    const fresh = await tripsOf(admin, '/staff', false)
    expect(fresh.trips).toHaveLength(2)
    await t.settle()
    expect(counter.trips).toHaveLength(2)

    t.clock.advance(2 * MINUTE)
    const touched = await tripsOf(admin, '/staff', false)
    expect(touched.trips).toHaveLength(BUDGET)
    await t.settle()
    const after = counter.trips.slice(touched.trips.length)
    expect(after.map((trip) => trip.sql)).toEqual([[expect.stringMatching(/^update "sessions" set "last_seen_at" = \?/)]])

    const again = await tripsOf(admin, '/staff', false)
    await t.settle()
    expect(again.trips).toHaveLength(2)
    expect(counter.trips).toHaveLength(2)
  })
})
