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

export const configSchema = z.object({
  APP_URL: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, '')),
  DATABASE_URL: z.string().min(1).default('file:./data/app.db'),
  TURSO_DATABASE_URL: optionalString,
  TURSO_AUTH_TOKEN: optionalString,
  MAILCHANNELS_API_KEY: optionalString,
  MAILCHANNELS_API_URL: z.url().default('https://api.mailchannels.net/tx/v1/send'),
  MAIL_FROM: z.email().default('no-reply@staff-portal.example'),
  MAIL_TIMEOUT_MS: intSetting(100, 60_000, 10_000),
  INVITE_TTL_DAYS: intSetting(1, 30, 7),
  RESET_LINK_MAX_DAYS: intSetting(1, 7, 7),
  DEFAULT_TIME_ZONE: z.string().refine(isTimeZone, 'must be an IANA time zone such as America/Chicago').default('America/New_York'),
  ADMIN_EMAIL: z.preprocess(emptyAsUndefined, z.email().optional()),
  ADMIN_PASSWORD: optionalString,
  PRACTICE_NAME: z.string().trim().min(1).max(120).default('Demo Practice'),
})

export type Config = z.infer<typeof configSchema>

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/** Parses settings from an environment-like record; throws a ConfigError naming each bad setting. */
export function parseConfig(env: Record<string, unknown>): Config {
  const result = configSchema.safeParse(env)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(settings)'
    const missing = issue.code === 'invalid_type' && env[name] === undefined
    return missing ? `${name} is missing` : `${name}: ${issue.message}`
  })
  throw new ConfigError(problems)
}

/** Mail goes to the development outbox unless a MailChannels key is configured. */
export const isProduction = (config: Config) => config.MAILCHANNELS_API_KEY !== undefined
