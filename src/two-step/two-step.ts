// The account's two-step sign-in as a whole: what is on, confirming a change with a current
// factor, and the admin's reset. Each table is written by its own module.
import { and, eq, sql, type SQLWrapper } from 'drizzle-orm'
import { accounts, passkeys, sessions, totpFactors } from '../../db/schema'
import { insertAuditWhere } from '../audit/audit'
import type { Deps } from '../deps'
import { deleteAccountChallenges } from './challenges'
import { clearAllFactorFailures } from './failures'
import { twoStepNotice, type NoticeDeps } from './notices'
import { verifyPasskeyAssertion } from './passkey-assertion'
import { deletePasskeysStatement } from './passkeys'
import { deletePendingLoginsStatement } from './pending-login'
import type { FactorResult, ReadGate, TwoStepPerson } from './person'
import { spendRecoveryCode, tryRecoveryCode } from './recovery-code-check'
import { deleteRecoveryCodesStatement, type RecoveryCodeTry } from './recovery-codes'
import { deleteTotpStatement } from './totp'
import { verifyTotpStep } from './totp-check'

export { getTwoStepStatus, twoStepStatusFrom, twoStepStatusQueries, type TwoStepStatus } from './status'

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
  /**
   * gate: a read to answer before the factor is tried, carried in a code's first read; a
   * passkey's check has no read to carry it, so it is read on its own first. With deferWrites,
   * a recovery code's notice joins followUp (send it with `notify` after that batch); with
   * claimInBatch too, an app code comes back as a claim (FactorClaim) for the change's batch.
   * With codeInBatch, a recovery code comes back unchecked (`code`), for the change's batch to
   * check, count and spend (removeSecondFactor, renewRecoveryCodes).
   */
  input: {
    person: TwoStepPerson
    answer: FactorAnswer
    ip: string
    deferWrites?: boolean
    claimInBatch?: boolean
    codeInBatch?: boolean
    gate?: ReadGate
  },
): Promise<FactorResult<RecoveryCodeTry>> {
  const { person, answer, ip, deferWrites, claimInBatch, gate } = input
  if ('totpCode' in answer) return verifyTotpStep(deps, { person, code: answer.totpCode, ip, deferWrites, claimInBatch, gate })
  if ('recoveryCode' in answer && input.codeInBatch) {
    const code = await tryRecoveryCode(deps, { person, code: answer.recoveryCode, ip, gate })
    return 'accepted' in code ? { ok: true, code } : code
  }
  if ('recoveryCode' in answer)
    return spendRecoveryCode(deps, { person, code: answer.recoveryCode, ip, deferWrites, noticeInFollowUp: deferWrites, gate })
  if (gate) {
    const refused = gate.refuses(await gate.query)
    if (refused) return refused
  }
  const result = await verifyPasskeyAssertion(deps, { purpose: 'confirm', person, response: answer.passkeyResponse, ip })
  return result.ok ? { ok: true } : result
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
