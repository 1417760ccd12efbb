import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient, LibsqlError, type Client } from '@libsql/client/web'
import { count, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, practices } from '../db/schema'
import { parseConfig } from '../src/config'
import { createDatabase } from '../src/db'
import { migrateDatabase } from '../src/migrate'
import { ensureFirstPractice } from '../src/practice/bootstrap'
import { ADMIN_PASSWORD } from './support/app'
import { TestClock } from './support/clock'
import { startHranaServer, type HranaServer } from '../scripts/hrana-server'

// The local libSQL endpoint, checked with the very client the Worker uses (@libsql/client/web,
// Hrana over HTTP) so that what passes here is what the Worker tests and `dev:worker` rely on.
const TOKEN = 'test-token-not-a-secret'
let dir: string
let server: HranaServer
let client: Client

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'staff-portal-hrana-'))
  server = await startHranaServer({ file: join(dir, 'hrana.db'), authToken: TOKEN })
  client = createClient({ url: server.url, authToken: TOKEN, intMode: 'bigint' })
  await client.executeMultiple(`
    create table notes (id integer primary key, title text not null unique, body text, score real, data blob, n integer);
    create table pairs (a integer not null, b text);
  `)
})
afterAll(async () => {
  client.close()
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('execute', () => {
  it('runs statements with positional and named arguments, with counts, row ids and declared types', async () => {
    const inserted = await client.execute({ sql: 'insert into notes (title, body) values (?, ?)', args: ['first', 'hello'] })
    expect(inserted.rowsAffected).toBe(1)
    expect(inserted.lastInsertRowid).toBe(1n)
    const named = await client.execute({
      sql: 'insert into notes (title, body) values (:title, $body)',
      args: { title: 'second', body: 'world' },
    })
    expect(named.lastInsertRowid).toBe(2n)

    const rows = await client.execute('select id, title, body from notes order by id')
    expect(rows.columns).toEqual(['id', 'title', 'body'])
    expect(rows.columnTypes).toEqual(['INTEGER', 'TEXT', 'TEXT'])
    expect(rows.rows.map((r) => [r.id, r.title, r.body])).toEqual([
      [1n, 'first', 'hello'],
      [2n, 'second', 'world'],
    ])
  })

  it('counts the rows an UPDATE ... RETURNING changed, and none for a plain SELECT', async () => {
    const updated = await client.execute({ sql: 'update notes set body = upper(body) where id <= ? returning id, body', args: [2] })
    expect(updated.rows.map((r) => r.body)).toEqual(['HELLO', 'WORLD'])
    expect(updated.rowsAffected).toBe(2)
    expect((await client.execute('select * from notes')).rowsAffected).toBe(0)
  })

  it('round-trips integers beyond 2^53, floats, text, blobs and nulls', async () => {
    const big = 2n ** 62n + 7n
    const blob = new Uint8Array([0, 1, 2, 250, 255])
    await client.execute({
      sql: 'insert into notes (title, body, score, data, n) values (?, ?, ?, ?, ?)',
      args: ['values', 'Zoë ✓ 漢字', 2.5, blob, big],
    })
    await client.execute({
      sql: 'insert into notes (title, body, score, data, n) values (?, ?, ?, ?, ?)',
      args: ['nulls', null, null, null, -1n],
    })
    const { rows } = await client.execute({
      sql: 'select body, score, data, n, typeof(score) as t from notes where title in (?, ?) order by title desc',
      args: ['values', 'nulls'],
    })
    expect(rows[0]!.body).toBe('Zoë ✓ 漢字')
    expect(rows[0]!.score).toBe(2.5)
    expect(rows[0]!.t).toBe('real')
    expect(new Uint8Array(rows[0]!.data as ArrayBuffer)).toEqual(blob)
    expect(rows[0]!.n).toBe(big)
    expect([rows[1]!.body, rows[1]!.score, rows[1]!.data, rows[1]!.n]).toEqual([null, null, null, -1n])
  })

  it('reports SQLite errors with their code and keeps serving', async () => {
    const duplicate = client.execute({ sql: 'insert into notes (title) values (?)', args: ['first'] })
    await expect(duplicate).rejects.toBeInstanceOf(LibsqlError)
    await expect(duplicate).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT',
      message: expect.stringContaining('UNIQUE constraint failed: notes.title'),
    })
    await expect(client.execute('selec nonsense')).rejects.toMatchObject({ code: 'SQLITE_ERROR' })
    expect((await client.execute('select count(*) as c from notes')).rows[0]!.c).toBe(4n)
  })
})

