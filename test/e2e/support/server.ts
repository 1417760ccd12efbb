import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../../scripts/free-port'

export const ADMIN_EMAIL = 'admin@clinic.test'
export const ADMIN_PASSWORD = 'Tidal orchid lantern quiver 42'
export const PRACTICE_NAME = 'Harbor Therapy Group'

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const START_TIMEOUT_MS = 30_000

export interface RunningServer {
  url: string
  /** Everything the host printed so far; later suites scan it for secrets that must never be logged. */
  logs(): { stdout: string; stderr: string }
  stop(): Promise<void>
}

/** Runs the real Node host (src/server.ts) on its own port and its own fresh database file. */
export async function startServer(settings: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'staff-portal-e2e-'))
  // Settings a developer's shell might carry would change what the host does (real mail, another URL).
  const { APP_URL, MAILCHANNELS_API_KEY, TURSO_DATABASE_URL, TURSO_AUTH_TOKEN, ...inherited } = process.env
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...inherited,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${join(dir, 'app.db')}`,
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      // A real name, as a deployment gives it; a test of the name prompt sets these empty.
      ADMIN_FIRST_NAME: 'Dana',
      ADMIN_LAST_NAME: 'Reyes',
      PRACTICE_NAME,
      ...settings,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(killer)
    }
    rmSync(dir, { recursive: true, force: true })
  }

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening on" line within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS)
      const onData = () => {
        if (!stdout.includes('listening on')) return
        clearTimeout(timer)
        resolve()
      }
      child.stdout.on('data', onData)
      child.once('exit', (code, signal) => {
        clearTimeout(timer)
        reject(new Error(`the host exited early (code ${code}, signal ${signal})`))
      })
      child.once('error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
    })
  } catch (error) {
    await stop()
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`Could not start the Node host: ${reason}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`)
  }

  return { url: `http://127.0.0.1:${port}`, logs: () => ({ stdout, stderr }), stop }
}
