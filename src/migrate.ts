import { fileURLToPath } from 'node:url'
import { migrate } from 'drizzle-orm/libsql/migrator'
import type { Database } from './db'

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../db/migrations', import.meta.url))

/** Applies the committed migrations; already-applied ones are skipped. */
export async function migrateDatabase(db: Database): Promise<void> {
  await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER })
}
