// The Staffs Search at 100,000 staff: every query listStaff sends is answered from indexes
// (EXPLAIN QUERY PLAN shows no full scan of staff, nor a walk of all of a practice's staff),
// and it finds exactly what the old LIKE search found, '%' and '_' included.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient, type InStatement } from '@libsql/client'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, staff } from '../db/schema'
import { parseConfig } from '../src/config'
import { createDatabase, type Database } from '../src/db'
import { migrateDatabase } from '../src/migrate'
import { ensureFirstPractice } from '../src/practice/bootstrap'
import { listStaff } from '../src/staff/directory'
import { prefixUpperBound } from '../src/staff/staff-search'
import { ADMIN_PASSWORD } from './support/app'
import { TestClock } from './support/clock'
import { countRoundTrips } from './support/round-trips'

const STAFF = 100_000
const FIRST = ['Amara', 'Benjamin', 'Mei', 'Diego', 'Elena', 'Maria', 'Mark', 'Martin', 'Sarah', 'David', 'Grace', 'Henry', 'Zoe', 'Omar']
const LAST = ['Okafor', 'Whitlock', 'Chen', 'Ramirez', 'Smith', 'Johnson', 'Martinez', 'Marshall', 'Nguyen', 'Adams', 'Baker', 'Young']

// People whose names and addresses test the edges: wildcards, case, accents, spaces, '@'.
const SPECIAL: [first: string, last: string, email: string][] = [
  ['Mary Ann', 'Smith-Jones', 'maryann@edge.test'],
  ['Mary', 'Annabel', 'mary.a@edge.test'],
  ['100%', 'Percent', 'percent%sign@edge.test'],
  ['Under_score', 'Case', 'under_score@edge.test'],
  ['Underxscore', 'Case', 'underxscore@edge.test'],
  ['Élodie', 'Ramírez', 'elodie@edge.test'],
  ['élise', 'ÉCLAIR', 'elise@edge.test'],
  ['at', 'Sign', 'at@edge.test'],
  ['at[', 'Bracket', 'at[@edge.test'],
  ['ZZtop', 'BAND', 'zz@edge.test'],
]

const QUERIES = [
  'mar',
  'MAR',
  'smith',
  'Smith3',
  'maria smi',
  'maria smith1',
  'mary',
  'mary ann',
  'mary ann s',
  'mary a',
  'maria.',
  'maria.okafor.7',
  '100%',
  '%',
  '_',
  'under_',
  'under_s',
  'élo',
  'ÉLO',
  'ÉCL',
  'ramí',
  'at@',
  'at[',
  'at',
  'zz',
  'ZZT',
  'percent%',
  'nobody',
  'a',
  'z',
  '@',
]

