// Onboards a practice: `npm run practice:create -- --name "Harbor Therapy Group"
// --admin-email owner@example.com --admin-first-name Ana --admin-last-name Ruiz [--time-zone America/Chicago]`.
// Runs against the configured database (TURSO_DATABASE_URL when set, else DATABASE_URL, the
// embedded file by default). Exit codes: 0 done, 2 usage error, 1 refused or failed.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { createClient } from '@libsql/client'
import { systemClock } from '../src/clock'
import { ConfigError, parseConfig } from '../src/config'
import { createDatabase } from '../src/db'
import type { Logger } from '../src/deps'
import { createMailer } from '../src/mailer/create-mailer'
import type { Mailer, OutgoingEmail } from '../src/mailer/mailer'
import { migrateDatabase } from '../src/migrate'
import { createPractice } from '../src/practice/create-practice'
import { newPracticeSchema } from '../src/practice/practice-input'

const USAGE = `Usage: npm run practice:create -- --name "Harbor Therapy Group" --admin-email owner@example.com \\
         --admin-first-name Ana --admin-last-name Ruiz [--time-zone America/Chicago]

Creates the practice and its first admin's staff profile, and emails that admin the same
invitation every staff member gets. The time zone is an IANA name (default: DEFAULT_TIME_ZONE).`

const EXIT = { ok: 0, refused: 1, usage: 2 } as const

class Exit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message)
  }
}

const usageError = (problem: string) => new Exit(EXIT.usage, `${problem}\n\n${USAGE}`)

function readArguments(argv: string[]) {
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        name: { type: 'string' },
        'admin-email': { type: 'string' },
        'admin-first-name': { type: 'string' },
        'admin-last-name': { type: 'string' },
        'time-zone': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : String(error))
  }
  if (values.help) return null
  const missing = (['name', 'admin-email', 'admin-first-name', 'admin-last-name'] as const).filter((key) => values[key] === undefined)
  if (missing.length > 0) throw usageError(`Missing ${missing.map((key) => `--${key}`).join(', ')}.`)
  const parsed = newPracticeSchema.safeParse({
    name: values.name,
    adminEmail: values['admin-email'],
    adminFirstName: values['admin-first-name'],
    adminLastName: values['admin-last-name'],
    timeZone: values['time-zone'],
  })
  if (!parsed.success) {
    const flag: Record<string, string> = {
      name: '--name',
      adminEmail: '--admin-email',
      adminFirstName: '--admin-first-name',
      adminLastName: '--admin-last-name',
      timeZone: '--time-zone',
    }
    throw usageError(parsed.error.issues.map((issue) => `${flag[String(issue.path[0])] ?? 'argument'}: ${issue.message}`).join('\n'))
  }
  return parsed.data
}

/** The database the Node host would use, or Turso when TURSO_DATABASE_URL is set. */
function openDatabase(config: ReturnType<typeof parseConfig>) {
  if (config.TURSO_DATABASE_URL) return createClient({ url: config.TURSO_DATABASE_URL, authToken: config.TURSO_AUTH_TOKEN })
  const url = config.DATABASE_URL
  if (url.startsWith('file:')) mkdirSync(dirname(url.slice('file:'.length)), { recursive: true })
  return createClient({ url })
}

const stderrLogger: Logger = {
  info: (message, fields) => console.error(JSON.stringify({ level: 'info', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })),
}

async function main(argv: string[]): Promise<number> {
  const input = readArguments(argv)
  if (!input) {
    console.log(USAGE)
    return EXIT.ok
  }
  const host = process.env.HOST || '127.0.0.1'
  const port = Number(process.env.PORT || 8787)
  const config = parseConfig({ APP_URL: `http://${host}:${port}`, ...process.env })

  const client = openDatabase(config)
  try {
    const db = createDatabase(client)
    await migrateDatabase(db)
    const { mailer: transport, devMailbox } = createMailer(config, systemClock)
    // Keeps the message as sent, so its link can be printed when no one else can read it.
    let sent: OutgoingEmail | undefined
    const mailer: Mailer = {
      send: (email) => {
        sent = email
        return transport.send(email)
      },
    }
    const result = await createPractice({ db, clock: systemClock, config, logger: stderrLogger, mailer }, input)
    if (!result.ok) {
      throw new Exit(
        EXIT.refused,
        result.reason === 'name-taken'
          ? `Refused: a practice named "${input.name}" already exists (names are compared ignoring letter case). Nothing was changed.`
          : `Refused: ${input.adminEmail} already has a portal account, and an address can hold an account in one practice only. Nothing was changed.`,
      )
    }
    console.log(
      `Created practice "${input.name}" (time zone ${result.timeZone}) with admin ${input.adminFirstName} ${input.adminLastName} <${input.adminEmail}>.`,
    )
    const { invitation } = result
    if (!invitation.ok)
      throw new Exit(
        EXIT.refused,
        `The practice was created, but the invitation could not be sent (${invitation.reason}). Nothing else was changed.`,
      )
    const link = sent && new RegExp(`${escapeRegExp(config.APP_URL)}/invite/\\S+`).exec(sent.text)?.[0]
    if (!invitation.delivered) {
      console.error(`The invitation to ${input.adminEmail} is saved, but its email could not be delivered.`)
      if (link)
        console.log(`Give them this link yourself, over a channel you trust (it works once, for ${config.INVITE_TTL_DAYS} days):\n${link}`)
      return EXIT.refused
    }
    console.log(`Invitation emailed to ${input.adminEmail}.`)
    if (devMailbox && link)
      console.log(`Mail goes to the development outbox (no MAILCHANNELS_API_KEY), so here is the invitation link:\n${link}`)
    return EXIT.ok
  } finally {
    client.close()
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    if (error instanceof Exit) {
      console.error(error.message)
      process.exitCode = error.code
    } else if (error instanceof ConfigError) {
      console.error(error.message)
      process.exitCode = EXIT.refused
    } else {
      // Name and code only: a database error's message can repeat a URL or personal data.
      const code =
        error instanceof Error && error.cause && typeof error.cause === 'object' && 'code' in error.cause
          ? ` (${String(error.cause.code)})`
          : ''
      console.error(
        `Failed: ${error instanceof Error ? error.name : typeof error}${code}. Nothing was created unless a line above says so.`,
      )
      process.exitCode = EXIT.refused
    }
  },
)
