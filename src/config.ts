import { z } from 'zod'

const intSetting = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback)

const isTimeZone = (value: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value })
    return true
  } catch {
    return false
  }
}

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value)
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional())
// A name as the staff form takes it: trimmed, 1 to 100 characters, no control characters.
const optionalName = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^\P{Cc}+$/u)
    .optional(),
)

/** The placeholder sender for the development outbox; real mail needs MAIL_FROM on your own domain. */
export const DEV_MAIL_FROM = 'no-reply@staff-portal.example'

export const configSchema = z.object({
  APP_URL: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, '')),
  DATABASE_URL: z.string().min(1).default('file:./data/app.db'),
  TURSO_DATABASE_URL: optionalString,
  TURSO_AUTH_TOKEN: optionalString,
  MAILCHANNELS_API_KEY: optionalString,
  MAILCHANNELS_API_URL: z.url().default('https://api.mailchannels.net/tx/v1/send'),
  MAIL_FROM: z.preprocess(emptyAsUndefined, z.email().default(DEV_MAIL_FROM)),
  MAIL_TIMEOUT_MS: intSetting(100, 60_000, 10_000),
  DKIM_DOMAIN: optionalString,
  DKIM_SELECTOR: optionalString,
  DKIM_PRIVATE_KEY: optionalString,
  INVITE_TTL_DAYS: intSetting(1, 30, 7),
  RESET_LINK_MAX_DAYS: intSetting(1, 7, 7),
  DEFAULT_TIME_ZONE: z.string().refine(isTimeZone, 'must be an IANA time zone such as America/Chicago').default('America/New_York'),
  ADMIN_EMAIL: z.preprocess(emptyAsUndefined, z.email().optional()),
  ADMIN_PASSWORD: optionalString,
  // The first admin's real name; without it they are "Practice Admin" and asked at login.
  ADMIN_FIRST_NAME: optionalName,
  ADMIN_LAST_NAME: optionalName,
  PRACTICE_NAME: z.string().trim().min(1).max(120).default('Demo Practice'),
  // The Node host's embedded file (ignored on Workers, where the database is Turso).
  DATABASE_BUSY_TIMEOUT_MS: intSetting(0, 60_000, 5_000),
  DATABASE_ENCRYPTION_KEY: optionalString,
  TRUST_PROXY: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value),
    z.enum(['off', 'x-forwarded-for', 'cf-connecting-ip'], { message: 'must be off, x-forwarded-for or cf-connecting-ip' }).default('off'),
  ),
  // The optional breached-password check (src/auth/breached-password.ts): off unless set, e.g.
  // https://api.pwnedpasswords.com/range/ (the 5-character hash prefix is appended).
  HIBP_API_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  // Signs device cookies (src/auth/devices.ts). The Node host generates one beside a local
  // database file when unset (src/node-device-secret.ts); the Worker requires it.
  DEVICE_COOKIE_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
  NODE_ENV: optionalString,
})

export type Config = z.infer<typeof configSchema>

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/**
 * Who reads the settings, which decides the rules that span several of them:
 * - `node-host`, `worker`: serve the app and send mail;
 * - `mail-script` (practice:create) sends mail from an operator's shell;
 * - `migrate-script` (db:migrate) only writes the database.
 * Scripts run from a shell where APP_URL is easy to forget, so they refuse to guess it when the
 * database is remote or mail is real (links would point at 127.0.0.1).
 */
export type ConfigRole = 'node-host' | 'worker' | 'mail-script' | 'migrate-script'

