import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig, usesDevOutbox, type ConfigRole } from '../../src/config'

const problemsOf = (env: Record<string, string>, role?: ConfigRole) => {
  try {
    parseConfig(env, role)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  return []
}
const names = (problems: string[]) => problems.map((p) => p.split(/[: ]/)[0])

const mail = { MAILCHANNELS_API_KEY: 'mc-secret-key', MAIL_FROM: 'portal@harbor.test' }
const device = { DEVICE_COOKIE_SECRET: 'device-cookie-secret-for-the-tests-0123' }
const turso = { TURSO_DATABASE_URL: 'libsql://portal-harbor.turso.io', TURSO_AUTH_TOKEN: 'turso-secret-token' }

describe('settings checked together', () => {
  it.each(['http://localhost', 'http://127.0.0.1:8787', 'http://[::1]:3000'])('allows the development outbox at %s', (url) => {
    expect(usesDevOutbox(parseConfig({ APP_URL: url }))).toBe(true)
  })

  it.each(['https://portal.harbor.test', 'http://portal.harbor.test', 'https://localhost', 'http://10.0.0.5:8787', 'http://0.0.0.0:8787'])(
    'refuses %s without a mail key, naming MAILCHANNELS_API_KEY, on both hosts and in practice:create',
    (url) => {
      for (const role of ['node-host', 'worker', 'mail-script'] as const) {
        const problems = problemsOf({ APP_URL: url }, role)
        expect(names(problems), role).toContain('MAILCHANNELS_API_KEY')
      }
    },
  )

  it('takes a key with an https APP_URL, and then never uses the development outbox', () => {
    expect(usesDevOutbox(parseConfig({ APP_URL: 'https://portal.harbor.test', ...mail }))).toBe(false)
    expect(usesDevOutbox(parseConfig({ APP_URL: 'http://localhost', ...mail }))).toBe(false)
  })

  it('requires MAIL_FROM with a mail key, since the placeholder sender would be refused', () => {
    expect(names(problemsOf({ APP_URL: 'https://portal.harbor.test', MAILCHANNELS_API_KEY: 'k' }))).toEqual(['MAIL_FROM'])
  })

  it('requires TURSO_AUTH_TOKEN for a remote database, but not for a local development server', () => {
    expect(
      names(
        problemsOf({ APP_URL: 'https://portal.harbor.test', ...mail, ...device, TURSO_DATABASE_URL: turso.TURSO_DATABASE_URL }, 'worker'),
      ),
    ).toEqual(['TURSO_AUTH_TOKEN'])
    expect(names(problemsOf({ APP_URL: 'http://localhost', DATABASE_URL: 'https://db.example.com' }))).toEqual(['TURSO_AUTH_TOKEN'])
    expect(problemsOf({ APP_URL: 'http://localhost', ...device, TURSO_DATABASE_URL: 'http://127.0.0.1:8080' }, 'worker')).toEqual([])
  })

  it('makes practice:create and db:migrate ask for an https APP_URL against a remote database or with a mail key', () => {
    expect(names(problemsOf({ ...turso }, 'migrate-script'))).toEqual(['APP_URL'])
    expect(names(problemsOf({ ...turso, APP_URL: 'http://portal.harbor.test' }, 'migrate-script'))).toEqual(['APP_URL'])
    expect(problemsOf({ ...turso, APP_URL: 'https://portal.harbor.test' }, 'migrate-script')).toEqual([])
    expect(names(problemsOf({ ...mail }, 'mail-script'))).toEqual(['APP_URL'])
    // Local file, dev outbox: the default address of this machine's server is right.
    expect(parseConfig({}, 'mail-script').APP_URL).toBe('http://127.0.0.1:8787')
    expect(parseConfig({ PORT: '9000' }, 'migrate-script').APP_URL).toBe('http://127.0.0.1:9000')
  })

  it('names every problem at once and prints no value', () => {
    const problems = problemsOf(
      { ...turso, TURSO_AUTH_TOKEN: '', MAILCHANNELS_API_KEY: 'mc-secret-key', DKIM_DOMAIN: 'harbor.test' },
      'mail-script',
    )
    expect(names(problems).sort()).toEqual(['APP_URL', 'DKIM_PRIVATE_KEY', 'DKIM_SELECTOR', 'MAIL_FROM', 'TURSO_AUTH_TOKEN'])
    const text = problems.join('\n')
    for (const value of ['mc-secret-key', 'turso-secret-token', 'portal-harbor.turso.io']) expect(text).not.toContain(value)
  })

  it('requires DATABASE_ENCRYPTION_KEY for a local file in production on Node, not on Workers or with Turso', () => {
    const production = { APP_URL: 'https://portal.harbor.test', ...mail, NODE_ENV: 'production' }
    expect(names(problemsOf(production))).toEqual(['DATABASE_ENCRYPTION_KEY'])
    expect(problemsOf({ ...production, DATABASE_ENCRYPTION_KEY: 'k' })).toEqual([])
    expect(problemsOf({ ...production, ...turso, ...device }, 'worker')).toEqual([])
    expect(problemsOf({ ...production, ...turso }, 'mail-script')).toEqual([])
  })

  it('reads TRUST_PROXY, off unless set, and refuses anything but the three choices', () => {
    expect(parseConfig({ APP_URL: 'http://localhost' }).TRUST_PROXY).toBe('off')
    expect(parseConfig({ APP_URL: 'http://localhost', TRUST_PROXY: 'X-Forwarded-For' }).TRUST_PROXY).toBe('x-forwarded-for')
    expect(names(problemsOf({ APP_URL: 'http://localhost', TRUST_PROXY: 'true' }))).toEqual(['TRUST_PROXY'])
  })
})
