// npm run db:encrypt — encrypts the Node host's existing plaintext database file with
// DATABASE_ENCRYPTION_KEY. Stop the server first. Steps, each checked before the next:
//   1. the file opens without a key (it is plaintext);
//   2. VACUUM INTO <file>.encrypting makes a consistent copy, which PRAGMA rekey encrypts;
//   3. the copy opens with the key and every table has the same number of rows;
//   4. the plaintext file moves to <file>.plaintext and the copy takes its place.
// Nothing is overwritten before step 4; delete <file>.plaintext (shred -u) once the server starts.
import { existsSync, renameSync, rmSync } from 'node:fs'
import { createClient } from '@libsql/client'
import { ConfigError, parseConfig, type Config } from '../src/config'
import { DatabaseOpenError, filePathOf, isFileUrl, openNodeDatabase } from '../src/node-database'

async function tableCounts(config: Config, url: string): Promise<Record<string, number>> {
  const { client } = await openNodeDatabase(config, url)
  try {
    const tables = await client.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    const counts: Record<string, number> = {}
    for (const row of tables.rows) {
      const name = String(row[0])
      const { rows } = await client.execute(`SELECT count(*) FROM "${name.replace(/"/g, '""')}"`)
      counts[name] = Number(rows[0]![0])
    }
    return counts
  } finally {
    client.close()
  }
}

async function main(): Promise<number> {
  const config = parseConfig(process.env, 'migrate-script')
  const key = config.DATABASE_ENCRYPTION_KEY
  if (!key) {
    console.error('DATABASE_ENCRYPTION_KEY is missing: set the key to encrypt with (keep it in your secret store, not next to the file).')
    return 1
  }
  if (config.TURSO_DATABASE_URL || !isFileUrl(config.DATABASE_URL)) {
    console.error('db:encrypt works on a local database file (DATABASE_URL=file:...). Turso encrypts at rest on its side.')
    return 1
  }
  const file = filePathOf(config.DATABASE_URL)
  const staging = `${file}.encrypting`
  const plaintext = `${file}.plaintext`
  for (const path of [staging, plaintext])
    if (existsSync(path)) {
      console.error(`${path} exists from an earlier run: move it away first. Nothing was changed.`)
      return 1
    }
  if (!existsSync(file)) {
    console.error(`No database file at ${file}.`)
    return 1
  }

  const plain = { ...config, DATABASE_ENCRYPTION_KEY: undefined }
  let before: Record<string, number>
  try {
    before = await tableCounts(plain, config.DATABASE_URL)
  } catch (error) {
    if (error instanceof DatabaseOpenError) {
      console.error(`${file} does not open without a key: it is already encrypted. Nothing was changed.`)
      return 1
    }
    throw error
  }

  const { client } = await openNodeDatabase(plain)
  try {
    await client.execute({ sql: 'VACUUM INTO ?', args: [staging] })
  } finally {
    client.close()
  }
  // The same key derivation as the client's encryptionKey option (checked by opening it below).
  const copy = createClient({ url: `file:${staging}` })
  try {
    await copy.execute(`PRAGMA rekey = '${key.replace(/'/g, "''")}'`)
  } finally {
    copy.close()
  }

  const after = await tableCounts(config, `file:${staging}`).catch(() => null)
  if (!after || JSON.stringify(after) !== JSON.stringify(before)) {
    rmSync(staging, { force: true })
    console.error('The encrypted copy did not match the original, so it was deleted. Nothing was changed.')
    return 1
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${staging}${suffix}`, { force: true })
  renameSync(file, plaintext)
  for (const suffix of ['-wal', '-shm']) if (existsSync(`${file}${suffix}`)) renameSync(`${file}${suffix}`, `${plaintext}${suffix}`)
  renameSync(staging, file)
  console.log(
    `Encrypted ${file} with DATABASE_ENCRYPTION_KEY (${Object.keys(before).length} tables, rows checked).\n` +
      `The plaintext original is now ${plaintext}: delete it for good (e.g. shred -u ${plaintext}) once the server starts with the key.`,
  )
  return 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof DatabaseOpenError
    console.error(known ? error.message : `db:encrypt failed: ${error instanceof Error ? error.name : String(error)}. Nothing was changed.`)
    process.exitCode = 1
  },
)
