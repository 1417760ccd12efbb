// Opening the database from Node (the host and the scripts): the embedded libSQL file, tuned for
// one box, or a remote libSQL server. Node-only (file system); the Worker has its own in worker.ts.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { createClient, type Client } from '@libsql/client'
import type { Config } from './config'
import { createDatabase, type Database } from './db'
import { discardConnectionsOnBusy } from './db-busy'

export interface OpenedDatabase {
  client: Client
  db: Database
  url: string
}

/** Start-up refused for a reason the operator must fix; the message names it, never a secret. */
export class DatabaseOpenError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DatabaseOpenError'
  }
}

export const isFileUrl = (url: string) => url.startsWith('file:')
export const filePathOf = (url: string) => url.slice('file:'.length).replace(/^\/\/(localhost)?(?=\/)/, '')

/**
 * Opens `url` (the config's DATABASE_URL unless the caller says otherwise). A local file gets:
 * - WAL, so readers go on while someone else writes (persistent in the file);
 * - a busy timeout (DATABASE_BUSY_TIMEOUT_MS), so a write waits for another process's write
 *   (the CLI, a backup) instead of failing at once. The wait is synchronous: the whole process
 *   waits, which is fine for the milliseconds another writer normally holds the lock;
 * - DATABASE_ENCRYPTION_KEY, when set (AES, libSQL's own encryption at rest);
 * - connections thrown away after SQLITE_BUSY (src/db-busy.ts), so a failed write leaves the
 *   next ones working.
 * A key that does not open the file, or a missing key for an encrypted one, is a
 * DatabaseOpenError before anything is written.
 */
export async function openNodeDatabase(config: Config, url: string = config.DATABASE_URL): Promise<OpenedDatabase> {
  if (!isFileUrl(url)) {
    const client = createClient({ url, authToken: config.TURSO_AUTH_TOKEN })
    return { client, db: createDatabase(client), url }
  }
  mkdirSync(dirname(filePathOf(url)), { recursive: true })
  const raw = createClient({ url, timeout: config.DATABASE_BUSY_TIMEOUT_MS, encryptionKey: config.DATABASE_ENCRYPTION_KEY })
  try {
    // The first statement that reads the file: a wrong key fails here, before any write.
    await raw.execute('SELECT count(*) FROM sqlite_master')
    await raw.execute('PRAGMA journal_mode=WAL')
  } catch (error) {
    raw.close()
    const code = (error as { code?: unknown }).code
    if (code === 'SQLITE_NOTADB')
      throw new DatabaseOpenError(
        config.DATABASE_ENCRYPTION_KEY
          ? `DATABASE_ENCRYPTION_KEY does not open ${filePathOf(url)}: the key is wrong, or the file is not encrypted yet (npm run db:encrypt encrypts it). Nothing was changed.`
          : `${filePathOf(url)} is encrypted: set DATABASE_ENCRYPTION_KEY to the key it was encrypted with. Nothing was changed.`,
      )
    throw error
  }
  const client = discardConnectionsOnBusy(raw)
  return { client, db: createDatabase(client), url }
}
