import { sha256 } from '@oslojs/crypto/sha2'
import { encodeHexLowerCase } from '@oslojs/encoding'
import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm'
import { loginFailures } from '../../db/schema'
import type { Database } from '../db'
import type { Deps } from '../deps'

// The one writer of login_failures: count, clear and unlock are here, and nowhere else.

// Per login address: free tries, then waits that double, then a lock only an admin lifts.
export const ADDRESS_FREE_FAILURES = 5
export const ADDRESS_LOCK_FAILURES = 100
// Per client IP: more room (a clinic shares one address), and it forgets after an hour.
export const IP_FREE_FAILURES = 20
export const IP_FORGET_MS = 60 * 60 * 1000
export const MAX_DELAY_MS = 15 * 60 * 1000
// Per known device (src/auth/devices.ts): its failures in a row, after which it waits like any other.
export const DEVICE_DISTRUST_FAILURES = 10

export const addressKey = (email: string) => `address:${encodeHexLowerCase(sha256(new TextEncoder().encode(email.trim().toLowerCase())))}`
export const ipKey = (ip: string) => `ip:${ip}`
export const deviceKey = (nonce: string) => `device:${encodeHexLowerCase(sha256(new TextEncoder().encode(nonce)))}`

const delayAfter = (failures: number, free: number) => (failures < free ? 0 : Math.min(MAX_DELAY_MS, 1000 * 2 ** (failures - free)))

export type Throttle = { allowed: true } | { allowed: false; retryAfterMs: number | null }

/**
 * Whether a login may be tried now; null retryAfterMs means locked until an admin unlocks.
 * `deviceNonce`: the browser's valid device entry for the account the address names. Such a
 * browser skips the per-address and per-IP waits until it fails DEVICE_DISTRUST_FAILURES times
 * in a row; the lock after ADDRESS_LOCK_FAILURES holds for it too.
 */
export async function checkLoginThrottle(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { email: string; ip: string; deviceNonce?: string },
): Promise<Throttle> {
  return throttleOf(await loginFailuresQuery(deps.db, input), deps.clock.now(), input.deviceNonce)
}

/**
 * The failures counted against an address, an IP and the browser's device entries (any of
 * `deviceNonces`): a query for the caller's batch, read by throttleOf.
 */
export function loginFailuresQuery(db: Database, input: { email: string; ip: string; deviceNonce?: string; deviceNonces?: string[] }) {
  const nonces = [...(input.deviceNonce ? [input.deviceNonce] : []), ...(input.deviceNonces ?? [])]
  const keys = [addressKey(input.email), ...(input.ip ? [ipKey(input.ip)] : []), ...nonces.map(deviceKey)]
  return db.select().from(loginFailures).where(inArray(loginFailures.key, keys))
}

/** What loginFailuresQuery's rows mean for a login tried at `now`, from the device entry `deviceNonce` if any. */
export function throttleOf(rows: (typeof loginFailures.$inferSelect)[], now: Date, deviceNonce?: string): Throttle {
  const device = deviceNonce ? deviceKey(deviceNonce) : undefined
  const address = rows.find((row) => row.key.startsWith('address:'))
  if (address && address.failures >= ADDRESS_LOCK_FAILURES) return { allowed: false, retryAfterMs: null }
  const deviceFailures = rows.find((row) => row.key === device)?.failures ?? 0
  if (device && deviceFailures < DEVICE_DISTRUST_FAILURES) return { allowed: true }
  let wait = 0
  for (const row of rows) {
    if (row.key.startsWith('device:')) continue
    const isAddress = row === address
    const since = now.getTime() - row.lastFailedAt.getTime()
    if (!isAddress && since >= IP_FORGET_MS) continue
    const delay = delayAfter(row.failures, isAddress ? ADDRESS_FREE_FAILURES : IP_FREE_FAILURES)
    wait = Math.max(wait, delay - since)
  }
  return wait > 0 ? { allowed: false, retryAfterMs: wait } : { allowed: true }
}

/**
 * Counts one failure against the address and the IP, and the known device it came from if any,
 * atomically: statements for the caller's batch. A device row names no account, so an admin's
 * view of the account's failures counts the address only.
 */
export function countLoginFailure(
  db: Database,
  now: Date,
  failure: { email: string; ip: string; accountId: string | null; deviceNonce?: string },
) {
  const { email, ip, accountId, deviceNonce } = failure
  const upsert = (key: string, forgetBefore: number | null, owner: string | null = forgetBefore === null ? accountId : null) =>
    db
      .insert(loginFailures)
      .values({ key, failures: 1, lastFailedAt: now, accountId: owner })
      .onConflictDoUpdate({
        target: loginFailures.key,
        set: {
          failures:
            forgetBefore === null
              ? sql`min(${loginFailures.failures} + 1, ${ADDRESS_LOCK_FAILURES})`
              : sql`case when ${loginFailures.lastFailedAt} < ${forgetBefore} then 1 else ${loginFailures.failures} + 1 end`,
          lastFailedAt: now,
          // Failures counted before the address had an account join it once it has one.
          accountId: sql`coalesce(${loginFailures.accountId}, excluded.account_id)`,
        },
      })
  const statements: [ReturnType<typeof upsert>, ...ReturnType<typeof upsert>[]] = [upsert(addressKey(email), null)]
  if (ip) statements.push(upsert(ipKey(ip), now.getTime() - IP_FORGET_MS))
  if (deviceNonce) statements.push(upsert(deviceKey(deviceNonce), null, null))
  return statements
}

/**
 * After a good login or a new password: the address (and the device it came from) starts again
 * from no failures; with `onlyIf`, only where that holds (a login whose last check is later in the batch).
 */
export function clearLoginFailures(db: Database, email: string, deviceNonce?: string, onlyIf?: SQL) {
  const keys = [addressKey(email), ...(deviceNonce ? [deviceKey(deviceNonce)] : [])]
  return db.delete(loginFailures).where(and(inArray(loginFailures.key, keys), onlyIf))
}

/** An admin's Unlock: the account's failures and its address's, whichever were counted. */
export function unlockLogin(db: Database, account: { id: string; email: string }) {
  return db.delete(loginFailures).where(or(eq(loginFailures.accountId, account.id), eq(loginFailures.key, addressKey(account.email))))
}

export type LoginHold = 'none' | 'throttled' | 'locked'

/** What a count of failures in a row means for the person: free to try, slowed down, or locked. */
export const loginHoldOf = (failures: number): LoginHold =>
  failures >= ADDRESS_LOCK_FAILURES ? 'locked' : failures >= ADDRESS_FREE_FAILURES ? 'throttled' : 'none'

/** "2 minutes", "40 seconds": for telling a person when to try again. */
export function describeWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000)
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`
  const minutes = Math.ceil(seconds / 60)
  return `${minutes} minute${minutes === 1 ? '' : 's'}`
}
