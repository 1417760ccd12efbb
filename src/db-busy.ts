import type { Client, Transaction } from '@libsql/client'

/**
 * True when the database refused because another connection holds its write lock (SQLITE_BUSY,
 * or SQLITE_LOCKED within one connection), whether the error came from the embedded file or
 * from Turso over HTTP, and however deeply drizzle wrapped it.
 */
export function isDatabaseBusy(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { code, extendedCode } = current as { code?: unknown; extendedCode?: unknown }
    if ([code, extendedCode].some((value) => typeof value === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(value))) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

const OPERATIONS = new Set(['execute', 'batch', 'migrate', 'executeMultiple'])
const TRANSACTION_OPERATIONS = new Set(['execute', 'batch', 'executeMultiple', 'commit'])

/**
 * A libSQL client that throws away its connections after SQLITE_BUSY, so one failed write
 * cannot poison the ones after it.
 *
 * Why: in @libsql/client 0.18 over the `libsql` engine, a statement that fails with SQLITE_BUSY
 * is left unfinalized on its pooled connection. The pool rolls the transaction back, but the
 * connection still has "SQL statements in progress", so every later batch on it (reads
 * included: pages read in batches) fails at COMMIT with SQLITE_BUSY, until the process restarts
 * (tursodatabase/libsql-client-ts#352, tursodatabase/libsql-js#228). Closing the connections
 * finalizes those statements; `reconnect()` does that for the whole pool and opens fresh ones on
 * demand. Every other call on the embedded file runs synchronously, so none is cut short by it.
 */
export function discardConnectionsOnBusy(client: Client): Client {
  const recover = (error: unknown) => {
    if (isDatabaseBusy(error)) void client.reconnect()
    throw error
  }
  const wrapTransaction = (transaction: Transaction): Transaction =>
    new Proxy(transaction, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver)
        if (typeof value !== 'function') return value
        if (!TRANSACTION_OPERATIONS.has(String(name))) return value.bind(target)
        return (...args: unknown[]) =>
          (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).catch((error: unknown) => {
            if (isDatabaseBusy(error)) target.close()
            return recover(error)
          })
      },
    })
  return new Proxy(client, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver)
      if (typeof value !== 'function') return value
      if (name === 'transaction')
        return (...args: unknown[]) =>
          (value as (...a: unknown[]) => Promise<Transaction>).apply(target, args).then(wrapTransaction, recover)
      if (!OPERATIONS.has(String(name))) return value.bind(target)
      return (...args: unknown[]) => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).catch(recover)
    },
  })
}
