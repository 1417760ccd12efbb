import { hmac } from '@oslojs/crypto/hmac'
import { SHA256 } from '@oslojs/crypto/sha2'
import { constantTimeEqual } from '@oslojs/crypto/subtle'
import { decodeBase64urlIgnorePadding, encodeBase32LowerCaseNoPadding, encodeBase64urlNoPadding } from '@oslojs/encoding'
import { ID_PATTERN, randomBytes } from '../ids'

// Device cookies (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): a browser that
// logged in to an account carries a signed entry for it, so the login throttle can tell the
// account's own browsers from everybody else's. The cookie holds one entry per account,
// "accountId.nonce.expiry.hmac", entries joined by "~". Nothing in it is secret but the HMAC
// key: an entry can be read by its holder, never made or changed without DEVICE_COOKIE_SECRET.

export const DEVICE_TTL_MS = 180 * 24 * 60 * 60 * 1000
export const MAX_DEVICE_ENTRIES = 5
/** A key shorter than this trusts no device (config refuses it; this guards other callers). */
export const MIN_SECRET_LENGTH = 32

const NONCE_BYTES = 16
const ENTRY = new RegExp(`^(${ID_PATTERN})\\.([a-z2-7]{26})\\.(\\d{1,12})\\.([A-Za-z0-9_-]{43})$`)
// Bounds the work a hostile cookie can cause: a real one is about 500 characters.
const MAX_COOKIE_LENGTH = 2000
const MAX_ENTRIES_READ = 10

export interface KnownDevice {
  accountId: string
  nonce: string
  expiresAt: Date
}

const encoder = new TextEncoder()

function signatureOf(secret: string, accountId: string, nonce: string, expirySeconds: string): Uint8Array {
  return hmac(SHA256, encoder.encode(secret), encoder.encode(`${accountId}|${nonce}|${expirySeconds}`))
}

function usableSecret(secret: string | undefined): secret is string {
  return typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH
}

function parseEntry(secret: string, entry: string, now: Date): KnownDevice | null {
  const match = ENTRY.exec(entry)
  if (!match) return null
  const [, accountId, nonce, expirySeconds, mac] = match as unknown as [string, string, string, string, string]
  let given: Uint8Array
  try {
    given = decodeBase64urlIgnorePadding(mac)
  } catch {
    return null
  }
  if (!constantTimeEqual(given, signatureOf(secret, accountId, nonce, expirySeconds))) return null
  const expiresAt = new Date(Number(expirySeconds) * 1000)
  if (expiresAt.getTime() <= now.getTime()) return null
  return { accountId, nonce, expiresAt }
}

/**
 * The entries of a device cookie that carry a valid signature and have not expired; anything malformed is dropped.
 * Without a usable secret (DEVICE_COOKIE_SECRET unset) no device is known.
 */
export function readKnownDevices(secret: string | undefined, cookieValue: string | undefined, now: Date): KnownDevice[] {
  if (!usableSecret(secret) || !cookieValue || cookieValue.length > MAX_COOKIE_LENGTH) return []
  const devices: KnownDevice[] = []
  for (const entry of cookieValue.split('~').slice(0, MAX_ENTRIES_READ)) {
    const device = parseEntry(secret, entry, now)
    if (device && !devices.some((d) => d.accountId === device.accountId)) devices.push(device)
  }
  return devices
}

export function isKnownDeviceOf(devices: KnownDevice[], accountId: string): boolean {
  return devices.some((device) => device.accountId === accountId)
}

/** The entry of this browser for an account, if it holds a valid one. */
export function knownDeviceOf(devices: KnownDevice[], accountId: string): KnownDevice | undefined {
  return devices.find((device) => device.accountId === accountId)
}

function formatEntry(secret: string, device: KnownDevice): string {
  const expirySeconds = String(Math.floor(device.expiresAt.getTime() / 1000))
  const mac = encodeBase64urlNoPadding(signatureOf(secret, device.accountId, device.nonce, expirySeconds))
  return `${device.accountId}.${device.nonce}.${expirySeconds}.${mac}`
}

/**
 * The cookie value after a login to `accountId` from this browser: a fresh entry for the account
 * first (a new nonce, so failures counted against the old one no longer matter), then the other
 * valid entries, at most five in all; expired and forged ones are dropped.
 */
export function addKnownDevice(secret: string | undefined, cookieValue: string | undefined, accountId: string, now: Date): string {
  if (!usableSecret(secret)) return ''
  const fresh: KnownDevice = {
    accountId,
    nonce: encodeBase32LowerCaseNoPadding(randomBytes(NONCE_BYTES)),
    expiresAt: new Date(now.getTime() + DEVICE_TTL_MS),
  }
  const others = readKnownDevices(secret, cookieValue, now).filter((device) => device.accountId !== accountId)
  return [fresh, ...others]
    .slice(0, MAX_DEVICE_ENTRIES)
    .map((device) => formatEntry(secret, device))
    .join('~')
}
