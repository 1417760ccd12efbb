// npm run bench [-- --duration 5 --runs 3 --staff 10000 --accounts 5000 --json results.json
//                   --sql 'create index ...' --baseline ../other-checkout]
// npm run bench -- --distance 25      the Worker under wrangler dev, 25 ms each way from its database
//
// Seeds a temporary database, starts the real Node host as it runs in production (compiled:
// build/server.mjs), the bare equivalent of each page (scripts/bench/bare.ts) and a bare Hono
// "hello" app as child processes on loopback, and measures each page with autocannon on
// 2 connections per core, then the same page on the bare equivalent right after it. Prints a
// Markdown table of medians and the targets, met or not; docs/benchmarks.md explains it.
import { execFileSync, spawn, type SpawnOptions } from 'node:child_process'
import { request as httpRequest } from 'node:http'
import { closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { gunzipSync } from 'node:zlib'
import autocannon from 'autocannon'
import { createClient } from '@libsql/client'
import { hashPassword } from '../src/auth/password'
import { measureDistance } from './bench/distance'
import { logInForCookie, median } from './bench/measure'
import { seedBenchDatabase, type SeededPractice } from './bench/seed'
import { freePort } from './free-port'

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    staff: { type: 'string', default: '10000' },
    accounts: { type: 'string', default: '5000' },
    connections: { type: 'string' },
    json: { type: 'string' },
    // Extra SQL run on the seeded database before the host starts, e.g. to try an index.
    sql: { type: 'string', multiple: true },
    // Another checkout (e.g. of the last commit) to measure alongside, target by target.
    baseline: { type: 'string' },
    // Milliseconds of delay each way between the Worker and its database (the distance mode).
    distance: { type: 'string' },
    // Requests per page in the distance mode.
    samples: { type: 'string', default: '7' },
  },
})

const cores = availableParallelism()
const duration = Number(args.duration)
const warmup = Number(args.warmup)
const runs = Number(args.runs)
const connections = args.connections ? Number(args.connections) : 2 * cores

// ---------------------------------------------------------------- processes

const children: Child[] = []
// The children's output; removed on exit.
const LOG_DIR = mkdtempSync(join(tmpdir(), 'staff-portal-bench-log-'))
process.on('exit', () => rmSync(LOG_DIR, { recursive: true, force: true }))

interface Child {
  name: string
  pid: number
  url: string
  /** From spawning the process to its first answer to GET /login, ms. */
  startMs: number
  stop(): Promise<void>
  output(): string
}

/** A TypeScript file under tsx's loader, or (`shell`) a command line such as `npm start`'s, which execs its process. */
async function startChild(name: string, script: string, env: Record<string, string>, cwd = REPO_ROOT, shell = false): Promise<Child> {
  const port = await freePort()
  // Settings a developer's shell might carry would change what the host does (real mail, Turso).
  const { APP_URL, MAILCHANNELS_API_KEY, TURSO_DATABASE_URL, TURSO_AUTH_TOKEN, DATABASE_URL, ...inherited } = process.env
  // The child writes its output (the app's request log: a line per request) to a file, as it
  // would to a log collector that keeps up. A pipe to this process would be drained only when
  // autocannon, in this same process, lets the event loop go: at a few thousand lines a second
  // the pipe fills and the host blocks in its write, which measured the pipe, not the host.
  const logFile = join(LOG_DIR, `${name.replace(/\W+/g, '-')}.log`)
  const fd = openSync(logFile, 'w')
  const spawnedAt = performance.now()
  const options: SpawnOptions = { cwd, env: { ...inherited, ...env, HOST: '127.0.0.1', PORT: String(port) }, stdio: ['ignore', fd, fd] }
  const child = shell ? spawn('sh', ['-c', script], options) : spawn(process.execPath, ['--import', 'tsx', script], options)
  closeSync(fd)
  const output = () => readFileSync(logFile, 'utf8')
  let exitCode: number | null | undefined
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code
      resolve()
    }),
  )
  for (;;) {
    if (output().includes('listening on')) break
    if (exitCode !== undefined) throw new Error(`${name} exited early (code ${exitCode}):\n${output()}`)
    if (performance.now() - spawnedAt > 30_000) throw new Error(`${name} did not start within 30 s:\n${output()}`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
  const url = `http://127.0.0.1:${port}`
  // Listening is logged a moment before the first answer can come back: ask until it does.
  let answered = false
  while (!answered && performance.now() - spawnedAt < 30_000) {
    answered = await fetch(`${url}/login`).then(
      (response) => response.body?.cancel().then(() => true) ?? true,
      () => false,
    )
    if (!answered) await new Promise((resolve) => setTimeout(resolve, 5))
  }
  const handle: Child = {
    name,
    pid: child.pid!,
    url,
    startMs: performance.now() - spawnedAt,
    output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000)
        await exited
        clearTimeout(killer)
      }
    },
  }
  children.push(handle)
  return handle
}

