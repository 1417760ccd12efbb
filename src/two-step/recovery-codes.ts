import type { BatchItem, BatchResponse } from 'drizzle-orm/batch'
import { sha256 } from '@oslojs/crypto/sha2'
import { encodeHexLowerCase } from '@oslojs/encoding'
import { and, count, eq, isNull, notInArray, sql, type SQL } from 'drizzle-orm'
import { accounts, recoveryCodes } from '../../db/schema'
import { insertAudit, insertAuditWhere } from '../audit/audit'
import { generateId } from '../ids'
import type { Deps } from '../deps'
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
import { insertRowsWhere } from './insert-where'
import { sendTwoStepNotice, twoStepNotice, type NoticeDeps } from './notices'
import {
  ownAuditEntry,
  ownAuditFrom,
  readWithGate,
  type FactorClaim,
  type FactorRefusal,
  type FactorResult,
  type ReadGate,
  type TwoStepPerson,
} from './person'
import { batchWithStatus, type TwoStepStatus } from './status'

export const RECOVERY_CODE_COUNT = 10
const CODE_LENGTH = 10
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567'

/** Ten characters of base32: 50 random bits each (NIST asks at least 20 of a look-up secret). */
export function generateRecoveryCode(): string {
  // 256 is a multiple of 32, so masking a random byte keeps every character equally likely.
  return [...crypto.getRandomValues(new Uint8Array(CODE_LENGTH))].map((byte) => ALPHABET[byte & 31]).join('')
}

/** "abcde-fghij": easier to read aloud and copy than ten letters in a row. */
export const formatRecoveryCode = (code: string) => `${code.slice(0, 5)}-${code.slice(5)}`

/** What a person types, however they spaced or cased it; null when it cannot be a code. */
export function normalizeRecoveryCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '').toLowerCase()
  return /^[a-z2-7]{10}$/.test(code) ? code : null
}

/**
 * SHA-256, not scrypt, and that is enough here: each code is 50 random bits (no dictionary to
 * try), it is only worth anything together with the account's scrypt-hashed password, and
 * whoever holds a copy of this database already holds the authenticator-app secrets, which
 * cannot be hashed at all. The account id in the input keeps one precomputed table from
 * serving every account.
 */
const hashRecoveryCode = (accountId: string, code: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(`${accountId}:${code}`)))

/**
 * A fresh set of codes and the statements that put them in place of the old ones, for the
 * caller's batch (turning on the first factor, or New Recovery Codes). The codes are shown once.
 * With `onlyIf`, both statements write only where it holds (the change's own guard).
 */
export function recoveryCodeStatements(deps: Pick<Deps, 'db' | 'clock'>, person: TwoStepPerson, onlyIf?: SQL) {
  const now = deps.clock.now()
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode)
  const rows = codes.map((code) => ({
    id: generateId(),
    accountId: person.accountId,
    practiceId: person.practiceId,
    codeHash: hashRecoveryCode(person.accountId, code),
    createdAt: now,
  }))
  const statements = [
    deleteRecoveryCodesStatement(deps, person.accountId, onlyIf),
    onlyIf ? insertRowsWhere(deps.db, recoveryCodes, rows, onlyIf) : deps.db.insert(recoveryCodes).values(rows),
  ] as const
  return { codes: codes.map(formatRecoveryCode), statements, ids: rows.map((row) => row.id) }
}

/** New Recovery Codes: the old ones stop working at once. The caller has asked for a current factor. */
export async function replaceRecoveryCodes(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { person: TwoStepPerson; ip: string; followUp?: BatchItem<'sqlite'>[] },
): Promise<string[]> {
  const renewed = await renewRecoveryCodes(deps, input)
  return renewed.ok ? renewed.codes : []
}

/**
 * replaceRecoveryCodes, with the account's two-step sign-in read after it in the same batch, for
 * the page that answers. With `claim`, the confirming answer is used up in the same batch: every
 * write carries its guard and goes before it, so a code used by another request in between
 * changes nothing and is refused as it would have been. With `code`, a recovery code is checked,
 * counted and spent in the same batch (RecoveryCodeTry), every write guarded by it; the old codes
 * go only after it is spent (before, their DELETE would take it), where this batch put the new
 * ones in place.
 */
