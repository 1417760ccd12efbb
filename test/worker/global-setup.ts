import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { TestProject } from 'vitest/node'
import { startHranaServer } from '../../scripts/hrana-server'
import { ADMIN_EMAIL, ADMIN_PASSWORD, PRACTICE_NAME } from './constants'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Node side of the worker tests: a libSQL endpoint (Hrana over HTTP, as Turso speaks it) over a
 * fresh file, migrated and given its first admin by `npm run db:migrate` exactly as ops do it.
 * Its URL and token reach the Worker as the TURSO_DATABASE_URL and TURSO_AUTH_TOKEN bindings.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'staff-portal-worker-'))
  const authToken = randomBytes(24).toString('base64url')
  const server = await startHranaServer({ file: join(dir, 'worker.db'), authToken })
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts'], {
    cwd: ROOT,
    env: { ...process.env, TURSO_DATABASE_URL: server.url, TURSO_AUTH_TOKEN: authToken, ADMIN_EMAIL, ADMIN_PASSWORD, PRACTICE_NAME },
  })
  if (!stdout.includes(`Created practice "${PRACTICE_NAME}"`)) throw new Error(`db:migrate did not create the practice:\n${stdout}`)
  project.provide('databaseUrl', server.url)
  project.provide('databaseToken', authToken)
  return async () => {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string
    databaseToken: string
  }
}
