import { and, gt, isNull, type Placeholder, type SQL } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'

// Invitations and admin reset links are the same kind of thing: an emailed single-use link that
// can be used, revoked, replaced by a newer one, or left to expire. One ladder serves both.

/** Where a link stands; 'unknown' is a token that names no link. */
export type LinkState = 'valid' | 'expired' | 'used' | 'revoked' | 'replaced' | 'unknown'

export interface LinkRow {
  usedAt: Date | null
  revokedAt: Date | null
  replacedAt: Date | null
  expiresAt: Date
}

/** Derived from the row each time, never stored: what ended it first is what the person is told. */
export function linkState(row: LinkRow, now: Date): Exclude<LinkState, 'unknown'> {
  if (row.usedAt) return 'used'
  if (row.revokedAt) return 'revoked'
  if (row.replacedAt) return 'replaced'
  return row.expiresAt.getTime() <= now.getTime() ? 'expired' : 'valid'
}

/** The same ladder as a condition on the table: the link still works at `now`. */
export function isLiveLink(table: { [K in keyof LinkRow]: SQLiteColumn }, now: Date | Placeholder): SQL {
  return and(isNull(table.usedAt), isNull(table.revokedAt), isNull(table.replacedAt), gt(table.expiresAt, now))!
}
