import type { Client, InStatement, Transaction } from '@libsql/client'

/** One call that goes to the database: over HTTP to Turso, each is a network round trip. */
export interface RoundTrip {
  method: string
  /** The SQL it carried (a batch carries several statements). */
  sql: string[]
  /** The statements as passed, arguments included (for EXPLAIN QUERY PLAN). */
  statements: InStatement[]
}

// Calls that reach the database. A transaction is interactive: opening it and each
// statement in it are separate trips (close() and the rest are local bookkeeping).
const CLIENT_CALLS = new Set(['execute', 'batch', 'executeMultiple', 'migrate', 'transaction'])
const TRANSACTION_CALLS = new Set(['execute', 'batch', 'executeMultiple', 'commit', 'rollback'])

const statementsOf = (argument: unknown): InStatement[] => {
  if (typeof argument === 'string') return [argument]
  if (Array.isArray(argument)) return argument.flatMap(statementsOf)
  if (argument && typeof argument === 'object' && 'sql' in argument) return [argument as InStatement]
  return []
}

function counting<T extends object>(target: T, calls: Set<string>, record: (trip: RoundTrip) => void, label = ''): T {
  return new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property, object) as unknown
      if (typeof value !== 'function') return value
      const name = String(property)
      if (!calls.has(name)) return value.bind(object)
      return (...args: unknown[]) => {
        const statements = statementsOf(args[0])
        record({ method: `${label}${name}`, sql: statements.map((st) => (typeof st === 'string' ? st : st.sql)), statements })
        const result = (value as (...a: unknown[]) => unknown).apply(object, args)
        if (name === 'transaction')
          return (result as Promise<Transaction>).then((tx) => counting(tx, TRANSACTION_CALLS, record, 'transaction.'))
        return result
      }
    },
  })
}

/** Wraps a libSQL client so every call that reaches the database is recorded. */
export function countRoundTrips(client: Client) {
  const trips: RoundTrip[] = []
  return {
    client: counting(client, CLIENT_CALLS, (trip) => trips.push(trip)),
    trips,
    reset: () => void trips.splice(0),
  }
}
