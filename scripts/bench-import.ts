// npm run bench:import [-- --runs 7 --rows 2000]
//
// How long Import Staff takes for a whole practice's spreadsheet: a fresh libSQL file per run
// (WAL, as the Node host opens it), the app in process, one admin signed in, then the request
// an admin's browser sends (multipart, the file attached) for Preview, Import, and Import with
// "Send invitations after import". Times the answer (parse, checks, the batch, the page), not the
// mail sent after it. Prints the median and the spread of each; docs/benchmarks.md keeps them.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createApp } from '../src/app'
import { systemClock } from '../src/clock'
import { parseConfig } from '../src/config'
import type { Logger } from '../src/deps'
import { createMailer } from '../src/mailer/create-mailer'
import { migrateDatabase } from '../src/migrate'
import { openNodeDatabase } from '../src/node-database'
import { ensureFirstPractice } from '../src/practice/bootstrap'

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '7' }, rows: { type: 'string', default: '2000' } } })
const runs = Number(args.runs)
const rowCount = Number(args.rows)
const ORIGIN = 'http://localhost'
const ADMIN = { email: 'admin@bench.test', password: 'Tidal orchid lantern quiver 42' }
const quiet: Logger = { info: () => {}, error: () => {} }

/** A spreadsheet like a practice's: credentials, a phone, a second address for one in five. */
function spreadsheet(rows: number) {
  const lines = ['First Name,Last Name,Credentials,Email,Email 2,Email 3,Phone,Access Level']
  for (let i = 0; i < rows; i++)
    lines.push(
      `Person${i},"Surname ${i}",${['RBT', 'BCBA', 'SLP', 'OT'][i % 4]},person${i}@bench.test,${i % 5 === 0 ? `home${i}@mail.test` : ''},,(555) 010-${String(i % 10000).padStart(4, '0')},`,
    )
  return `${lines.join('\r\n')}\r\n`
}

async function oneRun(csv: string, step: 'preview' | 'import', invite: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'staff-portal-bench-import-'))
  try {
    const config = parseConfig({ APP_URL: ORIGIN, DEVICE_COOKIE_SECRET: 'bench-device-cookie-secret-0123456789abcdef' })
    const { db } = await openNodeDatabase(config, `file:${join(dir, 'app.db')}`)
    await migrateDatabase(db)
    await ensureFirstPractice({ db, clock: systemClock, config: { ...config, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } })
    const pending: Promise<unknown>[] = []
    const app = createApp(
      { db, clock: systemClock, config, logger: quiet, ...createMailer({ config, clock: systemClock, db }) },
      { defer: (_c, task) => void pending.push(task().catch(() => {})) },
    )
    const login = await app.request(`${ORIGIN}/login`, {
      method: 'POST',
      body: new URLSearchParams(ADMIN),
      headers: { Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
    })
    const cookie = login.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ')
    const form = new FormData()
    form.append('csvFile', new File([csv], 'staff.csv', { type: 'text/csv' }))
    form.append('step', step)
    if (invite) form.append('invite', 'on')
    const started = performance.now()
    const response = await app.request(`${ORIGIN}/staff/import`, {
      method: 'POST',
      body: form,
      headers: { Origin: ORIGIN, Cookie: cookie },
    })
    const html = await response.text()
    const ms = performance.now() - started
    if (response.status !== 200 || !/imported|Will import/.test(html)) throw new Error(`${step} answered ${response.status}`)
    await Promise.all(pending)
    db.$client.close()
    return ms
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

const csv = spreadsheet(rowCount)
console.log(
  `Import Staff, ${rowCount.toLocaleString('en-US')} rows (${(csv.length / 1024).toFixed(0)} KiB), ${runs} runs each, fresh database per run`,
)
console.log('| request | median ms | min–max ms |\n| --- | ---: | ---: |')
for (const [label, step, invite] of [
  ['Preview', 'preview', false],
  ['Import', 'import', false],
  ['Import + Send invitations after import', 'import', true],
] as const) {
  const times: number[] = []
  for (let i = 0; i < runs; i++) times.push(await oneRun(csv, step, invite))
  console.log(`| ${label} | ${median(times).toFixed(0)} | ${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)} |`)
}
