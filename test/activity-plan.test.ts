// The audit log only grows. One person's activity (the Staff Portal tab) and one kind of event
// (the Activity page's filter) must each be read from an index that starts with what they ask
// for, newest first, instead of walking the practice's whole history to find a page of it.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient, type Client } from '@libsql/client'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, staff } from '../db/schema'
import { activityCountQuery, activityQuery, type ActivityFilter } from '../src/activity/activity'
import { parseConfig } from '../src/config'
import { createDatabase, type Database } from '../src/db'
import { migrateDatabase } from '../src/migrate'
import { ensureFirstPractice } from '../src/practice/bootstrap'
import { ADMIN_PASSWORD } from './support/app'
import { TestClock } from './support/clock'

const EVENTS = 30_000
const KINDS = ['login.succeeded', 'login.failed', 'invitation.sent', 'staff.updated', 'logout']

let dir: string
let client: Client
let db: Database
let practiceId: string
let staffIds: string[]

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'staff-portal-activity-plan-'))
  client = createClient({ url: `file:${join(dir, 'plan.db')}` })
  db = createDatabase(client)
  await migrateDatabase(db)
  await ensureFirstPractice({
    db,
    clock: new TestClock(),
    config: parseConfig({ APP_URL: 'http://localhost', PRACTICE_NAME: 'Long History', ADMIN_EMAIL: 'admin@history.test', ADMIN_PASSWORD }),
  })
  practiceId = (await db.select({ id: accounts.practiceId }).from(accounts).where(eq(accounts.email, 'admin@history.test')))[0]!.id
  const t = new TestClock().now().getTime()
  // 200 people and 30,000 events spread over them, five kinds, a minute apart.
  await client.batch(
    [
      {
        sql: `with recursive n(i) as (select 0 union all select i + 1 from n where i < 199)
              insert into staff (id, practice_id, first_name, last_name, created_at, updated_at)
              select printf('p%05d', i), ?, 'Person', 'Number' || i, ${t}, ${t} from n`,
        args: [practiceId],
      },
      {
        sql: `with recursive n(i) as (select 0 union all select i + 1 from n where i < ${EVENTS - 1})
              insert into audit_events (practice_id, target_staff_id, event, created_at)
              select ?, printf('p%05d', i % 200), json_extract(?, '$[' || (i % ${KINDS.length}) || ']'), ${t} + i * 60000 from n`,
        args: [practiceId, JSON.stringify(KINDS)],
      },
    ],
    'write',
  )
  staffIds = (await db.select({ id: staff.id }).from(staff).where(eq(staff.practiceId, practiceId))).map((row) => row.id)
}, 60_000)

afterAll(() => {
  client.close()
  rmSync(dir, { recursive: true, force: true })
})

async function planOf(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string> {
  const { sql, params } = query.toSQL()
  const plan = await client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args: params as never[] })
  return plan.rows.map((row) => String(row.detail)).join('\n')
}

/** The same page read the slow way: every event of the practice, filtered and sorted here. */
async function referencePage(filter: ActivityFilter, limit: number, offset: number) {
  const rows = await client.execute({
    sql: 'select id, target_staff_id, event, created_at from audit_events where practice_id = ?',
    args: [practiceId],
  })
  const people = await client.execute({ sql: 'select id, first_name, last_name from staff where practice_id = ?', args: [practiceId] })
  const typed = filter.person?.toLowerCase()
  const matching = new Set(
    people.rows
      .filter(
        (p) =>
          typed &&
          [String(p.first_name), String(p.last_name), `${p.first_name} ${p.last_name}`].some((name) =>
            name.toLowerCase().startsWith(typed),
          ),
      )
      .map((p) => String(p.id)),
  )
  return rows.rows
    .filter(
      (row) =>
        (!filter.staffId || row.target_staff_id === filter.staffId) &&
        (!typed || matching.has(String(row.target_staff_id))) &&
        (!filter.event || row.event === filter.event),
    )
    .sort((a, b) => Number(b.created_at) - Number(a.created_at) || Number(b.id) - Number(a.id))
    .slice(offset, offset + limit)
    .map((row) => Number(row.id))
}