/** Parses settings from an environment-like record; throws a ConfigError naming each problem, never a value. */
export function parseConfig(env: Record<string, unknown>, role: ConfigRole = 'node-host'): Config {
  const raw = (name: string) => {
    const value = env[name]
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
  }
  const script = role === 'mail-script' || role === 'migrate-script'
  const problems: string[] = []

  const remote = [raw('TURSO_DATABASE_URL'), role === 'worker' ? undefined : raw('DATABASE_URL')].some(
    (url) => url !== undefined && isRemoteDatabaseUrl(url),
  )
  const mailKey = raw('MAILCHANNELS_API_KEY')
  let appUrl = raw('APP_URL')
  if (script && appUrl === undefined) {
    if (remote || mailKey)
      problems.push(
        `APP_URL is missing: with ${remote ? 'a remote database' : 'MAILCHANNELS_API_KEY set'} it must be the portal's public https:// address, or emailed links would point at this machine`,
      )
    else appUrl = `http://${raw('HOST') ?? '127.0.0.1'}:${raw('PORT') ?? '8787'}`
  } else if (script && appUrl !== undefined && (remote || mailKey) && !appUrl.startsWith('https://'))
    problems.push(`APP_URL: must be an https:// address when ${remote ? 'the database is remote' : 'mail is sent'}`)

  const result = configSchema.safeParse({ ...env, APP_URL: appUrl ?? env.APP_URL })
  if (!result.success)
    for (const issue of result.error.issues) {
      const name = issue.path.join('.') || '(settings)'
      if (name === 'APP_URL' && problems.some((p) => p.startsWith('APP_URL'))) continue
      const missing = issue.code === 'invalid_type' && env[name] === undefined
      problems.push(missing ? `${name} is missing` : `${name}: ${issue.message}`)
    }

  if (remote && !raw('TURSO_AUTH_TOKEN'))
    problems.push('TURSO_AUTH_TOKEN is missing: a remote libsql:// or https:// database refuses requests without a token')

  const sendsMail = role !== 'migrate-script'
  if (sendsMail && !mailKey && appUrl !== undefined && isHttpUrl(appUrl) && !isLoopbackHttpUrl(appUrl))
    problems.push(
      'MAILCHANNELS_API_KEY is missing: without it mail goes to the development outbox, which anyone can read, so that is only allowed when APP_URL is a loopback http:// address (localhost, 127.0.0.1 or [::1])',
    )
  if (sendsMail && mailKey && !raw('MAIL_FROM'))
    problems.push(
      "MAIL_FROM is missing: with MAILCHANNELS_API_KEY set, mail must come from an address on your own domain (the one MailChannels' Domain Lockdown names)",
    )

  const dkim = ['DKIM_DOMAIN', 'DKIM_SELECTOR', 'DKIM_PRIVATE_KEY'] as const
  const dkimSet = dkim.filter((name) => raw(name) !== undefined)
  if (dkimSet.length > 0 && dkimSet.length < dkim.length)
    for (const name of dkim) if (!dkimSet.includes(name)) problems.push(`${name} is missing: DKIM signing needs all of ${dkim.join(', ')}`)

  const localFile = !raw('TURSO_DATABASE_URL') && (raw('DATABASE_URL') ?? 'file:').startsWith('file:')
  if (role !== 'worker' && raw('NODE_ENV') === 'production' && localFile && !raw('DATABASE_ENCRYPTION_KEY'))
    problems.push(
      'DATABASE_ENCRYPTION_KEY is missing: in production the database file holds staff data and must be encrypted at rest (see docs/operations.md)',
    )

  if (role === 'worker' && !raw('DEVICE_COOKIE_SECRET'))
    problems.push(
      'DEVICE_COOKIE_SECRET is missing: set a random value of 32 characters or more with `wrangler secret put DEVICE_COOKIE_SECRET` (it signs the device cookies that let a person through the login throttle)',
    )

  if (problems.length > 0 || !result.success) throw new ConfigError(problems)
  return result.data
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

function isHttpUrl(value: string) {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol)
  } catch {
    return false
  }
}

/** True for http://localhost, http://127.0.0.1 and http://[::1], any port: addresses only this machine reaches. */
export function isLoopbackHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)
  } catch {
    return false
  }
}

/** A database another machine serves: anything but a local file or a development server on loopback. */
export function isRemoteDatabaseUrl(value: string): boolean {
  if (value.startsWith('file:') || value === ':memory:') return false
  try {
    return !LOOPBACK_HOSTS.has(new URL(value).hostname)
  } catch {
    return true
  }
}

/**
 * Mail goes to the development outbox only when no MailChannels key is set and APP_URL is a
 * loopback http:// address; parseConfig refuses every other keyless configuration.
 */
export const usesDevOutbox = (config: Config) => config.MAILCHANNELS_API_KEY === undefined && isLoopbackHttpUrl(config.APP_URL)

/** Real mail, or an address beyond this machine: no development outbox, ever. */
export const isProduction = (config: Config) => !usesDevOutbox(config)
