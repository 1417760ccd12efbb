// Removing one second factor, confirmed with a current one, under the practice's policy.
import type { BatchItem } from 'drizzle-orm/batch'
import { and, eq, sql, type SQL } from 'drizzle-orm'
import { accounts, passkeys, practices, staff, totpFactors } from '../../db/schema'
import { insertAuditWhere } from '../audit/audit'
import type { Deps } from '../deps'
import { clearFactorFailures } from './failures'
import { jsonBoolean, twoStepNotice, type NoticeDeps } from './notices'
import { deletePasskeyStatement } from './passkeys'
import type { FactorRefusal, ReadGate, TwoStepPerson } from './person'
import { deleteRecoveryCodesStatement, type RecoveryCodeTry } from './recovery-codes'
import { removeTotpStatement } from './totp'
import { secondFactorExists } from './two-step'

export type RemovableFactor = { kind: 'totp' } | { kind: 'passkey'; id: string }

/**
 * 1 when the practice's "Require Two-Step Sign-In" covers the account's holder (the same rule as
 * policyCovers, read where the write happens).
 */
const policyCoversAccount = (accountId: string) =>
  sql<number>`exists (select 1 from ${accounts}
      inner join ${staff} on ${staff.id} = ${accounts.staffId}
      inner join ${practices} on ${practices.id} = ${accounts.practiceId}
      where ${accounts.id} = ${accountId}
        and (${practices.twoStepPolicy} = 'everyone' or (${practices.twoStepPolicy} = 'admins' and ${staff.role} = 'admin')))`

/** The factor itself (an enabled app, or this passkey of the account), and the second factors the account would keep. */
function removalTerms(accountId: string, factor: RemovableFactor) {
  if (factor.kind === 'totp')
    return {
      table: totpFactors,
      target: and(eq(totpFactors.accountId, accountId), eq(totpFactors.status, 'enabled'))!,
      name: sql<string>`''`,
      others: sql<number>`exists (select 1 from ${passkeys} where ${passkeys.accountId} = ${accountId})`,
    }
  return {
    table: passkeys,
    target: and(eq(passkeys.id, factor.id), eq(passkeys.accountId, accountId))!,
    name: sql<string>`${passkeys.name}`,
    others: sql<number>`(exists (select 1 from ${totpFactors} where ${totpFactors.accountId} = ${accountId} and ${totpFactors.status} = 'enabled')
      or exists (select 1 from ${passkeys} where ${passkeys.accountId} = ${accountId} and ${passkeys.id} <> ${factor.id}))`,
  }
}

/** Removing is allowed unless it takes the last second factor of a person the practice's policy covers. */
const removalAllowed = (accountId: string, others: SQL) => sql<number>`(${others} or not ${policyCoversAccount(accountId)})`

/** Whether the factor is the person's and may be removed, read before its confirmation spends anything. */
export type RemovalCheck = { found: false } | { found: true; allowed: boolean; name: string }

function removalCheckQuery(deps: Pick<Deps, 'db'>, accountId: string, factor: RemovableFactor) {
  const { table, target, name, others } = removalTerms(accountId, factor)
  return deps.db
    .select({ name, allowed: removalAllowed(accountId, others), others })
    .from(table)
    .where(target)
}

const removalCheckOf = (row: { name: string; allowed: number } | undefined): RemovalCheck =>
  row ? { found: true, allowed: Boolean(row.allowed), name: row.name } : { found: false }

/**
 * The removal check as a gate for the confirming factor's first read (one call for both, as the
 * login's waits ride in the second step's code check): a removal `refuses` answers before the
 * factor is tried, so nothing is spent or counted. `check()` says what the read found, once it ran.
 */
export function removalGate(
  deps: Pick<Deps, 'db'>,
  input: { person: TwoStepPerson; factor: RemovableFactor; refuses: (check: RemovalCheck) => boolean },
) {
  let check: RemovalCheck | undefined
  const gate: ReadGate = {
    query: removalCheckQuery(deps, input.person.accountId, input.factor),
    refuses: (rows) => {
      check = removalCheckOf((rows as { name: string; allowed: number }[])[0])
      // The reason is the route's to word: it reads check() before the factor's refusal.
      return input.refuses(check) ? { ok: false, reason: 'unavailable' } : null
    },
  }
  return { gate, check: () => check }
}

