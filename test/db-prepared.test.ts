// Reads built once and filled per request (src/db-prepared.ts): they answer what the same query
// builder answers, alone or inside db.batch beside ordinary statements, each use with its own
// values (nothing of one request's values reaches another's), and each database with its own
// statements.
import { asc, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { practices, staff } from '../db/schema'
import { preparedReads } from '../src/db-prepared'
import { addPractice, createTestApp, logIn, type TestApp } from './support/app'
import { addStaff } from './support/staff'

const namesIn = preparedReads(
  (db) =>
    [
      db
        .select({ firstName: staff.firstName, lastName: staff.lastName })
        .from(staff)
        .where(eq(staff.practiceId, sql.placeholder('practiceId')))
        .orderBy(asc(staff.lastName)),
      db
        .select({ name: practices.name })
        .from(practices)
        .where(eq(practices.id, sql.placeholder('practiceId'))),
    ] as const,
)

let t: TestApp
let other: TestApp
const practiceOf: Record<string, string> = {}

beforeAll(async () => {
  t = await createTestApp()
  other = await createTestApp()
  for (const [name, email] of [
    ['Harbor Therapy Group', 'admin@harbor.test'],
    ['Summit Speech', 'admin@summit.test'],
  ]) {
    await addPractice(t, name!, email!)
    const admin = await logIn(t, email!)
    await addStaff(admin, { firstName: 'Maya', lastName: name!.split(' ')[0]!, email1: `maya@${email!.split('@')[1]}` })
    const [row] = await t.db.select({ id: practices.id }).from(practices).where(eq(practices.name, name!))
    practiceOf[name!] = row!.id
  }
  await addPractice(other, 'Coastal OT', 'admin@coastal.test')
})
afterAll(async () => {
  await t.cleanup()
  await other.cleanup()
})

describe('prepared reads', () => {
  it('answer as the query builder does, awaited alone, with each call’s own values', async () => {
    for (const [name, id] of Object.entries(practiceOf)) {
      const [people, practice] = namesIn(t.db, { practiceId: id })
      const expected = await t.db
        .select({ firstName: staff.firstName, lastName: staff.lastName })
        .from(staff)
        .where(eq(staff.practiceId, id))
        .orderBy(asc(staff.lastName))
      expect(await people).toEqual(expected)
      expect(await practice).toEqual([{ name }])
    }
  })

  it('go in db.batch beside ordinary statements, in order, and interleaved calls keep their values apart', async () => {
    const harbor = namesIn(t.db, { practiceId: practiceOf['Harbor Therapy Group'] })
    const summit = namesIn(t.db, { practiceId: practiceOf['Summit Speech'] })
    const [count, harborPeople, summitPractice, harborPractice] = await t.db.batch([
      t.db.select({ n: sql<number>`count(*)` }).from(practices),
      harbor[0],
      summit[1],
      harbor[1],
    ])
    expect(count).toEqual([{ n: 2 }])
    expect(harborPeople.map((p) => p.lastName)).toContain('Harbor')
    expect(harborPeople.map((p) => p.lastName)).not.toContain('Summit')
    expect(summitPractice).toEqual([{ name: 'Summit Speech' }])
    expect(harborPractice).toEqual([{ name: 'Harbor Therapy Group' }])
  })

  it('are built for each database apart: another database answers from its own rows', async () => {
    const [, practice] = namesIn(other.db, { practiceId: practiceOf['Harbor Therapy Group'] })
    expect(await practice).toEqual([])
    const [row] = await other.db.select({ id: practices.id }).from(practices)
    const [, coastal] = namesIn(other.db, { practiceId: row!.id })
    expect(await coastal).toEqual([{ name: 'Coastal OT' }])
  })

  it('refuse to run with a value missing rather than run unfiltered', async () => {
    const [people] = namesIn(t.db, {})
    await expect(Promise.resolve(people)).rejects.toThrow(/placeholder "practiceId"/)
  })
})
