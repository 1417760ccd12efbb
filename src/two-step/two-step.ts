import type { BatchItem } from 'drizzle-orm/batch'
// The account's two-step sign-in as a whole: what is on, confirming a change with a current
// factor, removing one, and the admin's reset. Each table is written by its own module.
import { and, asc, count, eq, isNull, sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import { accounts, passkeys, practices, recoveryCodes, sessions, staff, totpFactors, twoStepFailures } from '../../db/schema'
import { insertAuditWhere } from '../audit/audit'
import type { Deps } from '../deps'
import { deleteAccountChallenges } from './challenges'
import { clearAllFactorFailures, clearFactorFailures, FACTOR_LOCK_FAILURES, type Factor } from './failures'
import { sendTwoStepNotice, twoStepNotice, type NoticeDeps, type NoticeFactor } from './notices'
import { verifyPasskeyAssertion } from './passkey-assertion'
import { deletePasskeyStatement, deletePasskeysStatement, type PasskeySummary } from './passkeys'
import { deletePendingLoginsStatement } from './pending-login'
import type { FactorResult, TwoStepPerson } from './person'
import { deleteRecoveryCodesStatement, spendRecoveryCode } from './recovery-codes'
import { deleteTotpStatement, removeTotpStatement, verifyTotpStep, type TotpState } from './totp'

export interface TwoStepStatus {
  totp: TotpState
  passkeys: PasskeySummary[]
  recoveryCodesLeft: number
  locked: Factor[]
  /** An authenticator app turned on or at least one passkey. */
  on: boolean
}

export async function getTwoStepStatus(deps: Pick<Deps, 'db'>, accountId: string): Promise<TwoStepStatus> {
  const { db } = deps
  // One round trip: every page of the second step and of the account reads this.
  const [[app], keys, [codes], failures] = await db.batch([
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
  ])
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

/** Whether a correct password must be followed by a second step. */
/** 1 when the account (a value or a column) has an enabled app or a passkey: for a select of its own or a column of another. */
export const secondFactorExists = (accountId: string | SQLWrapper) =>
  sql<number>`(exists (select 1 from ${totpFactors} where ${totpFactors.accountId} = ${accountId} and ${totpFactors.status} = 'enabled')
      or exists (select 1 from ${passkeys} where ${passkeys.accountId} = ${accountId}))`

export async function hasSecondFactor(deps: Pick<Deps, 'db'>, accountId: string): Promise<boolean> {
  const row = await deps.db.get<{ has: number }>(sql`select ${secondFactorExists(accountId)} as has`)
  return Boolean(row?.has)
}

export type FactorAnswer = { totpCode: string } | { recoveryCode: string } | { passkeyResponse: string }

/**
 * Removing a factor or making new recovery codes asks for a current factor first (OWASP), so a
 * session left open cannot be turned into a permanent way in or a lock-out.
 */
export async function confirmWithFactor(
  deps: NoticeDeps & Pick<Deps, 'config'>,
  input: { person: TwoStepPerson; answer: FactorAnswer; ip: string; deferWrites?: boolean },
): Promise<FactorResult> {
  const { person, answer, ip, deferWrites } = input
  if ('totpCode' in answer) return verifyTotpStep(deps, { person, code: answer.totpCode, ip, deferWrites })
  if ('recoveryCode' in answer) return spendRecoveryCode(deps, { person, code: answer.recoveryCode, ip, deferWrites })
  const result = await verifyPasskeyAssertion(deps, { purpose: 'confirm', person, response: answer.passkeyResponse, ip })
  return result.ok ? { ok: true } : result
}

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

export async function checkRemoval(
  deps: Pick<Deps, 'db'>,
  input: { person: TwoStepPerson; factor: RemovableFactor },
): Promise<RemovalCheck> {
  const [row] = await removalCheckQuery(deps, input.person.accountId, input.factor)
  return row ? { found: true, allowed: Boolean(row.allowed), name: row.name } : { found: false }
}

export type RemoveFactorResult = { ok: true } | { ok: false; reason: 'not-found' | 'required' }

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
  input: { person: TwoStepPerson; factor: RemovableFactor; ip: string; followUp?: BatchItem<'sqlite'>[] },
): Promise<RemoveFactorResult> {
  const { db, clock } = deps
  const { person, factor, ip } = input
  const { accountId } = person
  const { table, target, name, others } = removalTerms(accountId, factor)
  const allowed = removalAllowed(accountId, others)
  const takes = and(target, allowed)!
  const takesNow = sql`exists (select 1 from ${table} where ${takes})`
  const removal = factor.kind === 'totp' ? removeTotpStatement(deps, accountId, allowed) : deletePasskeyStatement(deps, takes)
  const [[check]] = await db.batch([
    removalCheckQuery(deps, accountId, factor),
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
    // The last factor going: the codes go with it.
    deleteRecoveryCodesStatement(deps, accountId, and(takesNow, sql`not ${others}`)),
    removal,
    // What the confirming answer still owed: it was right whatever this removal does.
    ...(input.followUp ?? []),
  ])
  if (!check) return { ok: false, reason: 'not-found' }
  if (!check.allowed) return { ok: false, reason: 'required' }
  const described: NoticeFactor = factor.kind === 'totp' ? { kind: 'app' } : { kind: 'passkey', name: check.name }
  await sendTwoStepNotice(deps, accountId, 'two-step-off', { factor: described, stillOn: Boolean(check.others) })
  return { ok: true }
}

/**
 * Reset Two-Step Sign-In, by an admin of the same practice: every factor, recovery code,
 * failure count, second step under way and session of the person goes, audited, and the
 * person is emailed. The only path that removes factors without one of them: a password
 * reset never does.
 */
export async function resetTwoStep(
  deps: NoticeDeps,
  input: { admin: { accountId: string; practiceId: string }; staffId: string; ip: string },
): Promise<{ ok: true } | { ok: false; reason: 'not-found' }> {
  const { db, clock } = deps
  // One batch: the account read first, then every statement keyed by the same subquery, so an
  // account outside the admin's practice (or none) matches nothing and nothing is written.
  const ofPractice = and(eq(accounts.staffId, input.staffId), eq(accounts.practiceId, input.admin.practiceId))
  const accountId = sql`(select ${accounts.id} from ${accounts} where ${ofPractice})`
  const notice = twoStepNotice(deps, accountId, 'two-step-reset', {})
  const [[target]] = await db.batch([
    db.select({ accountId: accounts.id }).from(accounts).where(ofPractice),
    deleteTotpStatement(deps, accountId),
    deletePasskeysStatement(deps, accountId),
    deleteRecoveryCodesStatement(deps, accountId),
    clearAllFactorFailures(deps, accountId),
    deletePendingLoginsStatement(deps, accountId),
    deleteAccountChallenges(deps, accountId),
    db.delete(sessions).where(eq(sessions.accountId, accountId)),
    insertAuditWhere(
      db,
      clock.now(),
      {
        practiceId: accounts.practiceId,
        actorAccountId: input.admin.accountId,
        targetStaffId: accounts.staffId,
        event: 'two_step.reset',
        ip: input.ip,
        detail: 'factors, recovery codes and sessions removed',
      },
      accounts,
      ofPractice,
    ),
    notice.insert,
  ])
  if (!target) return { ok: false, reason: 'not-found' }
  await notice.send()
  return { ok: true }
}