describe('batch', () => {
  it('applies every statement together', async () => {
    const results = await client.batch(
      [
        { sql: 'insert into pairs (a, b) values (?, ?)', args: [1, 'one'] },
        { sql: 'insert into pairs (a, b) values (?, ?)', args: [2, 'two'] },
        'select count(*) as c from pairs',
      ],
      'write',
    )
    expect(results.map((r) => r.rowsAffected)).toEqual([1, 1, 0])
    expect(results[2]!.rows[0]!.c).toBe(2n)
  })

  it('is atomic: a failing step rolls back the steps before it', async () => {
    const failing = client.batch(
      [
        { sql: 'insert into pairs (a, b) values (?, ?)', args: [3, 'three'] },
        { sql: 'insert into pairs (a, b) values (?, ?)', args: [null, 'no a'] },
        { sql: 'insert into pairs (a, b) values (?, ?)', args: [4, 'four'] },
      ],
      'write',
    )
    await expect(failing).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' })
    const { rows } = await client.execute('select a from pairs order by a')
    expect(rows.map((r) => r.a)).toEqual([1n, 2n])
    expect(server.openStreams()).toBe(0)
  })
})

describe('interactive transactions (a stream kept open with a baton)', () => {
  it('commits', async () => {
    const tx = await client.transaction('write')
    await tx.execute({ sql: 'insert into pairs (a, b) values (?, ?)', args: [10, 'ten'] })
    expect((await tx.execute('select count(*) as c from pairs where a = 10')).rows[0]!.c).toBe(1n)
    expect(server.openStreams()).toBe(1)
    await tx.commit()
    expect(server.openStreams()).toBe(0)
    expect((await client.execute('select b from pairs where a = 10')).rows[0]!.b).toBe('ten')
  })

  it('rolls back', async () => {
    const tx = await client.transaction('write')
    await tx.execute({ sql: 'insert into pairs (a, b) values (?, ?)', args: [11, 'eleven'] })
    await tx.execute({ sql: 'delete from pairs where a = ?', args: [1] })
    await tx.rollback()
    const { rows } = await client.execute('select a from pairs order by a')
    expect(rows.map((r) => r.a)).toEqual([1n, 2n, 10n])
  })

  it('keeps other streams waiting until the transaction ends, so they never see half of it', async () => {
    const tx = await client.transaction('write')
    await tx.execute({ sql: 'insert into pairs (a, b) values (?, ?)', args: [12, 'twelve'] })
    const outside = client.execute('select count(*) as c from pairs where a = 12')
    await new Promise((resolve) => setTimeout(resolve, 50))
    await tx.commit()
    expect((await outside).rows[0]!.c).toBe(1n)
  })

  /** A second server on its own file, with short limits, so the waits below stay short. */
  async function impatientServer(limits: { streamIdleMs?: number; lockTimeoutMs?: number }) {
    const other = await startHranaServer({ file: join(dir, `impatient-${Math.random()}.db`), ...limits })
    const otherClient = createClient({ url: other.url, intMode: 'bigint' })
    await otherClient.execute('create table t (a integer)')
    return { other, otherClient }
  }

  it('answers "database is locked" when a transaction holds the database too long, like SQLite', async () => {
    const { other, otherClient } = await impatientServer({ lockTimeoutMs: 200 })
    const tx = await otherClient.transaction('write')
    await tx.execute({ sql: 'insert into t (a) values (?)', args: [13] })
    await expect(otherClient.execute('select 1')).rejects.toMatchObject({ message: expect.stringContaining('database is locked') })
    await tx.rollback()
    expect((await otherClient.execute('select count(*) as c from t')).rows[0]!.c).toBe(0n)
    otherClient.close()
    await other.close()
  })

  it('rolls back a stream left idle and refuses its baton afterwards', async () => {
    const { other, otherClient } = await impatientServer({ streamIdleMs: 200 })
    const tx = await otherClient.transaction('write')
    await tx.execute({ sql: 'insert into t (a) values (?)', args: [14] })
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(other.openStreams()).toBe(0)
    await expect(tx.execute('select 1')).rejects.toMatchObject({ message: expect.stringContaining('baton is not valid') })
    tx.close()
    expect((await otherClient.execute('select count(*) as c from t')).rows[0]!.c).toBe(0n)
    otherClient.close()
    await other.close()
  })
})

