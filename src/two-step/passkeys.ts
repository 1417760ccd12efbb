import { and, asc, count, eq, type SQL } from 'drizzle-orm'
import { passkeys } from '../../db/schema'
import { insertAudit } from '../audit/audit'
import type { Deps } from '../deps'
import type { TwoStepPerson } from './person'

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

/** Removes one of the person's passkeys, audited; its name for the notice, or null if it is not theirs. */
export async function deletePasskey(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { person: TwoStepPerson; passkeyId: string; ip: string },
): Promise<string | null> {
  const { db, clock } = deps
  const { person } = input
  const [removed] = await db
    .delete(passkeys)
    .where(and(eq(passkeys.id, input.passkeyId), eq(passkeys.accountId, person.accountId)))
    .returning({ name: passkeys.name })
  if (!removed) return null
  await insertAudit(db, clock.now(), {
    practiceId: person.practiceId,
    actorAccountId: person.accountId,
    targetStaffId: person.staffId,
    event: 'two_step.factor_removed',
    ip: input.ip,
    detail: `passkey "${removed.name}"`,
  })
  return removed.name
}

export async function countPasskeys(deps: Pick<Deps, 'db'>, accountId: string): Promise<number> {
  const [row] = await deps.db.select({ n: count() }).from(passkeys).where(eq(passkeys.accountId, accountId))
  return row?.n ?? 0
}

/** For Reset Two-Step Sign-In. */
export function deletePasskeysStatement(deps: Pick<Deps, 'db'>, accountId: string | SQL) {
  return deps.db.delete(passkeys).where(eq(passkeys.accountId, accountId))
}
