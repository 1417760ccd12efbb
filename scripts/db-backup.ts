// npm run db:backup [-- --out path/to/copy.db] — a consistent copy of the Node host's database
// file while the server runs: VACUUM INTO reads one snapshot (WAL lets the server go on writing)
// and writes a compact file. With DATABASE_ENCRYPTION_KEY the copy is encrypted with the same
// key. For Turso, use its point-in-time restore instead (docs/operations.md).
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { ConfigError, parseConfig } from '../src/config'
import { DatabaseOpenError, filePathOf, isFileUrl, openNodeDatabase } from '../src/node-database'

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' } } })
  const config = parseConfig(process.env, 'migrate-script')
  if (config.TURSO_DATABASE_URL || !isFileUrl(config.DATABASE_URL)) {
    console.error('db:backup copies a local database file. For Turso, use its point-in-time restore (docs/operations.md).')
    return 1
  }
  const source = filePathOf(config.DATABASE_URL)
  if (!existsSync(source)) {
    console.error(`No database file at ${source}.`)
    return 1
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const out = values.out ?? join(dirname(source), 'backups', `app-${stamp}.db`)
  if (existsSync(out)) {
    console.error(`${out} already exists: choose another --out. Nothing was written.`)
    return 1
  }
  mkdirSync(dirname(out), { recursive: true })
  const { client } = await openNodeDatabase(config)
  try {
    await client.execute({ sql: 'VACUUM INTO ?', args: [out] })
  } finally {
    client.close()
  }
  console.log(`Backed up ${source} to ${out}${config.DATABASE_ENCRYPTION_KEY ? ' (encrypted with DATABASE_ENCRYPTION_KEY)' : ''}.`)
  return 0
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof DatabaseOpenError
    console.error(
      known
        ? error.message
        : `db:backup failed: ${error instanceof Error ? `${error.name} ${String((error as { code?: unknown }).code ?? '')}` : String(error)}`,
    )
    process.exitCode = 1
  },
)
