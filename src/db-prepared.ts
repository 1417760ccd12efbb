import { fillPlaceholders } from 'drizzle-orm'
import type { RunnableQuery } from 'drizzle-orm/runnable-query'
import type { Database } from './db'

// Reads that every request of a page makes are composed once per database: drizzle builds a
// select's SQL anew each time it runs, and on a page of a dozen small reads that cost more CPU
// than SQLite answering them (docs/benchmarks.md). The queries are written as usual, with
// `sql.placeholder(name)` where a request's values go; each use fills those in.

/** What a drizzle prepared select offers (drizzle-orm/sqlite-core/session.js, SQLitePreparedQuery). */
interface PreparedSelect {
  getQuery(): { sql: string; params: unknown[] }
  mapResult(response: unknown, isFromBatch?: boolean): unknown
  execute(values?: Record<string, unknown>): unknown
}

interface Preparable<R> {
  readonly _: { readonly result: R }
  prepare(): PreparedSelect
}

type Filled<T extends readonly Preparable<unknown>[]> = { [K in keyof T]: FilledRead<T[K]['_']['result']> }

/** One prepared read with this request's values: awaited alone, or an item of `db.batch`. */
export class FilledRead<R> implements RunnableQuery<R, 'sqlite'>, PromiseLike<R> {
  declare readonly _: { readonly dialect: 'sqlite'; readonly result: R }

  constructor(
    private readonly prepared: PreparedSelect,
    private readonly values: Record<string, unknown>,
  ) {}

  /** What `db.batch` asks of each item (drizzle-orm/libsql/session.js, batch): its statement, and how to read its rows. */
  _prepare() {
    const { prepared, values } = this
    const { sql, params } = prepared.getQuery()
    return {
      getQuery: () => ({ sql, params: fillPlaceholders(params, values) }),
      mapResult: (response: unknown, isFromBatch?: boolean) => prepared.mapResult(response, isFromBatch),
    }
  }

  then<A = R, B = never>(
    onFulfilled?: ((value: R) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ) {
    return Promise.resolve(this.prepared.execute(this.values) as Promise<R>).then(onFulfilled, onRejected)
  }
}

/**
 * Reads built by `build` on first use for each database, then only filled in: call the result
 * with the database and the placeholders' values to get the reads, in `build`'s order.
 */
export function preparedReads<T extends readonly Preparable<unknown>[]>(build: (db: Database) => T) {
  const built = new WeakMap<Database, PreparedSelect[]>()
  return (db: Database, values: Record<string, unknown>): Filled<T> => {
    let prepared = built.get(db)
    if (!prepared) built.set(db, (prepared = build(db).map((query) => query.prepare())))
    return prepared.map((query) => new FilledRead(query, values)) as unknown as Filled<T>
  }
}