export async function renewRecoveryCodes(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { person: TwoStepPerson; ip: string; followUp?: BatchItem<'sqlite'>[]; claim?: FactorClaim; code?: RecoveryCodeTry },
): Promise<{ ok: true; codes: string[]; status: TwoStepStatus } | { ok: false; refused: FactorRefusal }> {
  const { person, claim, code } = input
  const guard = claim?.guard ?? code?.accepted
  const {
    codes,
    statements: [deleteOld, insertNew],
    ids,
  } = recoveryCodeStatements(deps, person, guard)
  const writes = [
    ...(code ? [code.count, ...code.owed] : [deleteOld]),
    insertNew,
    ...(input.followUp ?? []),
    clearFactorFailures(deps, { accountId: person.accountId, factor: 'recovery-code' }, guard),
    insertAuditWhere(
      deps.db,
      deps.clock.now(),
      ownAuditFrom(person, input.ip, 'two_step.recovery_codes_replaced', ''),
      accounts,
      and(eq(accounts.id, person.accountId), guard),
    ),
  ]
  // The new codes are there only in the batch that put them there (fresh ids).
  const placed = sql`exists (select 1 from ${recoveryCodes} where ${recoveryCodes.id} = ${ids[0]!})`
  const oldGone = deleteRecoveryCodesStatement(deps, person.accountId, and(notInArray(recoveryCodes.id, ids), placed))
  const last = claim ? [claim.statement] : code ? [code.spend, oldGone, code.standing] : []
  const { results, status } = await batchWithStatus(deps.db, person.accountId, [...writes, ...last])
  if (claim && (results[writes.length] as unknown[]).length === 0) return { ok: false, refused: await claim.refused() }
  if (code) {
    const [counted, spent, , standing] = [results[0], ...results.slice(writes.length)] as [never, never, never, never]
    const tried = await code.settle(counted, spent, standing)
    if (!tried.ok) return { ok: false, refused: tried }
  }
  return { ok: true, codes, status }
}

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
  const {
    results: [[failures]],
    refused,
  } = await readWithGate(db, [factorFailuresQuery(db, { accountId: person.accountId, factor: 'recovery-code' })] as const, input.gate)
  if (refused) return refused
  const throttled = throttleRefusal(failures, clock.now())
  if (throttled) return throttled
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
 * A recovery code in the form of one, still to be checked and spent in the caller's batch (one
 * transaction), in this order: `count`, first (a failure counted where the code is not
 * spendable and the factor not held back: never for a right code, so the failures the later
 * guards read are the ones it was tried under); the caller's writes guarded by `accepted`, with
 * `owed` (the failures cleared, the audit row with the codes left, the notice's row); `spend`;
 * then `standing` (the failures as they then stand, for a refusal's wait). Nothing between
 * `count` and `spend` may touch the account's codes or the factor's failures, so what `accepted`
 * guards is written in the one batch that spends the code, and in no other.
 */
export interface RecoveryCodeTry {
  /** The code unused and the factor not held back, as they stand at this point of the batch: exactly when `spend` will take. */
  accepted: SQL
  count: ReturnType<typeof countFailureWhere>
  owed: readonly [BatchItem<'sqlite'>, BatchItem<'sqlite'>, BatchItem<'sqlite'>]
  spend: ReturnType<typeof spendStatement>
  standing: ReturnType<typeof factorFailuresQuery>
  /** The answer from the results of `count`, `spend` and `standing`: right (its notice then sent), wrong (counted), or throttled. */
  settle: (
    counted: { failures: number }[],
    spent: { id: string }[],
    standing: { failures: number; lastFailedAt: Date }[],
  ) => Promise<{ ok: true } | FactorRefusal>
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
  const {
    results: [[failures]],
    refused,
  } = await readWithGate(db, [factorFailuresQuery(db, { accountId: person.accountId, factor: 'recovery-code' })] as const, input.gate)
  if (refused) return refused
  const throttled = throttleRefusal(failures, clock.now())
  if (throttled) return throttled
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
    spend: spendStatement(deps, spendable),
    standing: factorFailuresQuery(db, tried),
    settle: async ([counted], spent, [standing]) => {
      if (spent.length === 0) return settleFailure(deps, tried, counted, standing)
      await notice.send()
      return { ok: true }
    },
  }
}

const spendStatement = (deps: Pick<Deps, 'db' | 'clock'>, spendable: SQL) =>
  deps.db.update(recoveryCodes).set({ usedAt: deps.clock.now() }).where(spendable).returning({ id: recoveryCodes.id })

/** What the statements of a RecoveryCodeClaim are; its `settle` reads their results. */
export type RecoveryCodeClaimStatements = ReturnType<typeof claimStatements>

/** A recovery code still to be checked and spent at the end of a login's batch, as a claim for finishWithClaim. */
export interface RecoveryCodeClaim {
  ok: true
  /** Holds in the batch, before `statements`, exactly when they will spend the code (RecoveryCodeTry). */
  accepted: SQL
  statements: RecoveryCodeClaimStatements
  settle: (results: BatchResponse<RecoveryCodeClaimStatements>) => Promise<{ ok: true } | FactorRefusal>
}

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

const unusedCodesQuery = (deps: Pick<Deps, 'db'>, accountId: string) =>
  deps.db
    .select({ left: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.accountId, accountId), isNull(recoveryCodes.usedAt)))

/** How many unused codes the account has left. */
export async function countRecoveryCodes(deps: Pick<Deps, 'db'>, accountId: string): Promise<number> {
  const [row] = await unusedCodesQuery(deps, accountId)
  return row?.left ?? 0
}

/** When the last factor goes (or an admin resets it all), the codes go with it; with `onlyIf`, only where that holds. */
export function deleteRecoveryCodesStatement(deps: Pick<Deps, 'db'>, accountId: string | SQL, onlyIf?: SQL) {
  return deps.db.delete(recoveryCodes).where(and(eq(recoveryCodes.accountId, accountId), onlyIf))
}
