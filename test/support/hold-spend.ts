import type { Client } from '@libsql/client'

/**
 * A libSQL client whose next batch that spends a recovery code can be held back before it reaches
 * the database: a test lets other requests through in the meantime, then releases it, to see what
 * that batch does with the database as they left it.
 */
export function holdingSpends() {
  let hold: { reached: () => void; released: Promise<void> } | null = null
  const wrap = (client: Client): Client =>
    new Proxy(client, {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown
        if (typeof value !== 'function') return value
        if (property !== 'batch') return value.bind(target)
        return async (...args: Parameters<Client['batch']>) => {
          const sqlOf = (st: Parameters<Client['batch']>[0][number]) => (typeof st === 'string' ? st : Array.isArray(st) ? st[0] : st.sql)
          if (hold && args[0].some((st) => sqlOf(st).startsWith('update "recovery_codes"'))) {
            const held = hold
            hold = null
            held.reached()
            await held.released
          }
          return (value as Client['batch']).apply(target, args)
        }
      },
    })
  /** Holds the next such batch: `atBatch` resolves when it is held, `release` lets it go on. */
  const holdNext = () => {
    let reached!: () => void
    let release!: () => void
    const atBatch = new Promise<void>((resolve) => (reached = resolve))
    hold = { reached, released: new Promise<void>((resolve) => (release = resolve)) }
    return { atBatch, release }
  }
  return { wrap, holdNext }
}
