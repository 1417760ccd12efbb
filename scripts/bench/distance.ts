// The distance mode of `npm run bench -- --distance 25`: the Worker under `wrangler dev`,
// reaching the seeded database over libSQL's HTTP protocol (Hrana, as it reaches Turso) through
// a proxy that holds every request and every response back by a fixed delay. Each page and
// POST is timed at no distance and at the given one, with the database requests it waited for
// counted, and set against (round trips × RTT): on Workers, every trip to Turso is paid in full.
import { randomBytes } from 'node:crypto'
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createClient } from '@libsql/client'
import { startHranaServer } from '../hrana-server'
import { freePort } from '../free-port'
import { spawnWranglerDev } from '../wrangler-dev'
import { logInForCookie, median } from './measure'
import type { SeededPractice } from './seed'

// What the app allows a request to wait beyond its trips' worth (issue: round 2 of performance).
const ALLOWANCE_MS = 15

interface DelayProxy {
  url: string
  /** Requests answered so far, and requests started so far. */
  trips(): { started: number; answered: number }
  setDelay(ms: number): void
  close(): Promise<void>
}

/** An HTTP proxy that waits `delay` ms before passing each request on, and again before each response. */
async function startDelayProxy(target: string): Promise<DelayProxy> {
  let delay = 0
  let started = 0
  let answered = 0
  const upstream = new URL(target)
  const wait = () => new Promise((resolve) => setTimeout(resolve, delay))
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', async () => {
      if (req.url?.includes('/pipeline')) started++
      await wait()
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, host: upstream.host },
        },
        (response) => {
          const body: Buffer[] = []
          response.on('data', (chunk: Buffer) => body.push(chunk))
          response.on('end', async () => {
            await wait()
            if (req.url?.includes('/pipeline')) answered++
            res.writeHead(response.statusCode ?? 502, response.headers).end(Buffer.concat(body))
          })
        },
      )
      forward.on('error', () => res.writeHead(502).end())
      forward.end(Buffer.concat(chunks))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    trips: () => ({ started, answered }),
    setDelay: (ms) => (delay = ms),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

interface Probe {
  name: string
  method: 'GET' | 'POST'
  /** Built per request: a POST may need fresh values (a new staff member's address). */
  path: string
  headers?: Record<string, string>
  body?: () => string
  expect: number
}

