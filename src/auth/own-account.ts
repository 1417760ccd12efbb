import { and, desc, eq, ne, type Placeholder } from 'drizzle-orm'
import { accounts, sessions } from '../../db/schema'
import { insertAudit, insertSecurityEvent } from '../audit/audit'
import type { Database } from '../db'
import type { Deps } from '../deps'
import type { DeviceParts } from '../text/device'
import { messagesFor } from '../text/messages'
import type { SessionUser } from './session'
import { verifyPassword } from './password'
import { isWithinIdleLimit } from './session'
import { countLoginFailure, loginFailuresQuery, throttleOf } from './throttle'

/** The signed-in person's own live sessions, most recent first: a query for a batch. */
export function ownSessionsQuery(
  db: Database,
  user: { accountId: string | Placeholder; practiceId: string | Placeholder },
  now: Date | Placeholder,
) {
  return db
    .select({
      id: sessions.id,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    .where(and(eq(sessions.accountId, user.accountId), isWithinIdleLimit(user.practiceId, now)))
    .orderBy(desc(sessions.lastSeenAt))
}

export type CurrentPasswordCheck =
  { ok: true } | { ok: false; reason: 'wrong-password' } | { ok: false; reason: 'throttled'; retryAfterMs: number }

/**
 * The signed-in person's current password, checked like a login: refused while the address is
 * held back, and a wrong one counts as a failed login and is a security event.
 */
export async function checkCurrentPassword(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { user: SessionUser; password: string; ip: string; action: string },
): Promise<CurrentPasswordCheck> {
  const { db, clock } = deps
  const { user, ip } = input
  // One read: the failures and the hash together.
  const [failures, [account]] = await db.batch([
    loginFailuresQuery(db, { email: user.email, ip }),
    db.select({ hash: accounts.passwordHash }).from(accounts).where(eq(accounts.id, user.accountId)),
  ])
  const throttle = throttleOf(failures, clock.now())
  if (!throttle.allowed) return { ok: false, reason: 'throttled', retryAfterMs: throttle.retryAfterMs ?? 15 * 60_000 }
  if (account && (await verifyPassword(account.hash, input.password))) return { ok: true }
  const now = clock.now()
  await db.batch([
    ...countLoginFailure(db, now, { email: user.email, ip, accountId: user.accountId }),
    insertSecurityEvent(db, now, {
      practiceId: user.practiceId,
      actorAccountId: user.accountId,
      targetStaffId: user.staffId,
      event: 'password.current_wrong',
      ip,
      detail: input.action,
    }),
  ])
  return { ok: false, reason: 'wrong-password' }
}

/** "Sign out other sessions": every session of the account but this one, once the current password is right. */
export async function endOtherSessions(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { user: SessionUser; currentSessionId: string; ip: string; currentPassword: string },
): Promise<CurrentPasswordCheck> {
  const { db } = deps
  const { user, currentSessionId, ip } = input
  const check = await checkCurrentPassword(deps, { user, password: input.currentPassword, ip, action: 'Sign out other sessions' })
  if (!check.ok) return check
  await db.batch([
    db.delete(sessions).where(and(eq(sessions.accountId, user.accountId), ne(sessions.id, currentSessionId))),
    insertAudit(db, deps.clock.now(), {
      practiceId: user.practiceId,
      actorAccountId: user.accountId,
      targetStaffId: user.staffId,
      event: 'sessions.ended',
      ip,
      detail: 'other sessions, by themselves',
    }),
  ])
  return { ok: true }
}

/** Ends one of the person's own sessions from their list; another account's session is not found. */
export async function endOwnSession(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { user: SessionUser; sessionId: string; ip: string },
): Promise<{ ok: true } | { ok: false; reason: 'not-found' }> {
  const { db } = deps
  const { user, sessionId, ip } = input
  const [ended] = await db
    .delete(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.accountId, user.accountId)))
    .returning({ userAgent: sessions.userAgent })
  if (!ended) return { ok: false, reason: 'not-found' }
  await db.batch([
    insertAudit(db, deps.clock.now(), {
      practiceId: user.practiceId,
      actorAccountId: user.accountId,
      targetStaffId: user.staffId,
      event: 'session.ended',
      ip,
      detail: describeDevice(ended.userAgent),
    }),
  ])
  return { ok: true }
}

/** Which browser on which system: enough to recognise a device, no fingerprinting. */
export function deviceOf(userAgent: string): DeviceParts {
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : null
  const system = /Windows/.test(userAgent)
    ? 'Windows'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Android/.test(userAgent)
        ? 'Android'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null
  return { browser, system }
}

/** "Chrome on Windows", for the audit trail (which is English, like the admin pages that show it). */
export const describeDevice = (userAgent: string): string => messagesFor('en').portal.deviceName(deviceOf(userAgent))
