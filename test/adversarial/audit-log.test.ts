// Rule "audit": who, whom, when; never a token, code or password (the file-level search is in
// secrets.test.ts) — and the trail cannot be edited from the app: every state-changing route,
// by every kind of visitor, with plausible and hostile forms, only ever adds rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Agent } from '../support/agent'
import { createTestApp, type TestApp } from '../support/app'
import {
  discoverRoutes,
  fillPath,
  formAimedAt,
  seedPractice,
  send,
  signIn,
  STATE_CHANGING,
  STRONG_PASSWORD,
  type Form,
  type PracticeWorld,
  type Route,
} from './support/world'

let t: TestApp
let a: PracticeWorld
let routes: Route[]

beforeAll(async () => {
  t = await createTestApp()
  // Durability is not what is tested here: without an fsync per write the tour goes several times faster.
  await t.client.execute('pragma synchronous = off')
  a = await seedPractice(t, 'a')
  routes = discoverRoutes(t.app)
}, 60_000)
afterAll(() => t.cleanup())

async function auditRows(): Promise<Map<number, string>> {
  const result = await t.client.execute('select * from audit_events order by id')
  return new Map(result.rows.map((row) => [Number(row.id), JSON.stringify(result.columns.map((c) => row[c]))]))
}

describe('the audit log', () => {
  it('only grows: no route, by anyone, with any form, updates or deletes an audit row', async () => {
    const aimed = formAimedAt(t, a, a.name)
    const hostile: Form = {
      id: '1',
      auditId: '1',
      eventId: '1',
      event: 'login.succeeded',
      detail: '',
      delete: '1',
      action: 'delete',
      practiceId: a.practiceId,
      createdAt: '0',
    }
    const forms: Form[] = [aimed, { ...aimed, action: 'unlock', role: 'staff' }, hostile, {}]
    // Another practice's admin is covered by tenancy.test.ts.
    const principals: [string, () => Promise<Agent>][] = [
      ['admin', () => signIn(t, a.adminEmail)],
      ['staff member', () => signIn(t, a.member.email)],
      ['stranger', async () => t.agent()],
    ]
    const failures: string[] = []
    let before = await auditRows()
    const initial = before.size
    const check = async (label: string) => {
      const after = await auditRows()
      if (after.size < before.size) failures.push(`${label}: ${before.size - after.size} rows fewer`)
      for (const [id, row] of before) {
        if (!after.has(id)) failures.push(`${label}: row ${id} deleted`)
        else if (after.get(id) !== row) failures.push(`${label}: row ${id} changed`)
      }
      before = after
    }
    for (const route of routes.filter((r) => STATE_CHANGING.has(r.method)))
      for (const [who, agentFor] of principals)
        for (const form of forms) {
          const path = fillPath(route.path, a)
          const response = await send(await agentFor(), route.method, path, form)
          await response.arrayBuffer()
          await t.settle()
          await check(`${route.method} ${path} as ${who}`)
        }
    // Methods and paths no route has: nothing to edit the trail with there either.
    const admin = await signIn(t, a.adminEmail)
    for (const method of ['DELETE', 'PUT', 'PATCH', 'POST'])
      for (const path of ['/activity', '/activity/1', '/audit', '/audit/1', '/audit-events/1'])
        for (const form of [hostile, {}]) {
          const response = await send(admin, method, path, form)
          if (response.status < 400 && method !== 'GET') failures.push(`${method} ${path}: answered ${response.status}`)
          await check(`${method} ${path}`)
        }
    // Every GET with hostile query strings, too.
    for (const route of routes.filter((r) => r.method === 'GET')) {
      await (await admin.get(`${fillPath(route.path, a)}?${new URLSearchParams(hostile as Record<string, string>)}`)).arrayBuffer()
      await check(`GET ${route.path}`)
    }
    expect(failures).toEqual([])
    // The tour did get recorded: the log grew.
    expect(before.size).toBeGreaterThan(initial + 20)
  }, 120_000)

  it('records who, whom and when for the tour above, and no token, code or password', async () => {
    const result = await t.client.execute('select * from audit_events')
    const text = JSON.stringify(result.rows)
    for (const secret of [
      a.invitee.token,
      a.invitee.token.split('.')[1]!,
      a.resetLink.token,
      a.resetLink.token.split('.')[1]!,
      STRONG_PASSWORD,
      'Velvet gazebo mortar 7731 kite',
      '12345678',
    ])
      expect(text).not.toContain(secret)
    const events = new Set(result.rows.map((row) => String(row.event)))
    for (const event of ['login.failed', 'staff.created', 'access.disabled', 'reset.link_generated']) expect(events).toContain(event)
    for (const row of result.rows) {
      expect(row.created_at, `row ${row.id} has a time`).not.toBeNull()
      expect(String(row.event)).toMatch(/^[a-z_]+\.[a-z_]+$|^logout$/)
    }
  })
})