/** Resident memory of a process from /proc, in MiB: now (VmRSS) and the peak so far (VmHWM). */
function memoryOf(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
    return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 }
  } catch {
    return null
  }
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

/** CPU time a process has used so far (user + system), in ms: a measure that other load on the machine barely moves. */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
  } catch {
    return NaN
  }
}

// ---------------------------------------------------------------- measuring

interface Target {
  name: string
  server: 'app' | 'hello' | 'bare'
  path: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  expect: number
}

interface Sample {
  rps: number
  p50: number
  p99: number
  errors: number
  requests: number
  /** The highest resident memory of the measured process seen during the run, MiB. */
  rss: number
  /** CPU time the measured process spent per answered request, ms. */
  cpu: number
}

async function measure(base: string, target: Target, seconds: number, pid: number): Promise<Sample> {
  let rss = 0
  const sampler = setInterval(() => (rss = Math.max(rss, memoryOf(pid)?.rss ?? 0)), 100)
  let result: autocannon.Result
  const cpuBefore = cpuOf(pid)
  try {
    result = await autocannon({
      url: `${base}${target.path}`,
      method: target.method ?? 'GET',
      headers: target.headers,
      body: target.body,
      connections,
      duration: seconds,
    })
  } finally {
    clearInterval(sampler)
  }
  const cpu = cpuOf(pid) - cpuBefore
  const answered = Object.values(result.statusCodeStats ?? {}).reduce((sum, s) => sum + (s.count ?? 0), 0)
  const expected = result.statusCodeStats?.[String(target.expect) as `${number}`]?.count ?? 0
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + (answered - expected),
    requests: answered,
    rss,
    cpu: answered > 0 ? cpu / answered : NaN,
  }
}

/** Raw scrypt: hashPassword (the app's parameters) on `parallel` concurrent hashes, per second. */
async function scryptRate(seconds: number, parallel: number, password: string): Promise<number> {
  const start = performance.now()
  const end = start + seconds * 1000
  let done = 0
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (performance.now() < end) {
        await hashPassword(password)
        done++
      }
    }),
  )
  return done / ((performance.now() - start) / 1000)
}

