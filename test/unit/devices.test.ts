import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { addKnownDevice, DEVICE_TTL_MS, isKnownDeviceOf, MAX_DEVICE_ENTRIES, readKnownDevices } from '../../src/auth/devices'
import { ConfigError, parseConfig } from '../../src/config'
import { DEVICE_KEY_FILE, withDeviceCookieSecret } from '../../src/node-device-secret'

const SECRET = 'unit-test-device-cookie-secret-0123456789'
const OTHER_SECRET = 'another-device-cookie-secret-9876543210xyz'
const now = new Date('2026-05-01T12:00:00Z')
const later = (ms: number) => new Date(now.getTime() + ms)
const ACCOUNT = 'aaaaaaaaaaaaaaaa'
const OTHER = 'bbbbbbbbbbbbbbbb'

describe('device cookies', () => {
  it('round-trips an entry signed with the secret, for the account it names', () => {
    const value = addKnownDevice(SECRET, undefined, ACCOUNT, now)
    const devices = readKnownDevices(SECRET, value, now)
    expect(devices).toHaveLength(1)
    expect(devices[0]!.accountId).toBe(ACCOUNT)
    expect(devices[0]!.expiresAt.getTime()).toBe(now.getTime() + DEVICE_TTL_MS)
    expect(isKnownDeviceOf(devices, ACCOUNT)).toBe(true)
    expect(isKnownDeviceOf(devices, OTHER)).toBe(false)
  })

  it('ignores entries signed with another secret, changed in any part, or expired', () => {
    const value = addKnownDevice(SECRET, undefined, ACCOUNT, now)
    expect(readKnownDevices(OTHER_SECRET, value, now)).toEqual([])
    const [accountId, nonce, expiry, mac] = value.split('.') as [string, string, string, string]
    expect(readKnownDevices(SECRET, [OTHER, nonce, expiry, mac].join('.'), now)).toEqual([])
    expect(readKnownDevices(SECRET, [accountId, nonce, String(Number(expiry) + 1), mac].join('.'), now)).toEqual([])
    expect(readKnownDevices(SECRET, [accountId, nonce.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')), expiry, mac].join('.'), now)).toEqual(
      [],
    )
    expect(readKnownDevices(SECRET, [accountId, nonce, expiry, mac.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))].join('.'), now)).toEqual(
      [],
    )
    expect(readKnownDevices(SECRET, value, later(DEVICE_TTL_MS))).toEqual([])
    expect(readKnownDevices(SECRET, value, later(DEVICE_TTL_MS - 1000))).toHaveLength(1)
  })

  it('reads malformed or oversized input as no device, and trusts nothing without a usable secret', () => {
    for (const junk of [undefined, '', '~~~', 'a.b.c.d', 'x'.repeat(5000), `${ACCOUNT}.${'a'.repeat(26)}.99999999999.${'A'.repeat(43)}`])
      expect(readKnownDevices(SECRET, junk, now)).toEqual([])
    const value = addKnownDevice(SECRET, undefined, ACCOUNT, now)
    expect(readKnownDevices('', value, now)).toEqual([])
    expect(readKnownDevices('short', value, now)).toEqual([])
    expect(addKnownDevice('', undefined, ACCOUNT, now)).toBe('')
  })

  it('keeps one entry per account, newest first, at most five, dropping forged and expired ones', () => {
    let value = addKnownDevice(SECRET, undefined, ACCOUNT, now)
    const first = readKnownDevices(SECRET, value, now)[0]!
    value = addKnownDevice(SECRET, value, OTHER, later(1000))
    value = addKnownDevice(SECRET, value, ACCOUNT, later(2000))
    const devices = readKnownDevices(SECRET, value, later(2000))
    expect(devices.map((d) => d.accountId)).toEqual([ACCOUNT, OTHER])
    // A fresh nonce on each login: failures counted against the old entry stop mattering.
    expect(devices[0]!.nonce).not.toBe(first.nonce)

    const ids = Array.from({ length: 7 }, (_, i) => 'abcdefghijklmnop'.replace('a', 'abcdefg'[i]!))
    for (const id of ids) value = addKnownDevice(SECRET, value, id, later(3000))
    const many = readKnownDevices(SECRET, value, later(3000))
    expect(many).toHaveLength(MAX_DEVICE_ENTRIES)
    expect(many.map((d) => d.accountId)).toEqual(ids.slice(-5).reverse())

    const withJunk = `forged.entry~${addKnownDevice(OTHER_SECRET, undefined, OTHER, now)}`
    expect(readKnownDevices(SECRET, addKnownDevice(SECRET, withJunk, ACCOUNT, now), now).map((d) => d.accountId)).toEqual([ACCOUNT])
    const old = addKnownDevice(SECRET, undefined, OTHER, now)
    const renewed = addKnownDevice(SECRET, old, ACCOUNT, later(DEVICE_TTL_MS + 1))
    expect(renewed.split('~')).toHaveLength(1)
  })

  it('is a setting of at least 32 characters, optional on Node, required on Workers', () => {
    expect(parseConfig({ APP_URL: 'http://localhost' }).DEVICE_COOKIE_SECRET).toBeUndefined()
    expect(parseConfig({ APP_URL: 'http://localhost', DEVICE_COOKIE_SECRET: SECRET }).DEVICE_COOKIE_SECRET).toBe(SECRET)
    expect(() => parseConfig({ APP_URL: 'http://localhost', DEVICE_COOKIE_SECRET: 'short' })).toThrow(
      /DEVICE_COOKIE_SECRET: must be at least 32 characters/,
    )
    expect(() => parseConfig({ APP_URL: 'http://localhost', TURSO_DATABASE_URL: 'http://127.0.0.1:8080' }, 'worker')).toThrow(
      /DEVICE_COOKIE_SECRET is missing/,
    )
  })
})

describe('the Node host key file', () => {
  it('generates DEVICE_COOKIE_SECRET once beside a local database file (mode 0600), reuses it, and wants the setting for a remote database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'device-key-'))
    try {
      const config = parseConfig({ APP_URL: 'http://localhost', DATABASE_URL: `file:${join(dir, 'app.db')}` })
      const first = withDeviceCookieSecret(config)
      expect(first.created).toBe(true)
      expect(first.keyFile).toBe(join(dir, DEVICE_KEY_FILE))
      expect(statSync(first.keyFile!).mode & 0o777).toBe(0o600)
      expect(first.config.DEVICE_COOKIE_SECRET!.length).toBeGreaterThanOrEqual(32)
      const again = withDeviceCookieSecret(config)
      expect(again.created).toBe(false)
      expect(again.config.DEVICE_COOKIE_SECRET).toBe(first.config.DEVICE_COOKIE_SECRET)
      expect(withDeviceCookieSecret({ ...config, DEVICE_COOKIE_SECRET: SECRET })).toEqual({
        config: { ...config, DEVICE_COOKIE_SECRET: SECRET },
        created: false,
      })
      const remote = parseConfig({ APP_URL: 'http://localhost', DATABASE_URL: 'http://127.0.0.1:8080' })
      expect(() => withDeviceCookieSecret(remote)).toThrow(ConfigError)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
