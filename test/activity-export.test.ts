import { eq } from 'drizzle-orm'
import Papa from 'papaparse'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { auditEvents, staff } from '../db/schema'
import { activityQuery } from '../src/activity/activity'
import type { Agent } from './support/agent'
import { addTwoPractices, createTestApp, logInBothAdmins, type TestApp } from './support/app'
import { addStaff } from './support/staff'

vi.setConfig({ testTimeout: 60_000 })

let t: TestApp
let admin: Agent
let otherAdmin: Agent
let harborId: string
let formulaId: string

beforeAll(async () => {
  t = await createTestApp()
  // 15:00 UTC on 26 November 2026: 10:00 in the practice's zone (America/New_York, EST).
  t.clock.set('2026-11-26T15:00:00Z')
  await addTwoPractices(t)
  ;({ admin, otherAdmin } = await logInBothAdmins(t))
  formulaId = await addStaff(admin, { firstName: '=HYPERLINK("http://evil.test")', lastName: 'Okafor', email1: 'formula@harbor.test' })
  await addStaff(admin, { firstName: 'Mei', lastName: 'Chen', email1: 'mei@harbor.test' })
  await addStaff(otherAdmin, { firstName: 'Summit', lastName: 'Only', email1: 'only@summit.test' })
  const [row] = await t.db.select({ practiceId: staff.practiceId }).from(staff).where(eq(staff.id, formulaId))
  harborId = row!.practiceId
})
afterAll(() => t.cleanup())

async function download(agent: Agent, query = '') {
  const response = await agent.get(`/activity/export.csv${query}`)
  const bytes = new Uint8Array(await response.arrayBuffer())
  const text = new TextDecoder().decode(bytes)
  return { response, bytes, rows: Papa.parse<string[]>(text, { skipEmptyLines: true }).data }
}

describe('Activity: Export CSV', () => {
  it('is linked from the Activity page with the filters, and downloads as a dated attachment', async () => {
    const page = await (await admin.get('/activity?event=staff.created')).text()
    expect(page).toMatch(/<a [^>]*href="\/activity\/export\.csv\?event=staff\.created"[^>]*>\s*Export CSV\s*</)
    const { response, bytes, rows } = await download(admin)
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('Content-Disposition')).toBe('attachment; filename="activity-2026-11-26.csv"')
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(rows[0]).toEqual(['Time (UTC)', 'Time (America/New_York)', 'Event', 'Details', 'Who', 'By', 'From'])
  })

  it('gives each time in UTC (ISO 8601) and in the practice zone, and defuses formula cells', async () => {
    const { rows } = await download(admin, '?event=staff.created')
    const created = rows.slice(1)
    expect(created).toHaveLength(2)
    const formula = created.find((cells) => cells[4]!.includes('HYPERLINK'))!
    expect(formula[0]).toBe('2026-11-26T15:00:00.000Z')
    expect(formula[1]).toBe('2026-11-26 10:00:00 EST')
    expect(formula[2]).toBe('Profile created')
    expect(formula[4]).toBe(`'=HYPERLINK("http://evil.test") Okafor`)
    expect(formula[6]).toBe('203.0.113.7')
  })

  it('applies the filters: one person by id, typed words, an event', async () => {
    const byId = (await download(admin, `?staff=${formulaId}`)).rows.slice(1)
    expect(byId.length).toBeGreaterThan(0)
    expect(byId.every((cells) => cells[4]!.includes('Okafor'))).toBe(true)
    const byWords = (await download(admin, '?person=mei')).rows.slice(1)
    expect(byWords.map((cells) => cells[4])).toEqual(['Mei Chen'])
    const logins = (await download(admin, '?event=login.succeeded')).rows.slice(1)
    expect(logins.length).toBeGreaterThan(0)
    expect(logins.every((cells) => cells[2] === 'Logged in')).toBe(true)
  })

  it("never includes another practice's rows, and is for signed-in admins only", async () => {
    const harbor = (await download(admin)).rows.slice(1)
    const [own] = await t.client
      .execute({ sql: 'select count(*) from audit_events where practice_id = ?', args: [harborId] })
      .then((r) => r.rows)
    expect(harbor).toHaveLength(Number(own![0]))
    expect(harbor.flat().join(' ')).not.toContain('Summit')
    const summit = (await download(otherAdmin)).rows.slice(1)
    expect(summit.flat().join(' ')).not.toContain('Okafor')
    expect((await t.agent().get('/activity/export.csv')).status).toBe(303)
  })

  it('streams a large history (5,000 events) page by page, newest first, without gaps or repeats', async () => {
    // Many events at the same instant: the keyset must break ties by id.
    const at = new Date('2026-11-20T12:00:00Z')
    const values = Array.from({ length: 5000 }, (_, i) => ({
      practiceId: harborId,
      event: 'login.failed' as const,
      ip: `198.51.100.${i % 250}`,
      detail: `try ${i}`,
      createdAt: new Date(at.getTime() + Math.floor(i / 7) * 1000),
    }))
    for (let i = 0; i < values.length; i += 500) await t.db.insert(auditEvents).values(values.slice(i, i + 500))
    const started = performance.now()
    const response = await admin.get('/activity/export.csv?event=login.failed')
    const reader = response.body!.getReader()
    let chunks = 0
    let text = ''
    const decoder = new TextDecoder()
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      chunks++
      text += decoder.decode(part.value, { stream: true })
    }
    expect(performance.now() - started).toBeLessThan(15_000)
    expect(chunks).toBeGreaterThan(5)
    const rows = Papa.parse<string[]>(text, { skipEmptyLines: true }).data.slice(1)
    expect(rows).toHaveLength(5000)
    const details = rows.map((cells) => cells[3])
    expect(new Set(details).size).toBe(5000)
    expect(details[0]).toBe('try 4999')
    expect(rows.map((cells) => cells[0])).toEqual([...rows.map((cells) => cells[0]!)].sort().reverse())
  })

  it('reads each chunk from an index range that starts after the last row, whatever the filter', async () => {
    const before = { createdAt: new Date('2026-11-20T12:05:00Z'), id: 3000 }
    for (const filter of [{}, { event: 'login.failed' }, { staffId: formulaId }, { person: 'mei' }]) {
      const { sql, params } = activityQuery(t.db, harborId, { ...filter, before }, 500).toSQL()
      const plan = await t.client.execute({ sql: `explain query plan ${sql}`, args: params as never[] })
      const steps = plan.rows.map((row) => String(row.detail)).join('\n')
      expect(steps, JSON.stringify(filter)).toMatch(/USING INDEX audit_practice_\w+ \(practice_id=\?.*created_at<\?\)/)
    }
  })
})
