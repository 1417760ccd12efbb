import type { Client } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import * as schema from '../db/schema'

export function createDatabase(client: Client) {
  return drizzle(client, { schema })
}

export type Database = ReturnType<typeof createDatabase>