/** One response of the target, as a browser would get it: bytes on the wire and decoded. */
function weigh(base: string, target: Target): Promise<{ status: number; wire: number; bytes: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${base}${target.path}`, { method: target.method ?? 'GET', headers: target.headers }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('error', reject)
      response.on('end', () => {
        const body = Buffer.concat(chunks)
        const encoding = String(response.headers['content-encoding'] ?? 'identity')
        const bytes = encoding === 'gzip' ? gunzipSync(body).length : body.length
        resolve({ status: response.statusCode ?? 0, wire: body.length, bytes, encoding })
      })
    })
    request.on('error', reject)
    request.end(target.body)
  })
}

// ---------------------------------------------------------------- main

/** The pages to measure on one host, with that host's sessions and origin. */
async function targetsFor(host: Child, seed: SeededPractice): Promise<Target[]> {
  const adminCookie = await logInForCookie(host.url, seed.adminEmail, seed.password)
  const staffCookie = await logInForCookie(host.url, seed.staffEmail, seed.password)
  const targets: Target[] = [
    { name: 'login page', server: 'app', path: '/login', expect: 200 },
    { name: 'Staffs list, page 1', server: 'app', path: '/staff', headers: { Cookie: adminCookie }, expect: 200 },
    {
      name: 'Search partial (htmx)',
      server: 'app',
      path: '/staff?q=mar',
      headers: { Cookie: adminCookie, 'HX-Request': 'true' },
      expect: 200,
    },
    { name: 'Staff Portal tab', server: 'app', path: `/staff/${seed.portalStaffId}/portal`, headers: { Cookie: adminCookie }, expect: 200 },
    { name: 'portal home', server: 'app', path: '/portal', headers: { Cookie: staffCookie }, expect: 200 },
    {
      name: 'login POST',
      server: 'app',
      path: '/login',
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: host.url },
      body: new URLSearchParams({ email: seed.loginEmail, password: seed.password }).toString(),
      expect: 303,
    },
  ]
  // What a browser sends: pages may come back compressed, as they would to people.
  for (const target of targets) target.headers = { 'Accept-Encoding': 'gzip, deflate, br, zstd', ...target.headers }
  return targets
}

/** The app's targets, each with its bare equivalent (the same request sent to the bare server). */
const BARE_OF_APP = new Set(['login page', 'Staffs list, page 1', 'Search partial (htmx)', 'Staff Portal tab', 'portal home'])

const TARGET = { rps: 0.75, cpu: 1.35, searchOverList: 1.5, loginOverScrypt: 0.95, idleMiB: 100, peakMiB: 200, startMs: 1000 }

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'staff-portal-bench-'))
  const databaseFile = join(dir, 'bench.db')
  const databaseUrl = `file:${databaseFile}`
  try {
    console.log(`Seeding ${args.staff} staff (${args.accounts} with accounts) into ${databaseUrl} ...`)
    const seedStart = performance.now()
    const seed: SeededPractice = await seedBenchDatabase(databaseUrl, { staff: Number(args.staff), accounts: Number(args.accounts) })
    console.log(`Seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s: ${JSON.stringify(seed.rows)}`)
    // The baseline gets its own copy of the same rows, before any --sql.
    if (args.baseline) copyFileSync(databaseFile, join(dir, 'baseline.db'))

    for (const statement of args.sql ?? []) {
      console.log(`Running on the seeded database: ${statement}`)
      const client = createClient({ url: databaseUrl })
      await client.execute(statement)
      client.close()
    }

    if (args.distance !== undefined) {
      await measureDistance(databaseFile, seed, { delayMs: Number(args.distance), samples: Number(args.samples) })
      return
    }

    // The Node host as `npm start` runs it: compiled first, then node alone.
    execFileSync(process.execPath, ['scripts/build-server.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' })
    const hello = await startChild('hello', 'scripts/bench/hello.ts', {})
    const bare = await startChild('bare', 'scripts/bench/bare.ts', { DATABASE_URL: databaseUrl })
    // Exactly what `npm start` runs, less npm itself: its command execs node, so the pid is the server's.
    const startCommand = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts
      .start!
    const app = await startChild('Node host', startCommand, { DATABASE_URL: databaseUrl }, REPO_ROOT, true)
    const base = args.baseline
      ? await startChild('baseline host', 'src/server.ts', { DATABASE_URL: `file:${join(dir, 'baseline.db')}` }, resolve(args.baseline))
      : null
    const idle = memoryOf(app.pid)

    const ceiling: Target = {
      name: 'hello (ceiling)',
      server: 'hello',
      path: '/',
      headers: { 'Accept-Encoding': 'gzip, deflate, br, zstd' },
      expect: 200,
    }
    const targets = [ceiling, ...(await targetsFor(app, seed))]
    // The bare server checks the same sessions in the same database: the app's cookies work there.
    const bareTargets = targets.filter((t) => BARE_OF_APP.has(t.name)).map((t): Target => ({ ...t, server: 'bare' }))
    const baseTargets = base ? await targetsFor(base, seed) : []
    const hostOf = (target: Target) => (target.server === 'app' ? app : target.server === 'bare' ? bare : hello)

    const weights = new Map<string, Awaited<ReturnType<typeof weigh>>>()
    const bareWeights = new Map<string, Awaited<ReturnType<typeof weigh>>>()
    for (const [host, list, into] of [
      [null, targets, weights],
      [null, bareTargets, bareWeights],
      [base, baseTargets, null],
    ] as const)
      for (const target of list) {
        const weight = await weigh((host ?? hostOf(target)).url, target)
        if (weight.status !== target.expect)
          throw new Error(`${target.name} (${target.server}) answered ${weight.status}, expected ${target.expect}`)
        into?.set(target.name, weight)
      }

    console.log(`Warming up (${warmup} s each) ...`)
    for (const target of [...targets, ...bareTargets]) await measure(hostOf(target).url, target, warmup, hostOf(target).pid)
    for (const target of baseTargets) await measure(base!.url, target, warmup, base!.pid)

    const samples = new Map<string, Sample[]>(targets.map((t) => [t.name, []]))
    const bareSamples = new Map<string, Sample[]>(bareTargets.map((t) => [t.name, []]))
    const baseSamples = new Map<string, Sample[]>(baseTargets.map((t) => [t.name, []]))
    const scrypt: number[] = []
    const report = (run: number, label: string, sample: Sample) =>
      console.log(
        `run ${run}/${runs}  ${label.padEnd(33)} ${sample.rps.toFixed(0).padStart(7)} req/s  p50 ${sample.p50} ms  p99 ${sample.p99} ms  CPU ${sample.cpu.toFixed(3)} ms/req  errors ${sample.errors}`,
      )
    for (let run = 1; run <= runs; run++) {
      for (const target of targets) {
        const sample = await measure(hostOf(target).url, target, duration, hostOf(target).pid)
        samples.get(target.name)!.push(sample)
        report(run, target.name, sample)
        // Its bare equivalent right after: the same machine load, as near as can be.
        const twin = bareTargets.find((t) => t.name === target.name)
        if (twin) {
          const bareSample = await measure(bare.url, twin, duration, bare.pid)
          bareSamples.get(twin.name)!.push(bareSample)
          report(run, `${twin.name} (bare)`, bareSample)
        }
        // With --baseline, the same target on the other checkout right after: same conditions.
        const other = baseTargets.find((t) => t.name === target.name)
        if (other) {
          const baseSample = await measure(base!.url, other, duration, base!.pid)
          baseSamples.get(other.name)!.push(baseSample)
          report(run, `${other.name} (baseline)`, baseSample)
        }
      }
      const rate = await scryptRate(duration, cores, seed.password)
      scrypt.push(rate)
      console.log(`run ${run}/${runs}  raw scrypt (${cores} parallel)   ${rate.toFixed(2)} hashes/s`)
    }
    const loaded = memoryOf(app.pid)

    const helloRps = samples.get(ceiling.name)!.map((s) => s.rps)
    const summarize = (list: Sample[]) => ({
      rps: median(list.map((s) => s.rps)),
      p50: median(list.map((s) => s.p50)),
      p99: median(list.map((s) => s.p99)),
      errors: list.reduce((sum, s) => sum + s.errors, 0),
      requests: list.reduce((sum, s) => sum + s.requests, 0),
      // The ratio of each run to the ceiling measured in the same run, then the median.
      ratio: median(list.map((s, i) => s.rps / helloRps[i]!)),
      rss: Math.max(...list.map((s) => s.rss)),
      cpu: median(list.map((s) => s.cpu)),
    })
    /** Per run, `list` over `other` measured right after it; then the median. */
    const pairedRatio = (list: Sample[], other: Sample[], of: (s: Sample) => number) => median(list.map((s, i) => of(s) / of(other[i]!)))
    const rows = targets.map((target) => {
      const weight = weights.get(target.name)!
      const list = samples.get(target.name)!
      const baseList = baseSamples.get(target.name)
      const bareList = bareSamples.get(target.name)
      return {
        name: target.name,
        path: `${target.method ?? 'GET'} ${target.path.replace(seed.portalStaffId, ':id')}`,
        ...summarize(list),
        bare: bareList ? { ...summarize(bareList), bytes: bareWeights.get(target.name)!.bytes } : null,
        vsBare: bareList ? pairedRatio(list, bareList, (s) => s.rps) : null,
        cpuVsBare: bareList ? pairedRatio(list, bareList, (s) => s.cpu) : null,
        baseline: baseList ? summarize(baseList) : null,
        speedup: baseList ? pairedRatio(list, baseList, (s) => s.rps) : null,
        cpuRatio: baseList ? pairedRatio(list, baseList, (s) => s.cpu) : null,
        bytes: weight.bytes,
        wire: weight.wire,
        encoding: weight.encoding,
      }
    })
    const scryptMedian = median(scrypt)
    const login = rows.find((r) => r.name === 'login POST')!
    const loginVsScrypt = median(samples.get('login POST')!.map((s, i) => s.rps / scrypt[i]!))
    const list = rows.find((r) => r.name === 'Staffs list, page 1')!
    const search = rows.find((r) => r.name === 'Search partial (htmx)')!

    const met = (ok: boolean) => (ok ? 'met' : '**not met**')
    const pct = (ratio: number) => `${(ratio * 100).toFixed(0)}%`
    const verdicts = [
      ...rows
        .filter((r) => r.vsBare !== null)
        .map(
          (r) =>
            `| ${r.name}: ≥ ${pct(TARGET.rps)} of bare req/s, CPU ≤ ${TARGET.cpu}× bare | ${pct(r.vsBare!)} of bare, CPU ${r.cpuVsBare!.toFixed(2)}× (${r.cpu.toFixed(2)} against ${r.bare!.cpu.toFixed(2)} ms) | ${met(r.vsBare! >= TARGET.rps && r.cpuVsBare! <= TARGET.cpu)} |`,
        ),
      `| Search partial CPU ≤ ${TARGET.searchOverList}× the list page's | ${(search.cpu / list.cpu).toFixed(2)}× (${search.cpu.toFixed(2)} against ${list.cpu.toFixed(2)} ms) | ${met(search.cpu / list.cpu <= TARGET.searchOverList)} |`,
      `| login POST ≥ ${pct(TARGET.loginOverScrypt)} of raw scrypt | ${pct(loginVsScrypt)} (${login.rps.toFixed(2)} against ${scryptMedian.toFixed(2)} hashes/s) | ${met(loginVsScrypt >= TARGET.loginOverScrypt)} |`,
      `| Node host idle RSS ≤ ${TARGET.idleMiB} MiB | ${idle?.rss.toFixed(0)} MiB | ${met((idle?.rss ?? Infinity) <= TARGET.idleMiB)} |`,
      `| Node host peak RSS under the bench ≤ ${TARGET.peakMiB} MiB | ${loaded?.peak.toFixed(0)} MiB (VmHWM) | ${met((loaded?.peak ?? Infinity) <= TARGET.peakMiB)} |`,
      `| Node host start to first answer ≤ ${TARGET.startMs} ms | ${app.startMs.toFixed(0)} ms | ${met(app.startMs <= TARGET.startMs)} |`,
      `| zero errors | ${rows.reduce((sum, r) => sum + r.errors + (r.bare?.errors ?? 0), 0)} | ${met(rows.every((r) => r.errors === 0 && (r.bare?.errors ?? 0) === 0))} |`,
    ]

    const cpu = cpus()[0]?.model ?? 'unknown CPU'
    const withBase = base !== null
    const lines = [
      `Machine: ${cores} cores (${cpu}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} at the end`,
      `Data: ${JSON.stringify(seed.rows)}`,
      `autocannon: ${connections} connections, ${duration} s per target, ${runs} runs (after a ${warmup} s warm-up); medians; Accept-Encoding as a browser sends it`,
      `Node host: as npm start runs it, one process: ${startCommand}`,
      ...(args.sql ?? []).map((statement) => `Extra SQL on the seeded database: ${statement}`),
      ...(withBase ? [`Baseline: ${resolve(args.baseline!)}, measured right after each target on a copy of the same rows`] : []),
      '',
      `| target | request | req/s | p50 ms | p99 ms | errors | CPU ms/req | bare req/s | bare CPU ms/req | vs bare | CPU vs bare | vs hello | RSS MiB | body bytes (bare) | on the wire |${withBase ? ' baseline req/s | baseline CPU ms/req | req/s vs baseline | CPU vs baseline |' : ''}`,
      `| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |${withBase ? ' ---: | ---: | ---: | ---: |' : ''}`,
      ...rows.map(
        (r) =>
          `| ${r.name} | \`${r.path}\` | ${r.rps.toFixed(r.rps < 100 ? 1 : 0)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.cpu.toFixed(3)} | ${r.bare ? r.bare.rps.toFixed(0) : ''} | ${r.bare ? r.bare.cpu.toFixed(3) : ''} | ${r.vsBare === null ? '' : pct(r.vsBare)} | ${r.cpuVsBare === null ? '' : `${r.cpuVsBare.toFixed(2)}×`} | ${(r.ratio * 100).toFixed(1)}% | ${r.rss.toFixed(0)} | ${r.bytes}${r.bare ? ` (${r.bare.bytes})` : ''} | ${r.wire}${r.encoding === 'identity' ? '' : ` ${r.encoding}`} |` +
          (withBase
            ? r.baseline
              ? ` ${r.baseline.rps.toFixed(0)} | ${r.baseline.cpu.toFixed(3)} | ${r.speedup!.toFixed(2)}× | ${r.cpuRatio!.toFixed(2)}× |`
              : ' | | | |'
            : ''),
      ),
      '',
      `Raw scrypt (hashPassword, N=2^14 r=8 p=5, ${cores} in parallel): ${scryptMedian.toFixed(2)} hashes/s (runs: ${scrypt.map((r) => r.toFixed(2)).join(', ')})`,
      `login POST: ${login.rps.toFixed(2)} req/s = ${(loginVsScrypt * 100).toFixed(1)}% of raw scrypt`,
      `Node host RSS: ${idle?.rss.toFixed(0)} MiB idle after start, ${loaded?.rss.toFixed(0)} MiB after the runs, peak ${loaded?.peak.toFixed(0)} MiB (VmHWM); first answer ${app.startMs.toFixed(0)} ms after spawning`,
      '',
      '| target | measured | |',
      '| --- | --- | --- |',
      ...verdicts,
    ]
    console.log(`\n${lines.join('\n')}\n`)
    if (args.json)
      writeFileSync(
        args.json,
        JSON.stringify(
          {
            cores,
            cpu,
            node: process.version,
            connections,
            duration,
            runs,
            seed: seed.rows,
            rows,
            scrypt,
            loginVsScrypt,
            memory: { idle, loaded },
            startMs: app.startMs,
            samples: Object.fromEntries(samples),
            bareSamples: Object.fromEntries(bareSamples),
            baselineSamples: Object.fromEntries(baseSamples),
          },
          null,
          2,
        ),
      )
    const errors = rows.reduce((sum, r) => sum + r.errors + (r.bare?.errors ?? 0) + (r.baseline?.errors ?? 0), 0)
    if (errors > 0) {
      console.error(`${errors} requests failed or answered an unexpected status.`)
      process.exitCode = 1
    }
  } finally {
    for (const child of children.splice(0)) await child.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

const abort = () => {
  for (const child of children) void child.stop()
  process.exit(130)
}
process.on('SIGINT', abort)
process.on('SIGTERM', abort)

main().catch(async (error) => {
  console.error(error)
  for (const child of children.splice(0)) {
    console.error(`--- ${child.name} output ---\n${child.output()}`)
    await child.stop()
  }
  process.exit(1)
})
