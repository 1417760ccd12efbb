import { and, asc, count, eq, isNull } from 'drizzle-orm'
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch'
import { passkeys, recoveryCodes, totpFactors, twoStepFailures } from '../../db/schema'
import type { Deps } from '../deps'
import { FACTOR_LOCK_FAILURES, type Factor } from './failures'
import type { PasskeySummary } from './passkeys'

// What the account's two-step sign-in looks like: the pages read it, and a change's batch can
// read it last, after its writes, for the page it answers with.

/** The authenticator app as the person's page shows it. */
export type TotpState = { status: 'off' } | { status: 'pending'; secret: string } | { status: 'on'; enabledAt: Date | null }

export interface TwoStepStatus {
  totp: TotpState
  passkeys: PasskeySummary[]
  recoveryCodesLeft: number
  locked: Factor[]
  /** An authenticator app turned on or at least one passkey. */
  on: boolean
}

/** The reads behind TwoStepStatus, for a batch of their own or the end of a change's batch (read after its writes). */
export function twoStepStatusQueries(db: Deps['db'], accountId: string) {
  return [
    db
      .select({ status: totpFactors.status, secret: totpFactors.secret, enabledAt: totpFactors.enabledAt })
      .from(totpFactors)
      .where(eq(totpFactors.accountId, accountId)),
    db
      .select({ id: passkeys.id, name: passkeys.name, createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt })
      .from(passkeys)
      .where(eq(passkeys.accountId, accountId))
      .orderBy(asc(passkeys.createdAt)),
    db
      .select({ left: count() })
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.accountId, accountId), isNull(recoveryCodes.usedAt))),
    db
      .select({ factor: twoStepFailures.factor, failures: twoStepFailures.failures })
      .from(twoStepFailures)
      .where(eq(twoStepFailures.accountId, accountId)),
  ] as const
}

type StatusRows = BatchResponse<ReturnType<typeof twoStepStatusQueries>>

/** What twoStepStatusQueries read. */
export function twoStepStatusFrom([[app], keys, [codes], failures]: StatusRows): TwoStepStatus {
  const totp: TotpState = !app
    ? { status: 'off' }
    : app.status === 'enabled'
      ? { status: 'on', enabledAt: app.enabledAt }
      : { status: 'pending', secret: app.secret }
  return {
    totp,
    passkeys: keys,
    recoveryCodesLeft: codes?.left ?? 0,
    locked: failures.filter((f) => f.failures >= FACTOR_LOCK_FAILURES).map((f) => f.factor),
    on: totp.status === 'on' || keys.length > 0,
  }
}

export async function getTwoStepStatus(deps: Pick<Deps, 'db'>, accountId: string): Promise<TwoStepStatus> {
  // One round trip: every page of the second step and of the account reads this.
  return twoStepStatusFrom(await deps.db.batch(twoStepStatusQueries(deps.db, accountId)))
}

/**
 * A change's batch with the status read last, after its writes, in the same transaction: the
 * page the change answers with costs no call of its own.
 */
export async function batchWithStatus(
  db: Deps['db'],
  accountId: string,
  statements: BatchItem<'sqlite'>[],
): Promise<{ results: unknown[]; status: TwoStepStatus }> {
  const all = (await db.batch([...statements, ...twoStepStatusQueries(db, accountId)] as unknown as [BatchItem<'sqlite'>])) as unknown[]
  return {
    results: all.slice(0, statements.length),
    status: twoStepStatusFrom(all.slice(statements.length) as unknown as StatusRows),
  }
}
