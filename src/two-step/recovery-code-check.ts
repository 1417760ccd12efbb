import { and, eq, isNull, sql } from 'drizzle-orm'
import { recoveryCodes } from '../../db/schema'
import { insertAudit, insertAuditWhere } from '../audit/audit'
import {
  clearFactorFailures,
  countFailureWhere,
  factorFailuresQuery,
  mayTryFactor,
  settleFailure,
  throttleRefusal,
  tryFactor,
  type FailureInput,
} from './failures'
import { sendTwoStepNotice, twoStepNotice, type NoticeDeps } from './notices'
import {
  ownAuditEntry,
  ownAuditFrom,
  readWithGate,
  type AnswerClaim,
  type FactorRefusal,
  type FactorResult,
  type ReadGate,
  type TwoStepPerson,
} from './person'
import {
  hashRecoveryCode,
  normalizeRecoveryCode,
  spendRecoveryCodeStatement,
  unusedCodesQuery,
  type RecoveryCodeTry,
} from './recovery-codes'

/**
 * Uses up one code. The UPDATE that marks it used only matches while used_at is null, so two
 * requests racing with the same code cannot both get through. The person is told by email:
 * with deferWrites and noticeInFollowUp, the notice's outbox row joins followUp and `notify`
 * sends it (after the caller's batch); otherwise the row is written here, a call of its own.
 */
export async function spendRecoveryCode(
  deps: NoticeDeps,
  input: { person: TwoStepPerson; code: string; ip: string; deferWrites?: boolean; noticeInFollowUp?: boolean; gate?: ReadGate },
): Promise<FactorResult> {
  const { db, clock } = deps
  const { person } = input
  const refused = await refusalBeforeTry(deps, input)
  if (refused) return refused
  const code = normalizeRecoveryCode(input.code)
  // Counted with its check, so parallel guesses get no more checks than the throttle allows.
  const tried = await tryFactor(
    deps,
    { ...person, factor: 'recovery-code', ip: input.ip },
    code
      ? (mayTry) =>
          db
            .update(recoveryCodes)
            .set({ usedAt: clock.now() })
            .where(
              and(
                eq(recoveryCodes.accountId, person.accountId),
                eq(recoveryCodes.codeHash, hashRecoveryCode(person.accountId, code)),
                isNull(recoveryCodes.usedAt),
                mayTry,
              ),
            )
            .returning({ id: recoveryCodes.id })
      : null,
    // The codes left once this one is spent, read in the spending's own transaction.
    unusedCodesQuery(deps, person.accountId),
  )
  if (!tried.ok) return tried
  const remaining = tried.after[0]?.left ?? 0
  const writes = [
    clearFactorFailures(deps, { accountId: person.accountId, factor: 'recovery-code' }),
    insertAudit(db, clock.now(), ownAuditEntry(person, input.ip, 'two_step.recovery_code_used', `${remaining} left`)),
  ] as const
  if (input.deferWrites && input.noticeInFollowUp) {
    // The code is spent (committed above) whatever the caller's change does: its notice is owed.
    const notice = twoStepNotice(deps, person.accountId, 'recovery-code-used', { remaining })
    return { ok: true, followUp: [...writes, notice.insert], notify: notice.send }
  }
  // Deferred, the clearing comes later still: never before wrong tries racing this one are counted.
  if (!input.deferWrites) await db.batch(writes)
  await sendTwoStepNotice(deps, person.accountId, 'recovery-code-used', { remaining })
  return input.deferWrites ? { ok: true, followUp: [...writes] } : { ok: true }
}

/**
 * The reads before a recovery code is tried (its failures, with the caller's gate: one call) and
 * what its batch must carry (RecoveryCodeTry). A try already held back is refused here, and
 * something that cannot be a code is counted wrong here.
 */