export type RemoveFactorResult =
  | { ok: true }
  | { ok: false; reason: 'not-found' | 'required' }
  // The recovery code checked in the removal's batch was wrong, used, or past the throttle: nothing removed.
  | { ok: false; reason: 'refused'; refused: FactorRefusal }

/**
 * Removes one factor (the caller has confirmed with a current one). When it was the last, the
 * recovery codes go too and two-step sign-in is off; the last factor of a person the practice
 * requires two-step sign-in of is refused ('required'). The person is told of a removal.
 *
 * One batch: the check read first, then each write under the check's own condition (the factor
 * is there and its removal allowed), the factor's DELETE last among them; so a removal the
 * policy refuses, or one another request got to first, writes nothing.
 */
export async function removeSecondFactor(
  deps: NoticeDeps,
  input: {
    person: TwoStepPerson
    factor: RemovableFactor
    ip: string
    /** What the confirming answer still owes (confirmWithFactor's followUp), and the sending of its notice. */
    followUp?: BatchItem<'sqlite'>[]
    notify?: () => Promise<void>
    /**
     * A removal confirmed with a recovery code not yet checked (confirmWithFactor's codeInBatch):
     * checked, counted and spent in this batch, every write here guarded by it too.
     */
    code?: RecoveryCodeTry
  },
): Promise<RemoveFactorResult> {
  const { db, clock } = deps
  const { person, factor, ip, code } = input
  const { accountId } = person
  const { table, target, name, others } = removalTerms(accountId, factor)
  const allowed = removalAllowed(accountId, others)
  // With a code, only where the code will be spent (its `accepted`, read before the spend).
  const takes = and(target, allowed, code?.accepted)!
  const takesNow = sql`exists (select 1 from ${table} where ${takes})`
  const removal =
    factor.kind === 'totp' ? removeTotpStatement(deps, accountId, allowed, code?.accepted) : deletePasskeyStatement(deps, takes)
  // Its name and whether a factor stays are read as the notice is written, before the DELETE.
  const described =
    factor.kind === 'totp'
      ? { kind: 'app' as const }
      : sql`json_object('kind', 'passkey', 'name', (select ${passkeys.name} from ${passkeys} where ${takes}))`
  const notice = twoStepNotice(deps, accountId, 'two-step-off', { factor: described, stillOn: jsonBoolean(others) }, takesNow)
  const statements = [
    removalCheckQuery(deps, accountId, factor),
    // The code's try counted first, where it is wrong (RecoveryCodeTry's order).
    ...(code ? [code.count] : []),
    insertAuditWhere(
      db,
      clock.now(),
      {
        practiceId: person.practiceId,
        actorAccountId: accountId,
        targetStaffId: person.staffId,
        event: 'two_step.factor_removed',
        ip,
        detail: factor.kind === 'totp' ? 'authenticator app' : sql<string>`'passkey "' || ${name} || '"'`,
      },
      table,
      takes,
    ),
    ...(factor.kind === 'totp' ? [clearFactorFailures(deps, { accountId, factor: 'totp' }, takesNow)] : []),
    // The last factor going: the codes go with it. With a code to spend, only once it is spent (below).
    ...(code ? [] : [deleteRecoveryCodesStatement(deps, accountId, and(takesNow, sql`not ${others}`))]),
    notice.insert,
    ...(code ? code.owed : []),
    removal,
    ...(code
      ? [
          code.spend,
          // No second factor left is this batch's removal of the last one (codes exist only with a factor).
          deleteRecoveryCodesStatement(deps, accountId, sql`not ${secondFactorExists(accountId)}`),
          code.standing,
        ]
      : []),
    // What the confirming answer still owed: it was right whatever this removal does.
    ...(input.followUp ?? []),
  ] as BatchItem<'sqlite'>[]
  const results = (await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]])) as unknown[]
  const [check] = results[0] as { name: string; allowed: number }[]
  if (code) {
    const at = (statement: BatchItem<'sqlite'>) => results[statements.indexOf(statement)] as never
    const tried = await code.settle(at(code.count), at(code.spend), at(code.standing))
    if (!tried.ok) return { ok: false, reason: 'refused', refused: tried }
  }
  // The confirming answer's notice first: it was used before the factor went.
  await input.notify?.()
  if (!check) return { ok: false, reason: 'not-found' }
  if (!check.allowed) return { ok: false, reason: 'required' }
  // Written where the factor was there and its removal allowed: this batch removed it.
  await notice.send()
  return { ok: true }
}
