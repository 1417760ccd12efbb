import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../src/config'

const parseProblems = (env: Record<string, string>) => {
  try {
    parseConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  return []
}

describe('configuration', () => {
  it('fills defaults from the design', () => {
    const config = parseConfig({ APP_URL: 'http://localhost:8787/' })
    expect(config).toMatchObject({
      APP_URL: 'http://localhost:8787',
      DATABASE_URL: 'file:./data/app.db',
      INVITE_TTL_DAYS: 7,
      RESET_LINK_MAX_DAYS: 7,
      PRACTICE_NAME: 'Demo Practice',
    })
    expect(config.MAILCHANNELS_API_KEY).toBeUndefined()
  })

  it('names a missing setting', () => {
    expect(parseProblems({})).toEqual(['APP_URL is missing'])
  })

  it('names each malformed setting and why', () => {
    const problems = parseProblems({
      APP_URL: 'ftp://nope',
      INVITE_TTL_DAYS: '31',
      RESET_LINK_MAX_DAYS: 'soon',
      DEFAULT_TIME_ZONE: 'Mars/Olympus',
      ADMIN_EMAIL: 'not-an-email',
    })
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'APP_URL',
      'INVITE_TTL_DAYS',
      'RESET_LINK_MAX_DAYS',
      'DEFAULT_TIME_ZONE',
      'ADMIN_EMAIL',
    ])
    expect(problems.join('\n')).toMatch(/IANA time zone/)
  })

  it('treats empty strings as unset for optional secrets', () => {
    expect(parseConfig({ APP_URL: 'http://localhost', MAILCHANNELS_API_KEY: '' }).MAILCHANNELS_API_KEY).toBeUndefined()
  })
})
