import type { Client } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import * as schema from '../db/schema'

export function createDatabase(client: Client) {
  return drizzle(client, { schema })
}

export type Database = ReturnType<typeof createDatabase>

/** Whether a write failed on a unique index: how two racing saves learn that the other won. */
export const isUniqueViolation = (error: unknown): boolean => {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (/UNIQUE constraint failed/.test(e.message)) return true
  return false
}
