import { sha256 } from '@oslojs/crypto/sha2'
import { encodeHexLowerCase } from '@oslojs/encoding'
import { eq, inArray, or, sql } from 'drizzle-orm'
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

export const addressKey = (email: string) => `address:${encodeHexLowerCase(sha256(new TextEncoder().encode(email.trim().toLowerCase())))}`
export const ipKey = (ip: string) => `ip:${ip}`

const delayAfter = (failures: number, free: number) => (failures < free ? 0 : Math.min(MAX_DELAY_MS, 1000 * 2 ** (failures - free)))

export type Throttle = { allowed: true } | { allowed: false; retryAfterMs: number | null }

/** Whether a login may be tried now; null retryAfterMs means locked until an admin unlocks. */
export async function checkLoginThrottle(deps: Pick<Deps, 'db' | 'clock'>, input: { email: string; ip: string }): Promise<Throttle> {
  return throttleOf(await loginFailuresQuery(deps.db, input), deps.clock.now())
}

/** The failures counted against an address and an IP: a query for the caller's batch, read by throttleOf. */
export function loginFailuresQuery(db: Database, input: { email: string; ip: string }) {
  const keys = [addressKey(input.email), ...(input.ip ? [ipKey(input.ip)] : [])]
  return db.select().from(loginFailures).where(inArray(loginFailures.key, keys))
}

/** What loginFailuresQuery's rows mean for a login tried at `now`. */
export function throttleOf(rows: (typeof loginFailures.$inferSelect)[], now: Date): Throttle {
  let wait = 0
  for (const row of rows) {
    const isAddress = row.key.startsWith('address:')
    const since = now.getTime() - row.lastFailedAt.getTime()
    if (isAddress && row.failures >= ADDRESS_LOCK_FAILURES) return { allowed: false, retryAfterMs: null }
    if (!isAddress && since >= IP_FORGET_MS) continue
    const delay = delayAfter(row.failures, isAddress ? ADDRESS_FREE_FAILURES : IP_FREE_FAILURES)
    wait = Math.max(wait, delay - since)
  }
  return wait > 0 ? { allowed: false, retryAfterMs: wait } : { allowed: true }
}

/** Counts one failure against the address and the IP, atomically: statements for the caller's batch. */
export function countLoginFailure(db: Database, now: Date, failure: { email: string; ip: string; accountId: string | null }) {
  const { email, ip, accountId } = failure
  const upsert = (key: string, forgetBefore: number | null) =>
    db
      .insert(loginFailures)
      .values({ key, failures: 1, lastFailedAt: now, accountId: forgetBefore === null ? accountId : null })
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
  return statements
}

/** After a good login or a new password: the address starts again from no failures. */
export function clearLoginFailures(db: Database, email: string) {
  return db.delete(loginFailures).where(eq(loginFailures.key, addressKey(email)))
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