export async function tryRecoveryCode(
  deps: NoticeDeps,
  input: { person: TwoStepPerson; code: string; ip: string; gate?: ReadGate },
): Promise<RecoveryCodeTry | FactorRefusal> {
  const { db, clock } = deps
  const { person } = input
  const refused = await refusalBeforeTry(deps, input)
  if (refused) return refused
  const tried: FailureInput = { ...person, factor: 'recovery-code', ip: input.ip }
  const code = normalizeRecoveryCode(input.code)
  if (!code) {
    // Not a code at all: still a try, counted while the throttle allows one.
    const counted = await tryFactor(deps, tried, null)
    return counted.ok ? { ok: false, reason: 'wrong' } : counted
  }
  const now = clock.now()
  const spendable = and(
    eq(recoveryCodes.accountId, person.accountId),
    eq(recoveryCodes.codeHash, hashRecoveryCode(person.accountId, code)),
    isNull(recoveryCodes.usedAt),
    mayTryFactor(tried, now),
  )!
  const accepted = sql`exists (select 1 from ${recoveryCodes} where ${spendable})`
  // Read before the spend, with the code still among them: exact however many are spent at once.
  const left = sql`((select count(*) from ${recoveryCodes} where ${and(eq(recoveryCodes.accountId, person.accountId), isNull(recoveryCodes.usedAt))}) - 1)`
  const notice = twoStepNotice(deps, person.accountId, 'recovery-code-used', { remaining: left }, accepted)
  return {
    accepted,
    count: countFailureWhere(db, now, tried, sql`not ${accepted}`),
    owed: [
      clearFactorFailures(deps, tried, accepted),
      insertAuditWhere(
        db,
        now,
        ownAuditFrom(person, input.ip, 'two_step.recovery_code_used', sql`${left} || ' left'`),
        recoveryCodes,
        spendable,
      ),
      notice.insert,
    ],
    spend: spendRecoveryCodeStatement(deps, spendable),
    standing: factorFailuresQuery(db, tried),
    settle: async ([counted], spent, [standing]) => {
      if (spent.length === 0) return settleFailure(deps, tried, counted, standing)
      await notice.send()
      return { ok: true }
    },
  }
}

/** What the statements of a RecoveryCodeClaim are; its `settle` reads their results. */
export type RecoveryCodeClaimStatements = ReturnType<typeof claimStatements>

/** A recovery code still to be checked and spent at the end of a login's batch (AnswerClaim; `accepted`: RecoveryCodeTry's). */
export type RecoveryCodeClaim = AnswerClaim<RecoveryCodeClaimStatements>

const claimStatements = (code: RecoveryCodeTry) => [code.count, ...code.owed, code.spend, code.standing] as const

/**
 * The second step with a recovery code, up to the batch that checks and spends it, which the
 * caller runs at the end of its own (a login's, guarded by `accepted`): the code is looked up,
 * counted when wrong, spent when right, and the login written, in one call.
 */
export async function checkRecoveryCodeStep(
  deps: NoticeDeps,
  input: { person: TwoStepPerson; code: string; ip: string; gate?: ReadGate },
): Promise<RecoveryCodeClaim | FactorRefusal> {
  const code = await tryRecoveryCode(deps, input)
  if (!('accepted' in code)) return code
  return {
    ok: true,
    accepted: code.accepted,
    statements: claimStatements(code),
    settle: ([counted, , , , spent, standing]) => code.settle(counted, spent, standing),
  }
}

/** The code's failures read with the caller's gate, in one call: the refusal they mean, or null to go on. */
async function refusalBeforeTry(deps: NoticeDeps, input: { person: TwoStepPerson; gate?: ReadGate }): Promise<FactorRefusal | null> {
  const { db, clock } = deps
  const {
    results: [[failures]],
    refused,
  } = await readWithGate(db, [factorFailuresQuery(db, { accountId: input.person.accountId, factor: 'recovery-code' })] as const, input.gate)
  return refused ?? throttleRefusal(failures, clock.now())
}
