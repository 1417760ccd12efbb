import { and, eq, inArray, isNull, type SQL } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import { passwordResetCodes, passwordResetLinks, resetCodeRequests } from '../../db/schema'
import type { Database } from '../db'

// Statement builders that end an account's ways back in by recovery: a new password, and
// disabling portal access, put them in the same batch as their own writes. The account is an id,
// or a query of ids for a batch that does not know it yet.

type AccountIds = string | Parameters<typeof inArray>[1]
const ofAccount = (column: SQLiteColumn, accountId: AccountIds): SQL | undefined =>
  typeof accountId === 'string' ? eq(column, accountId) : inArray(column, accountId)

/** Kills the account's live codes and the requests they answer: two statements, in this order. */
export function voidCodes(db: Database, accountId: AccountIds, now: Date) {
  const live = and(
    ofAccount(passwordResetCodes.accountId, accountId),
    isNull(passwordResetCodes.usedAt),
    isNull(passwordResetCodes.voidedAt),
  )
  return [
    db
      .update(resetCodeRequests)
      .set({ voidedAt: now })
      .where(
        and(
          inArray(resetCodeRequests.id, db.select({ id: passwordResetCodes.requestId }).from(passwordResetCodes).where(live)),
          isNull(resetCodeRequests.usedAt),
          isNull(resetCodeRequests.voidedAt),
        ),
      ),
    db.update(passwordResetCodes).set({ voidedAt: now }).where(live),
  ] as const
}

/** Ends the account's live reset links, as replaced (a new password) or revoked (access disabled). */
export function endResetLinks(db: Database, accountId: AccountIds, now: Date, how: 'replacedAt' | 'revokedAt') {
  return db
    .update(passwordResetLinks)
    .set({ [how]: now })
    .where(
      and(
        ofAccount(passwordResetLinks.accountId, accountId),
        isNull(passwordResetLinks.usedAt),
        isNull(passwordResetLinks.revokedAt),
        isNull(passwordResetLinks.replacedAt),
      ),
    )
}