describe('the audit log at 30,000 events', () => {
  it("reads one person's activity from audit_practice_target_time_idx, newest first, without sorting", async () => {
    const plan = await planOf(activityQuery(db, practiceId, { staffId: 'p00007' }, 15))
    expect(plan, plan).toMatch(/SEARCH audit_events USING INDEX audit_practice_target_time_idx \(practice_id=\? AND target_staff_id=\?\)/)
    expect(plan, plan).not.toContain('TEMP B-TREE')
  })

  it('reads one kind of event, and counts it, from audit_practice_event_time_idx', async () => {
    const page = await planOf(activityQuery(db, practiceId, { event: 'invitation.sent' }, 50, 100))
    expect(page, page).toMatch(/SEARCH audit_events USING INDEX audit_practice_event_time_idx \(practice_id=\? AND event=\?\)/)
    expect(page, page).not.toContain('TEMP B-TREE')
    const total = await planOf(activityCountQuery(db, practiceId, { event: 'invitation.sent' }))
    expect(total, total).toMatch(/SEARCH audit_events USING COVERING INDEX audit_practice_event_time_idx \(practice_id=\? AND event=\?\)/)
  })

  it('finds the people typed into the Staff field from the staff indexes, then reads only their events', async () => {
    for (const filter of [
      { person: 'number1' },
      { person: 'person number7' },
      { person: 'number1', event: 'logout' },
    ] as ActivityFilter[]) {
      for (const query of [activityQuery(db, practiceId, filter, 50), activityCountQuery(db, practiceId, filter)]) {
        const plan = await planOf(query)
        expect(plan, plan).not.toMatch(/\bSCAN (staff|staff_emails|audit_events)\b/)
        expect(plan, plan).toContain('MULTI-INDEX OR')
        // Not a walk of the whole history in time order, keeping the matching people's events:
        // their own events, or (with an event kind too) the events of that kind.
        const narrowest = filter.event
          ? /audit_practice_(target_time_idx \(practice_id=\? AND target_staff_id|event_time_idx \(practice_id=\? AND event)=\?\)/
          : /audit_practice_target_time_idx \(practice_id=\? AND target_staff_id=\?\)/
        expect(plan, plan).toMatch(new RegExp(`SEARCH audit_events USING (COVERING )?INDEX ${narrowest.source}`))
      }
    }
  })

  it('still reads the unfiltered Activity page newest first from audit_practice_time_idx', async () => {
    const plan = await planOf(activityQuery(db, practiceId, {}, 50))
    expect(plan, plan).toMatch(/SEARCH audit_events USING INDEX audit_practice_time_idx \(practice_id=\?\)/)
    expect(plan, plan).not.toContain('TEMP B-TREE')
  })

  it('returns the same pages and totals as reading everything', async () => {
    const filters: [ActivityFilter, number, number][] = [
      [{ staffId: staffIds[7]! }, 15, 0],
      [{ staffId: staffIds[199]! }, 50, 100],
      [{ event: 'login.failed' }, 50, 0],
      [{ event: 'logout' }, 50, 5_000],
      [{ staffId: staffIds[3]!, event: 'staff.updated' }, 50, 0],
      [{}, 50, 29_990],
      [{ person: 'number19' }, 50, 0],
      [{ person: 'person number3', event: 'login.failed' }, 50, 0],
    ]
    for (const [filter, limit, offset] of filters) {
      const page = await activityQuery(db, practiceId, filter, limit, offset)
      const expected = await referencePage(filter, limit, offset)
      expect({ filter, ids: page.map((row) => row.id) }).toEqual({ filter, ids: expected })
      const [total] = await activityCountQuery(db, practiceId, filter)
      expect({ filter, total: total!.value }).toEqual({ filter, total: (await referencePage(filter, Number.MAX_SAFE_INTEGER, 0)).length })
    }
  })
})
