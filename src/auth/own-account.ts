import { and, desc, eq, gt, ne } from 'drizzle-orm'
import { accounts, auditEvents, sessions } from '../../db/schema'
import { auditValues } from '../audit/audit'
import type { Clock } from '../clock'
import type { Database } from '../db'
import type { SessionUser } from './session'
import { SESSION_IDLE_MS } from './session'

/** The signed-in person's own live sessions, most recent first. */
export function ownSessionsQuery(db: Database, accountId: string, now: Date) {
  return db
    .select({
      id: sessions.id,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    .where(and(eq(sessions.accountId, accountId), gt(sessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_MS))))
    .orderBy(desc(sessions.lastSeenAt))
}

export async function endOtherSessions(db: Database, clock: Clock, user: SessionUser, currentSessionId: string, ip: string) {
  await db.batch([
    db.delete(sessions).where(and(eq(sessions.accountId, user.accountId), ne(sessions.id, currentSessionId))),
    db.insert(auditEvents).values(
      auditValues(clock, {
        practiceId: user.practiceId,
        actorAccountId: user.accountId,
        targetStaffId: user.staffId,
        event: 'sessions.ended',
        ip,
        detail: 'other sessions, by themselves',
      }),
    ),
  ])
}

export async function currentPasswordHash(db: Database, accountId: string): Promise<string | null> {
  const [row] = await db.select({ hash: accounts.passwordHash }).from(accounts).where(eq(accounts.id, accountId))
  return row?.hash ?? null
}

/** "Chrome on Windows": enough to recognise a device, no fingerprinting. */
export function describeDevice(userAgent: string): string {
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'A browser'
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
            : 'an unknown system'
  return `${browser} on ${system}`
}
