// The benchmark's bare equivalent (scripts/bench/bare.ts) is a fair ceiling only while it draws
// the same pages as the app: this serves one seeded database from both and compares the five
// measured pages byte for byte (the asset fingerprints aside), so a page that grows in the app
// without its bare copy fails here instead of flattering the app's ratio in `npm run bench`.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { logInForCookie } from '../scripts/bench/measure'
import { seedBenchDatabase, type SeededPractice } from '../scripts/bench/seed'
import { freePort } from '../scripts/free-port'

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url))

let dir: string
let seed: SeededPractice
const children: ChildProcess[] = []
const base = { app: '', bare: '' }
const cookies = { admin: '', staff: '' }

/** Starts a TypeScript entry on the seeded file and resolves with its address once it listens. */
async function start(entry: string, databaseUrl: string): Promise<string> {
  const port = await freePort()
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(APP_URL|MAILCHANNELS_|TURSO_|DATABASE_)/.test(name)),
  )
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: REPO_ROOT,
    env: { ...inherited, DATABASE_URL: databaseUrl, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let output = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  await new Promise<void>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
      if (output.includes('listening on')) resolve()
    })
    child.once('exit', (code) => reject(new Error(`${entry} exited (code ${code}):\n${output}`)))
  })
  return `http://127.0.0.1:${port}`
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'staff-portal-bench-bare-'))
  const databaseUrl = `file:${join(dir, 'bench.db')}`
  seed = await seedBenchDatabase(databaseUrl, { staff: 300, accounts: 60 })
  ;[base.app, base.bare] = await Promise.all([start('src/server.ts', databaseUrl), start('scripts/bench/bare.ts', databaseUrl)])
  // The bare equivalent only reads: both check the sessions the app's login form starts.
  cookies.admin = await logInForCookie(base.app, seed.adminEmail, seed.password)
  cookies.staff = await logInForCookie(base.app, seed.staffEmail, seed.password)
})

afterAll(() => {
  for (const child of children) child.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
})

const withoutFingerprints = (html: string) => html.replace(/\?v=[0-9a-f]{16}/g, '?v=…')

async function pageOf(server: 'app' | 'bare', path: string, headers: Record<string, string>) {
  const response = await fetch(`${base[server]}${path}`, { headers, redirect: 'manual' })
  return { status: response.status, vary: response.headers.get('Vary'), html: withoutFingerprints(await response.text()) }
}

describe('the bare equivalent of each measured page', () => {
  it.each([
    ['login page', () => '/login', () => ({})],
    ['Staffs list, page 1', () => '/staff', () => ({ Cookie: cookies.admin })],
    ['Search partial (htmx)', () => '/staff?q=mar', () => ({ Cookie: cookies.admin, 'HX-Request': 'true' })],
    ['Staff Portal tab', () => `/staff/${seed.portalStaffId}/portal`, () => ({ Cookie: cookies.admin })],
    ['portal home', () => '/portal', () => ({ Cookie: cookies.staff })],
  ])('draws the %s as the app does, byte for byte', async (_name, pathOf, headersOf) => {
    const [app, bare] = await Promise.all([pageOf('app', pathOf(), headersOf()), pageOf('bare', pathOf(), headersOf())])
    expect(app.status).toBe(200)
    expect(bare.status).toBe(200)
    expect(bare.vary).toBe(app.vary)
    // Line breaks between tags, so a difference reads as a diff of lines.
    expect(bare.html.replace(/></g, '>\n<')).toBe(app.html.replace(/></g, '>\n<'))
  })
})
