import { afterEach, describe, expect, it } from 'vitest'
import { accounts, practices, staff } from '../db/schema'
import { ConfigError } from '../src/config'
import { DEMO_ADMIN_EMAIL, ensureFirstPractice } from '../src/practice/bootstrap'
import { createTestApp, type TestApp } from './support/app'

let t: TestApp
afterEach(() => t.cleanup())

describe('first start', () => {
  it('gives a fresh database a demo admin whose printed password works, once', async () => {
    t = await createTestApp()
    const result = await ensureFirstPractice({ db: t.db, clock: t.clock, config: t.config })
    expect(result).toMatchObject({ created: true, email: DEMO_ADMIN_EMAIL, practiceName: 'Demo Practice' })
    const password = result.created ? result.generatedPassword! : ''
    expect(password.length).toBeGreaterThanOrEqual(15)
    const login = await t.agent().post('/login', { email: DEMO_ADMIN_EMAIL, password })
    expect(login.status).toBe(303)
    expect(await ensureFirstPractice({ db: t.db, clock: t.clock, config: t.config })).toEqual({ created: false })
    expect(await t.db.select().from(practices)).toHaveLength(1)
  })

  it('creates the configured practice and admin, with the admin access level', async () => {
    t = await createTestApp({
      ADMIN_EMAIL: 'Owner@Clinic.test',
      ADMIN_PASSWORD: 'Velvet harbor compass 1987',
      PRACTICE_NAME: 'Harbor Therapy Group',
    })
    expect(await ensureFirstPractice({ db: t.db, clock: t.clock, config: t.config })).toMatchObject({
      created: true,
      email: 'owner@clinic.test',
      generatedPassword: null,
    })
    const [practice] = await t.db.select().from(practices)
    expect(practice).toMatchObject({ name: 'Harbor Therapy Group', timeZone: 'America/New_York' })
    const [admin] = await t.db.select().from(staff)
    expect(admin!.role).toBe('admin')
    const [account] = await t.db.select().from(accounts)
    expect(account!.email).toBe('owner@clinic.test')
    expect(account!.passwordHash).not.toContain('Velvet')
    expect(await ensureFirstPractice({ db: t.db, clock: t.clock, config: t.config })).toEqual({ created: false })
  })

  it('stops with a clear message when ADMIN_PASSWORD is missing or guessable', async () => {
    t = await createTestApp({ ADMIN_EMAIL: 'owner@clinic.test' })
    await expect(ensureFirstPractice({ db: t.db, clock: t.clock, config: t.config })).rejects.toThrow(/ADMIN_PASSWORD is missing/)
    const weak = { ...t.config, ADMIN_PASSWORD: 'password123456789' }
    await expect(ensureFirstPractice({ db: t.db, clock: t.clock, config: weak })).rejects.toBeInstanceOf(ConfigError)
    await expect(ensureFirstPractice({ db: t.db, clock: t.clock, config: weak })).rejects.toThrow(
      /ADMIN_PASSWORD: This password is too easy to guess/,
    )
    expect(await t.db.select().from(practices)).toHaveLength(0)
  })
})