export async function measureDistance(databaseFile: string, seed: SeededPractice, options: { delayMs: number; samples: number }) {
  const rtt = 2 * options.delayMs
  // Send Code is limited per address: each request asks for another account's code.
  const reader = createClient({ url: `file:${databaseFile}` })
  const { rows } = await reader.execute({
    sql: 'select email from accounts order by email limit ? offset 100',
    args: [4 * (options.samples + 1)],
  })
  reader.close()
  const addresses = rows.map((row) => String(row[0]))
  const authToken = randomBytes(24).toString('base64url')
  const database = await startHranaServer({ file: databaseFile, authToken })
  const proxy = await startDelayProxy(database.url)
  const port = await freePort()
  const appUrl = `http://127.0.0.1:${port}`
  let output = ''
  const wrangler = spawnWranglerDev({
    port,
    vars: { APP_URL: appUrl, TURSO_DATABASE_URL: proxy.url, TURSO_AUTH_TOKEN: authToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  wrangler.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  wrangler.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  const exited = new Promise<void>((resolve) => wrangler.once('exit', () => resolve()))
  try {
    console.log(`Starting the Worker under wrangler dev on ${appUrl}, its database ${options.delayMs} ms away each way ...`)
    const deadline = performance.now() + 90_000
    for (;;) {
      if (wrangler.exitCode !== null) throw new Error(`wrangler dev exited:\n${output}`)
      const ok = await fetch(`${appUrl}/login`).then(
        (r) => r.status === 200,
        () => false,
      )
      if (ok) break
      if (performance.now() > deadline) throw new Error(`wrangler dev did not answer within 90 s:\n${output}`)
      await new Promise((resolve) => setTimeout(resolve, 250))
    }

    const form = { 'Content-Type': 'application/x-www-form-urlencoded', Origin: appUrl }
    const logIn = (email: string) => logInForCookie(appUrl, email, seed.password)
    const admin = await logIn(seed.adminEmail)
    const staffCookie = await logIn(seed.staffEmail)
    let added = 0
    const probes: Probe[] = [
      { name: 'login page', method: 'GET', path: '/login', expect: 200 },
      { name: 'Staffs list, page 1', method: 'GET', path: '/staff', headers: { Cookie: admin }, expect: 200 },
      { name: 'Search partial (htmx)', method: 'GET', path: '/staff?q=mar', headers: { Cookie: admin, 'HX-Request': 'true' }, expect: 200 },
      { name: 'Staff Portal tab', method: 'GET', path: `/staff/${seed.portalStaffId}/portal`, headers: { Cookie: admin }, expect: 200 },
      { name: 'portal home', method: 'GET', path: '/portal', headers: { Cookie: staffCookie }, expect: 200 },
      {
        name: 'login POST',
        method: 'POST',
        path: '/login',
        headers: form,
        body: () => new URLSearchParams({ email: seed.loginEmail, password: seed.password }).toString(),
        expect: 303,
      },
      {
        name: 'Forgot Password (Send Code)',
        method: 'POST',
        path: '/forgot-password',
        headers: form,
        body: () => new URLSearchParams({ email: addresses.pop() ?? seed.staffEmail }).toString(),
        expect: 303,
      },
      {
        name: 'Add Staff (Save)',
        method: 'POST',
        path: '/staff',
        headers: { ...form, Cookie: admin },
        body: () =>
          new URLSearchParams({
            firstName: 'Distance',
            lastName: `Probe ${++added}`,
            credentials: '',
            phone: '',
            email1: `distance.probe.${added}.${Date.now()}@bench.test`,
            primaryEmail: '1',
            active: 'on',
          }).toString(),
        expect: 303,
      },
    ]

    /** One request: its wall time and the database trips it waited for (those answered before it was). */
    const time = async (probe: Probe) => {
      const before = proxy.trips().started
      const start = performance.now()
      const response = await fetch(`${appUrl}${probe.path}`, {
        method: probe.method,
        redirect: 'manual',
        headers: probe.headers,
        body: probe.body?.(),
      })
      await response.arrayBuffer()
      const wall = performance.now() - start
      const trips = proxy.trips().answered - before
      if (response.status !== probe.expect) throw new Error(`${probe.name} answered ${response.status}, expected ${probe.expect}`)
      // Work the Worker defers past its response (waitUntil: mail, the session touch) lands now.
      await new Promise((resolve) => setTimeout(resolve, 50 + rtt * 2))
      return { wall, trips }
    }

    const results = []
    for (const probe of probes) {
      const row: Record<number, { wall: number; trips: number }> = {}
      for (const delay of [0, options.delayMs]) {
        proxy.setDelay(delay)
        await time(probe) // warm: the isolate, its statement caches
        const timings = []
        for (let i = 0; i < options.samples; i++) timings.push(await time(probe))
        row[delay] = { wall: median(timings.map((t) => t.wall)), trips: median(timings.map((t) => t.trips)) }
      }
      const far = row[options.delayMs]!
      const near = row[0]!
      results.push({ name: probe.name, request: `${probe.method} ${probe.path.replace(seed.portalStaffId, ':id')}`, near, far })
      console.log(
        `${probe.name.padEnd(30)} trips ${far.trips}  wall ${near.wall.toFixed(1)} ms near, ${far.wall.toFixed(1)} ms at ${rtt} ms RTT (trips × RTT = ${far.trips * rtt} ms)`,
      )
    }

    const lines = [
      `Distance mode: the Worker under wrangler dev, its database over Hrana through a proxy adding ${options.delayMs} ms each way (RTT ${rtt} ms); ${options.samples} requests per page, medians; one request at a time.`,
      '',
      `| request | | DB round trips | wall, no delay (ms) | wall at ${rtt} ms RTT (ms) | trips × RTT (ms) | added by the distance (ms) | beyond the trips (ms) | within trips × RTT + ${ALLOWANCE_MS} ms? |`,
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
      ...results.map(
        (r) =>
          `| ${r.name} | \`${r.request}\` | ${r.far.trips} | ${r.near.wall.toFixed(1)} | ${r.far.wall.toFixed(1)} | ${r.far.trips * rtt} | ${(r.far.wall - r.near.wall).toFixed(1)} | ${(r.far.wall - r.far.trips * rtt).toFixed(1)} | ${r.far.wall - r.far.trips * rtt <= ALLOWANCE_MS ? 'yes' : `no (the work itself: ${r.near.wall.toFixed(0)} ms)`} |`,
      ),
    ]
    console.log(`\n${lines.join('\n')}\n`)
  } finally {
    if (wrangler.exitCode === null) {
      wrangler.kill('SIGTERM')
      const killer = setTimeout(() => wrangler.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(killer)
    }
    await proxy.close()
    await database.close()
  }
}
