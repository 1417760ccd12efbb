// Onboards a practice: `npm run practice:create -- --name "Harbor Therapy Group"
// --admin-email owner@example.com --admin-first-name Ana --admin-last-name Ruiz [--time-zone America/Chicago]`.
// Runs against the configured database (TURSO_DATABASE_URL when set, else DATABASE_URL, the
// embedded file by default). Exit codes: 0 done, 2 usage error, 1 refused or failed.
import { parseArgs } from 'node:util'
import { systemClock } from '../src/clock'
import { ConfigError, parseConfig } from '../src/config'
import type { Logger } from '../src/deps'
import { createMailer } from '../src/mailer/create-mailer'
import type { Mailer, OutgoingEmail } from '../src/mailer/mailer'
import { migrateDatabase } from '../src/migrate'
import { DatabaseOpenError, openNodeDatabase } from '../src/node-database'
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
  // APP_URL defaults to this machine's server only for a local database and the dev outbox.
  const config = parseConfig(process.env, 'mail-script')

  // The database the Node host would use (with its busy timeout, so a running server's writes
  // make this wait rather than fail), or Turso when TURSO_DATABASE_URL is set.
  const { client, db } = await openNodeDatabase(config, config.TURSO_DATABASE_URL ?? config.DATABASE_URL)
  try {
    await migrateDatabase(db)
    const { mailer: transport, devMailbox } = createMailer({ config, clock: systemClock, db })
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
      console.log(
        `Mail goes to the development outbox (no MAILCHANNELS_API_KEY; ${config.APP_URL}/dev/outbox shows it), so here is the invitation link:\n${link}`,
      )
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
    } else if (error instanceof ConfigError || error instanceof DatabaseOpenError) {
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
