import { getTableColumns, sql, type SQL } from 'drizzle-orm'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { Database } from '../db'

/**
 * INSERT … SELECT of the given rows WHERE `onlyIf`: for a batch whose change may not apply, so
 * the rows are written in the same transaction iff it does (the condition is the change's own
 * guard, and the statement goes before the guarded write). Every column is given, in the table's
 * order, through the column's own encoding, as `values()` would write it.
 */
export function insertRowsWhere<T extends SQLiteTable>(db: Database, table: T, rows: T['$inferInsert'][], onlyIf: SQL) {
  const columns = Object.entries(getTableColumns(table))
  const tuples = rows.map(
    (row) =>
      sql`(${sql.join(
        columns.map(([key, column]) => {
          const value = (row as Record<string, unknown>)[key]
          return value === undefined || value === null ? sql`null` : sql.param(value, column)
        }),
        sql`, `,
      )})`,
  )
  return db.insert(table).select(sql`select * from (values ${sql.join(tuples, sql`, `)}) where ${onlyIf}`)
}