describe('the wire protocol', () => {
  const post = (body: unknown, token = TOKEN) =>
    fetch(`${server.url}/v2/pipeline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    })

  it('encodes values as Hrana does: integers as strings, blobs as base64', async () => {
    const response = await post({
      baton: null,
      requests: [
        {
          type: 'execute',
          stmt: {
            sql: 'select ? as i, ? as f, ? as t, ? as b, ? as n',
            args: [
              { type: 'integer', value: '9007199254740993' },
              { type: 'float', value: 0.5 },
              { type: 'text', value: 'x' },
              { type: 'blob', base64: 'AAH/' },
              { type: 'null' },
            ],
            want_rows: true,
          },
        },
        { type: 'close' },
      ],
    })
    expect(response.status).toBe(200)
    const body = (await response.json()) as {
      baton: string | null
      results: { type: string; response: { result: { rows: unknown[][] } } }[]
    }
    expect(body.baton).toBeNull()
    expect(body.results[0]!.response.result.rows[0]).toEqual([
      { type: 'integer', value: '9007199254740993' },
      { type: 'float', value: 0.5 },
      { type: 'text', value: 'x' },
      { type: 'blob', base64: 'AAH/' },
      { type: 'null' },
    ])
    expect(body.results[1]).toEqual({ type: 'ok', response: { type: 'close' } })
  })

  it('hands out a new baton with every answer and refuses a used one', async () => {
    const first = (await (await post({ baton: null, requests: [{ type: 'store_sql', sql_id: 1, sql: 'select 41 + 1' }] })).json()) as {
      baton: string
    }
    expect(first.baton).toEqual(expect.any(String))
    const second = (await (
      await post({ baton: first.baton, requests: [{ type: 'execute', stmt: { sql_id: 1, want_rows: true } }, { type: 'get_autocommit' }] })
    ).json()) as {
      baton: string
      results: { response: { result?: { rows: unknown[][] }; is_autocommit?: boolean } }[]
    }
    expect(second.results[0]!.response.result!.rows[0]).toEqual([{ type: 'integer', value: '42' }])
    expect(second.results[1]!.response.is_autocommit).toBe(true)
    expect(second.baton).not.toBe(first.baton)
    const stale = await post({ baton: first.baton, requests: [{ type: 'close' }] })
    expect(stale.status).toBe(400)
    expect(await stale.json()).toMatchObject({ code: 'STREAM_EXPIRED' })
    expect((await post({ baton: second.baton, requests: [{ type: 'close' }] })).status).toBe(200)
  })

  it('evaluates batch conditions and reports each step', async () => {
    const response = await post({
      baton: null,
      requests: [
        {
          type: 'batch',
          batch: {
            steps: [
              { stmt: { sql: 'select 1', want_rows: true } },
              { stmt: { sql: 'select nope', want_rows: true }, condition: { type: 'ok', step: 0 } },
              { stmt: { sql: 'select 3', want_rows: true }, condition: { type: 'ok', step: 1 } },
              {
                stmt: { sql: 'select 4', want_rows: true },
                condition: { type: 'and', conds: [{ type: 'error', step: 1 }, { type: 'is_autocommit' }] },
              },
            ],
          },
        },
        { type: 'close' },
      ],
    })
    const body = (await response.json()) as { results: { response: { result: { step_results: unknown[]; step_errors: unknown[] } } }[] }
    const { step_results, step_errors } = body.results[0]!.response.result
    expect(step_results.map((r) => r !== null)).toEqual([true, false, false, true])
    expect(step_errors.map((e) => e !== null)).toEqual([false, true, false, false])
  })

  it('answers the version probe on /v2 only and refuses requests without the token', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` }
    expect((await fetch(`${server.url}/v2`, { headers: auth })).status).toBe(200)
    expect((await fetch(`${server.url}/v3-protobuf`, { headers: auth })).status).toBe(404)
    expect((await post({ baton: null, requests: [] }, 'wrong')).status).toBe(401)
    const stranger = createClient({ url: server.url })
    await expect(stranger.execute('select 1')).rejects.toThrow(/401|Authentication/)
    stranger.close()
  })
})

describe('drizzle over it', () => {
  it('applies the migrations (twice, idempotently), bootstraps a practice and queries it', async () => {
    const remote = createClient({ url: server.url, authToken: TOKEN })
    const db = createDatabase(remote)
    await migrateDatabase(db)
    await migrateDatabase(db)
    const config = parseConfig({
      APP_URL: 'http://localhost',
      ADMIN_EMAIL: 'admin@hrana.test',
      ADMIN_PASSWORD,
      PRACTICE_NAME: 'Hrana Practice',
    })
    expect(await ensureFirstPractice({ db, clock: new TestClock(), config })).toMatchObject({ created: true })
    const [practice] = await db.select().from(practices)
    expect(practice).toMatchObject({ name: 'Hrana Practice', timeZone: 'America/New_York' })
    expect(practice!.createdAt).toEqual(new TestClock().now())
    const [admins] = await db.select({ n: count() }).from(accounts).where(eq(accounts.email, 'admin@hrana.test'))
    expect(admins!.n).toBe(1)
    // Foreign keys are enforced, as on Turso.
    await expect(
      db.insert(accounts).values({
        id: 'x',
        practiceId: 'missing',
        staffId: 'missing',
        email: 'x@hrana.test',
        passwordHash: 'x',
        passwordChangedAt: new Date(),
        createdAt: new Date(),
      }),
    ).rejects.toThrow()
    remote.close()
  })
})
