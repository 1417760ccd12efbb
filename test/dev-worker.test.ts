import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD } from '../scripts/dev-worker'

// `npm run dev:worker` as a developer runs it: the local libSQL endpoint, migrations and the
// first admin, then `wrangler dev` serving the Worker (static assets included) against it.
const ROOT = fileURLToPath(new URL('..', import.meta.url))

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

let child: ChildProcess
let output = ''
let base: string
const dir = mkdtempSync(join(tmpdir(), 'staff-portal-dev-worker-'))

beforeAll(async () => {
  const [port, databasePort] = [await freePort(), await freePort()]
  base = `http://127.0.0.1:${port}`
  child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev-worker.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HRANA_PORT: String(databasePort),
      WORKER_DEV_DB: join(dir, 'worker-dev.db'),
      ADMIN_EMAIL: '',
      ADMIN_PASSWORD: '',
      CI: 'true',
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const deadline = Date.now() + 90_000
  while (!output.includes(`Ready on ${base}`)) {
    if (child.exitCode !== null) throw new Error(`dev:worker exited early (${child.exitCode}):\n${output}`)
    if (Date.now() > deadline) throw new Error(`dev:worker did not get ready:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}, 120_000)

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
  }
  rmSync(dir, { recursive: true, force: true })
})

describe('npm run dev:worker', () => {
  it('prints the URL and the admin credentials', () => {
    expect(output).toContain(`Staff Portal as a Worker: ${base}`)
    expect(output).toContain(`${DEV_ADMIN_EMAIL} / ${DEV_ADMIN_PASSWORD}`)
    expect(output).toContain('Migrations applied to http://127.0.0.1:')
  })

  it('serves pages and public/ under wrangler dev', async () => {
    const login = await fetch(`${base}/login`)
    expect(login.status).toBe(200)
    expect(await login.text()).toContain('>Log In</button>')
    const htmx = await fetch(`${base}/htmx.min.js`)
    expect(htmx.status).toBe(200)
    expect(htmx.headers.get('content-type')).toContain('javascript')
  })

  it('logs the printed admin in against the local database, and runs the cron handler on demand', async () => {
    const response = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: base },
      body: new URLSearchParams({ email: DEV_ADMIN_EMAIL, password: DEV_ADMIN_PASSWORD }),
    })
    expect(response.status).toBe(303)
    const cookie = response.headers.getSetCookie()[0]!.split(';')[0]!
    const staffs = await fetch(`${base}/staff`, { headers: { Cookie: cookie }, redirect: 'manual' })
    expect(staffs.status).toBe(200)
    expect(await staffs.text()).toContain('Add Staff')

    expect(await (await fetch(`${base}/__scheduled?cron=*/10+*+*+*+*`)).text()).toContain('Ran scheduled event')
    const deadline = Date.now() + 10_000
    while (!output.includes('"message":"maintenance done"') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100))
    expect(output).toContain('"message":"maintenance done"')
  })

  it('stops wrangler and the database endpoint on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    child.kill('SIGINT')
    expect(await exited).toBe(0)
    await expect(fetch(`${base}/login`)).rejects.toThrow()
  })
})
