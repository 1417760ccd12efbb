import { asc, count, eq, type SQL } from 'drizzle-orm'
import { passkeys } from '../../db/schema'
import type { Deps } from '../deps'

// The passkeys table: a person's list, count and removal. Registering one is
// passkey-registration.ts; signing in with one is passkey-assertion.ts.

export const MAX_PASSKEYS = 10
export const PASSKEY_NAME_MAX = 60

export interface PasskeySummary {
  id: string
  name: string
  createdAt: Date
  lastUsedAt: Date | null
}

export async function listPasskeys(deps: Pick<Deps, 'db'>, accountId: string): Promise<PasskeySummary[]> {
  return deps.db
    .select({ id: passkeys.id, name: passkeys.name, createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt })
    .from(passkeys)
    .where(eq(passkeys.accountId, accountId))
    .orderBy(asc(passkeys.createdAt))
}

/** Removes one of the person's passkeys where `where` holds (it names the passkey and the account), for the caller's batch. */
export function deletePasskeyStatement(deps: Pick<Deps, 'db'>, where: SQL) {
  return deps.db.delete(passkeys).where(where)
}

export async function countPasskeys(deps: Pick<Deps, 'db'>, accountId: string): Promise<number> {
  const [row] = await deps.db.select({ n: count() }).from(passkeys).where(eq(passkeys.accountId, accountId))
  return row?.n ?? 0
}

/** For Reset Two-Step Sign-In. */
export function deletePasskeysStatement(deps: Pick<Deps, 'db'>, accountId: string | SQL) {
  return deps.db.delete(passkeys).where(eq(passkeys.accountId, accountId))
}