let dir: string
let db: Database
let counter: ReturnType<typeof countRoundTrips>
let practiceId: string
let otherPracticeId: string
const now = new TestClock().now()

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'staff-portal-plan-'))
  counter = countRoundTrips(createClient({ url: `file:${join(dir, 'plan.db')}` }))
  db = createDatabase(counter.client)
  await migrateDatabase(db)
  const clock = new TestClock()
  for (const [name, email] of [
    ['Big Practice', 'admin@big.test'],
    ['Other Practice', 'admin@other.test'],
  ] as const)
    await ensureFirstPractice({
      db,
      clock,
      config: parseConfig({ APP_URL: 'http://localhost', PRACTICE_NAME: name, ADMIN_EMAIL: email, ADMIN_PASSWORD }),
    })
  const practiceOf = async (email: string) =>
    (await db.select({ id: accounts.practiceId }).from(accounts).where(eq(accounts.email, email)))[0]!.id
  practiceId = await practiceOf('admin@big.test')
  otherPracticeId = await practiceOf('admin@other.test')

  // 100,000 people in one statement per table; a third of them with a second address.
  const t = now.getTime()
  await counter.client.batch(
    [
      {
        sql: `with recursive n(i) as (select 0 union all select i + 1 from n where i < ${STAFF - 1})
              insert into staff (id, practice_id, first_name, last_name, created_at, updated_at)
              select printf('s%015d', i), ?, json_extract(?, '$[' || (i % ${FIRST.length}) || ']'),
                json_extract(?, '$[' || ((i / ${FIRST.length}) % ${LAST.length}) || ']') || (i % 50), ${t}, ${t} from n`,
        args: [practiceId, JSON.stringify(FIRST), JSON.stringify(LAST)],
      },
      {
        sql: `insert into staff_emails (id, practice_id, staff_id, email, is_primary, position)
              select 'e' || substr(id, 2), practice_id, id, lower(first_name || '.' || last_name || '.' || cast(substr(id, 2) as integer) || '@big.test'), 1, 0 from staff where id like 's%'`,
        args: [],
      },
      {
        sql: `insert into staff_emails (id, practice_id, staff_id, email, is_primary, position)
              select 'f' || substr(id, 2), practice_id, id, 'p' || cast(substr(id, 2) as integer) || '@home.test', 0, 1 from staff where id like 's%' and cast(substr(id, 2) as integer) % 3 = 0`,
        args: [],
      },
      ...SPECIAL.flatMap(([first, last, email], i): InStatement[] => [
        {
          sql: `insert into staff (id, practice_id, first_name, last_name, created_at, updated_at) values (?, ?, ?, ?, ${t}, ${t})`,
          args: [`x${i}`, practiceId, first, last],
        },
        {
          sql: 'insert into staff_emails (id, practice_id, staff_id, email, is_primary, position) values (?, ?, ?, ?, 1, 0)',
          args: [`y${i}`, practiceId, `x${i}`, email],
        },
      ]),
      // The same kind of people in another practice, who must never show up.
      {
        sql: `insert into staff (id, practice_id, first_name, last_name, created_at, updated_at) values ('o1', ?, 'Maria', 'Smith0', ${t}, ${t})`,
        args: [otherPracticeId],
      },
      {
        sql: `insert into staff_emails (id, practice_id, staff_id, email, is_primary, position) values ('o1', ?, 'o1', 'maria.smith0.1@big.test', 1, 0)`,
        args: [otherPracticeId],
      },
    ],
    'write',
  )
  const [{ value }] = (
    await counter.client.execute({ sql: 'select count(*) as value from staff where practice_id = ?', args: [practiceId] })
  ).rows as unknown as [{ value: number }]
  expect(Number(value)).toBe(STAFF + SPECIAL.length + 1)
}, 120_000)

afterAll(() => {
  counter.client.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The statements listStaff sends for a query, as it sends them. */
async function statementsOf(q: string, page = 1) {
  counter.reset()
  const result = await listStaff({ db, clock: { now: () => now } }, { practiceId, q, page })
  return { result, statements: counter.trips.flatMap((trip) => trip.statements) }
}

async function planOf(statement: InStatement): Promise<string[]> {
  const { sql, args } = typeof statement === 'string' ? { sql: statement, args: [] } : statement
  const plan = await counter.client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args })
  return plan.rows.map((row) => String(row.detail))
}

