import { and, desc, eq, ne } from 'drizzle-orm'
import { sessions } from '../../db/schema'
import { insertAudit } from '../audit/audit'
import type { Database } from '../db'
import type { Deps } from '../deps'
import type { SessionUser } from './session'
import { isWithinIdleLimit } from './session'

/** The signed-in person's own live sessions, most recent first: a query for a batch. */
export function ownSessionsQuery(db: Database, user: Pick<SessionUser, 'accountId' | 'practiceId'>, now: Date) {
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

export async function endOtherSessions(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { user: SessionUser; currentSessionId: string; ip: string },
): Promise<void> {
  const { db } = deps
  const { user, currentSessionId, ip } = input
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
