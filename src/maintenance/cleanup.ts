import { and, lte, notInArray, or, sql } from 'drizzle-orm'
import { accounts, passwordResetCodes, practices, resetCodeRequests, sessions } from '../../db/schema'
import { SESSION_IDLE_MINUTES, SESSION_MAX_MS } from '../auth/session'
import type { Clock } from '../clock'
import type { Database } from '../db'
import { deleteExpiredChallenges } from '../two-step/challenges'
import { deleteExpiredPendingLogins } from '../two-step/pending-login'

const DAY_MS = 24 * 60 * 60 * 1000
/** Reset codes (used, voided or not) are kept a day past their expiry, for support questions. */
export const RESET_CODE_KEEP_MS = DAY_MS
/** Send Code requests are counted over the last hour; a day of them is plenty. */
export const RESET_REQUEST_KEEP_MS = DAY_MS

export interface CleanupReport {
  sessions: number
  resetCodes: number
  resetCodeRequests: number
  webauthnChallenges: number
  pendingLogins: number
}

/** Idle past its own practice's "Sign Out After" (read through the account), as validateSessionToken judges it. */
const pastIdleLimit = (now: number) =>
  sql`${sessions.lastSeenAt} <= ${now} - 60000 * coalesce((select ${practices.sessionIdleMinutes} from ${accounts} join ${practices} on ${practices.id} = ${accounts.practiceId} where ${accounts.id} = ${sessions.accountId}), ${SESSION_IDLE_MINUTES.default})`

/**
 * Deletes what can no longer be used: sessions past their idle or absolute limit (the same
 * limits validateSessionToken applies), reset codes a day past their expiry, and Send Code
 * requests older than a day, and unanswered passkey challenges and second steps past their
 * five minutes. Invitations, reset links, the email outbox and the audit log are
 * history that people read, and are kept.
 */
export async function cleanUpExpired(deps: { db: Database; clock: Clock }): Promise<CleanupReport> {
  const { db, clock } = deps
  const now = clock.now().getTime()
  const [expiredSessions, oldCodes, oldRequests, challenges, pending] = await db.batch([
    db.delete(sessions).where(or(pastIdleLimit(now), lte(sessions.createdAt, new Date(now - SESSION_MAX_MS)))),
    db.delete(passwordResetCodes).where(lte(passwordResetCodes.expiresAt, new Date(now - RESET_CODE_KEEP_MS))),
    // A request whose code row is still kept stays too: the code points at it.
    db
      .delete(resetCodeRequests)
      .where(
        and(
          lte(resetCodeRequests.createdAt, new Date(now - RESET_REQUEST_KEEP_MS)),
          notInArray(
            resetCodeRequests.id,
            db.select({ id: sql<number>`coalesce(${passwordResetCodes.requestId}, 0)` }).from(passwordResetCodes),
          ),
        ),
      ),
    deleteExpiredChallenges(deps, new Date(now)),
    deleteExpiredPendingLogins(deps, new Date(now)),
  ])
  return {
    sessions: expiredSessions.rowsAffected,
    resetCodes: oldCodes.rowsAffected,
    resetCodeRequests: oldRequests.rowsAffected,
    webauthnChallenges: challenges.rowsAffected,
    pendingLogins: pending.rowsAffected,
  }
}