// The old search: LIKE on each name, on "first last" and on every address (as a union, so
// the reference itself stays quick at 100,000 rows).
async function likeSearch(q: string, page = 1): Promise<{ total: number; ids: string[] }> {
  const prefix = `${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
  const rows = await counter.client.execute({
    sql: `select id from staff where id in (
            select id from staff where practice_id = ?1
              and (first_name like ?2 escape '\\' or last_name like ?2 escape '\\' or (first_name || ' ' || last_name) like ?2 escape '\\')
            union select staff_id from staff_emails where practice_id = ?1 and email like ?2 escape '\\')
          order by last_name collate nocase, first_name collate nocase, id`,
    args: [practiceId, prefix],
  })
  return { total: rows.rows.length, ids: rows.rows.slice((page - 1) * 25, page * 25).map((row) => String(row.id)) }
}

describe('the Staffs Search at 100,000 staff', () => {
  it.each(['mar', 'maria smi', 'mary ann s', 'maria.okafor.7', 'p333@', '%', 'ÉLO'])(
    'answers %j from indexes, with no full scan',
    async (q) => {
      const { statements } = await statementsOf(q)
      expect(statements).toHaveLength(2)
      for (const statement of statements) {
        const plan = await planOf(statement)
        const text = plan.join('\n')
        // A full scan of staff, or a walk of every staff row of the practice.
        expect(text, text).not.toMatch(/\bSCAN staff\b/)
        expect(text, text).not.toMatch(/SEARCH staff USING (COVERING )?INDEX \w+ \(practice_id=\?\)$/m)
        expect(text, text).not.toMatch(/\bSCAN staff_emails\b/)
        expect(text, text).toContain('MULTI-INDEX OR')
        expect(text).toMatch(
          /SEARCH staff USING INDEX staff_practice_first_name_idx \(practice_id=\? AND first_name>\? AND first_name<\?\)/,
        )
        expect(text).toMatch(/SEARCH staff USING INDEX staff_practice_name_idx \(practice_id=\? AND last_name>\? AND last_name<\?\)/)
        expect(text).toMatch(/SEARCH staff_emails USING INDEX staff_emails_practice_email_idx \(practice_id=\? AND email>\? AND email<\?\)/)
        // Credentials ("rbt") are a branch of their own, from their own index.
        expect(text).toMatch(
          /SEARCH staff USING INDEX staff_practice_credentials_idx \(practice_id=\? AND credentials>\? AND credentials<\?\)/,
        )
      }
    },
  )

  it.each(['mar', 'p333@'])('answers %j with a Status filter from the same indexes, the status checked per match', async (q) => {
    counter.reset()
    await listStaff({ db, clock: { now: () => now } }, { practiceId, q, page: 1, status: 'yet-to-sign-up' })
    const statements = counter.trips.flatMap((trip) => trip.statements)
    expect(statements).toHaveLength(2)
    for (const statement of statements) {
      const text = (await planOf(statement)).join('\n')
      expect(text, text).not.toMatch(/\bSCAN staff\b/)
      expect(text, text).not.toMatch(/SEARCH staff USING (COVERING )?INDEX \w+ \(practice_id=\?\)$/m)
      expect(text, text).toContain('MULTI-INDEX OR')
    }
  })

  it.each(['mar', 'a'])("selects the 25 ids of a search's page 1 first, then their columns (%j)", async (q) => {
    const { statements } = await statementsOf(q)
    const page = (await planOf(statements[0]!)).join('\n')
    // The per-row subqueries (primary email, pending invitation) run for the ids the sorted
    // LIMIT kept, not for every match.
    expect(page, page).toContain('SEARCH staff USING INDEX sqlite_autoindex_staff_1 (id=?)')
    expect(page, page).toContain('MULTI-INDEX OR')
  })

  it('reads only the 25 rows of a page, however deep, when there is no query', async () => {
    const { statements } = await statementsOf('', 2000)
    const page = (await planOf(statements[0]!)).join('\n')
    expect(page).toContain('SEARCH staff USING INDEX sqlite_autoindex_staff_1 (id=?)')
  })

  it('finds exactly what the LIKE search found, in the same order', { timeout: 120_000 }, async () => {
    for (const q of QUERIES) {
      const expected = await likeSearch(q)
      const { result } = await statementsOf(q)
      expect({ q, total: result.total }).toEqual({ q, total: expected.total })
      expect({ q, ids: result.rows.map((row) => row.id) }).toEqual({ q, ids: expected.ids })
    }
  })

  it('pages past the first the same way', { timeout: 60_000 }, async () => {
    for (const [q, page] of [
      ['mar', 3],
      ['mary', 2],
      ['smith1', 40],
      ['a', 101],
    ] as const) {
      const expected = await likeSearch(q, page)
      counter.reset()
      const result = await listStaff({ db, clock: { now: () => now } }, { practiceId, q, page })
      expect({ q, page, total: result.total, ids: result.rows.map((row) => row.id) }).toEqual({
        q,
        page,
        total: expected.total,
        ids: expected.ids,
      })
    }
    const all = await counter.client.execute({
      sql: 'select id from staff where practice_id = ? order by last_name collate nocase, first_name collate nocase, id limit 25 offset 2500',
      args: [practiceId],
    })
    const { result } = await statementsOf('', 101)
    expect(result.rows.map((row) => row.id)).toEqual(all.rows.map((row) => String(row.id)))
  })

  it('keeps another practice out', async () => {
    const { result } = await statementsOf('maria smith0')
    expect(result.rows.map((row) => row.id)).not.toContain('o1')
    const [other] = await db.select({ id: staff.id }).from(staff).where(eq(staff.id, 'o1'))
    expect(other).toBeDefined()
  })
})

describe('prefixUpperBound', () => {
  it('bounds a prefix by code point, and skips A-Z under NOCASE', () => {
    expect(prefixUpperBound('mar', true)).toBe('mas')
    expect(prefixUpperBound('at@', true)).toBe('at[')
    expect(prefixUpperBound('at@', false)).toBe('atA')
    expect(prefixUpperBound('z', true)).toBe('{')
    expect(prefixUpperBound('a\u{10ffff}', true)).toBe('b')
    expect(prefixUpperBound('\u{10ffff}', true)).toBeNull()
    expect(prefixUpperBound('a\ud7ff', false)).toBe('a\ue000')
    expect(prefixUpperBound('é', true)).toBe('ê')
  })
})
