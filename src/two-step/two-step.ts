// The account's two-step sign-in as a whole: what is on, confirming a change with a current
// factor, removing one, and the admin's reset. Each table is written by its own module.
import { and, asc, count, eq, isNull, sql, type SQLWrapper } from 'drizzle-orm'
import { accounts, passkeys, recoveryCodes, sessions, totpFactors, twoStepFailures } from '../../db/schema'
import { insertAuditWhere } from '../audit/audit'
import type { Deps } from '../deps'
import { deleteAccountChallenges } from './challenges'
import { clearAllFactorFailures, FACTOR_LOCK_FAILURES, type Factor } from './failures'
import { sendTwoStepNotice, type NoticeDeps, type NoticeFactor } from './notices'
import { verifyPasskeyAssertion } from './passkey-assertion'
import { deletePasskey, deletePasskeysStatement, type PasskeySummary } from './passkeys'
import { deletePendingLoginsStatement } from './pending-login'
import type { FactorResult, TwoStepPerson } from './person'
import { deleteRecoveryCodesStatement, spendRecoveryCode } from './recovery-codes'
import { deleteTotpStatement, removeTotp, verifyTotpStep, type TotpState } from './totp'

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
  input: { person: TwoStepPerson; answer: FactorAnswer; ip: string },
): Promise<FactorResult> {
  const { person, answer, ip } = input
  if ('totpCode' in answer) return verifyTotpStep(deps, { person, code: answer.totpCode, ip })
  if ('recoveryCode' in answer) return spendRecoveryCode(deps, { person, code: answer.recoveryCode, ip })
  const result = await verifyPasskeyAssertion(deps, { purpose: 'confirm', person, response: answer.passkeyResponse, ip })
  return result.ok ? { ok: true } : result
}

export type RemovableFactor = { kind: 'totp' } | { kind: 'passkey'; id: string }

/**
 * Removes one factor (the caller has confirmed with a current one). When it was the last, the
 * recovery codes go too and two-step sign-in is off. The person is told either way.
 */
export async function removeSecondFactor(
  deps: NoticeDeps,
  input: { person: TwoStepPerson; factor: RemovableFactor; ip: string },
): Promise<boolean> {
  const { person, factor, ip } = input
  let described: NoticeFactor
  if (factor.kind === 'totp') {
    if (!(await removeTotp(deps, { person, ip }))) return false
    described = { kind: 'app' }
  } else {
    const name = await deletePasskey(deps, { person, passkeyId: factor.id, ip })
    if (name === null) return false
    described = { kind: 'passkey', name }
  }
  const stillOn = await hasSecondFactor(deps, person.accountId)
  if (!stillOn) await deleteRecoveryCodesStatement(deps, person.accountId)
  await sendTwoStepNotice(deps, person.accountId, 'two-step-off', { factor: described, stillOn })
  return true
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
  ])
  if (!target) return { ok: false, reason: 'not-found' }
  await sendTwoStepNotice(deps, target.accountId, 'two-step-reset', {})
  return { ok: true }
}
