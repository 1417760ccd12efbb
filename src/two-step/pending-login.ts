import { and, eq, gt, lte, sql, type SQL } from 'drizzle-orm'
import { accounts, pendingLogins, staff } from '../../db/schema'
import { loginAccountColumns, type LoginAccount } from '../auth/finish-login'
import { issueToken, parseToken, verifySecret } from '../auth/tokens'
import type { Deps } from '../deps'
import type { Locale } from '../text/locale'

// Long enough to open an app or find a security key; short enough that a password typed on a
// shared computer does not wait there for someone else's second step.
export const PENDING_LOGIN_TTL_MS = 5 * 60 * 1000

/** The account the password step found, waiting for its second step. */
export interface PendingLogin extends LoginAccount {
  id: string
  /** The person's language: the second step is in it, as their pages are once signed in. */
  language: Locale
  expiresAt: Date
}

/**
 * After a correct password, for a person with a second factor: a token for one browser (a
 * cookie), stored hashed like a session's. It is not a session: no page opens with it.
 */
export async function startPendingLogin(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { accountId: string; practiceId: string; ip: string },
): Promise<{ token: string; expiresAt: Date }> {
  const { id, token, secretHash } = issueToken()
  const now = deps.clock.now()
  const expiresAt = new Date(now.getTime() + PENDING_LOGIN_TTL_MS)
  await deps.db.batch([
    // Old ones of this account go here rather than in a cron: they are dead weight after 5 minutes.
    deps.db.delete(pendingLogins).where(and(eq(pendingLogins.accountId, input.accountId), lte(pendingLogins.expiresAt, now))),
    deps.db.insert(pendingLogins).values({
      id,
      secretHash,
      accountId: input.accountId,
      practiceId: input.practiceId,
      ip: input.ip.slice(0, 64),
      createdAt: now,
      expiresAt,
    }),
  ])
  return { token, expiresAt }
}

/**
 * The pending login a cookie names, while it lasts and while the account may still log in
 * (access disabled or the profile made inactive since the password step ends it); null otherwise.
 */
export async function findPendingLogin(deps: Pick<Deps, 'db' | 'clock'>, token: string): Promise<PendingLogin | null> {
  const parsed = parseToken(token)
  if (!parsed) return null
  const [row] = await deps.db
    .select({
      ...loginAccountColumns,
      id: pendingLogins.id,
      secretHash: pendingLogins.secretHash,
      expiresAt: pendingLogins.expiresAt,
      disabledAt: accounts.disabledAt,
      isActive: staff.isActive,
      language: staff.language,
    })
    .from(pendingLogins)
    .innerJoin(accounts, eq(accounts.id, pendingLogins.accountId))
    .innerJoin(staff, eq(staff.id, accounts.staffId))
    .where(and(eq(pendingLogins.id, parsed.id), gt(pendingLogins.expiresAt, deps.clock.now())))
  if (!row || !verifySecret(parsed.secret, row.secretHash) || row.disabledAt || !row.isActive) return null
  const { secretHash: _secret, disabledAt: _disabled, isActive: _active, ...pending } = row
  return pending
}

/**
 * True while the pending login is there to be ended: the guard of a login's writes (finishLogin)
 * ordered before endPendingLoginStatement in the same batch. Only one batch can end it, so only
 * that batch's writes see it.
 */
export function pendingLoginIsLive(pendingLoginId: string): SQL {
  return sql`exists (select 1 from ${pendingLogins} where ${pendingLogins.id} = ${pendingLoginId})`
}

/**
 * Ends it once the second step succeeded, for the caller's batch: it returns the row for the one
 * request that deleted it, so two requests finishing the same pending login cannot both open a
 * session. With `onlyIf`, only where that also holds (the answer's own check, later in the batch).
 */
export function endPendingLoginStatement(deps: Pick<Deps, 'db'>, pendingLoginId: string, onlyIf?: SQL) {
  return deps.db
    .delete(pendingLogins)
    .where(and(eq(pendingLogins.id, pendingLoginId), onlyIf))
    .returning({ id: pendingLogins.id })
}

/** For the maintenance run. */
export function deleteExpiredPendingLogins(deps: Pick<Deps, 'db'>, now: Date) {
  return deps.db.delete(pendingLogins).where(lte(pendingLogins.expiresAt, now))
}

/** For Reset Two-Step Sign-In: a second step under way stops too. */
export function deletePendingLoginsStatement(deps: Pick<Deps, 'db'>, accountId: string | SQL) {
  return deps.db.delete(pendingLogins).where(eq(pendingLogins.accountId, accountId))
}
