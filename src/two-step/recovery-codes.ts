import type { BatchItem } from 'drizzle-orm/batch'
import { sha256 } from '@oslojs/crypto/sha2'
import { encodeHexLowerCase } from '@oslojs/encoding'
import { and, count, eq, isNull, notInArray, sql, type SQL } from 'drizzle-orm'
import { accounts, recoveryCodes } from '../../db/schema'
import { insertAuditWhere } from '../audit/audit'
import { generateId } from '../ids'
import type { Deps } from '../deps'
import { clearFactorFailures, countFailureWhere, factorFailuresQuery } from './failures'
import { insertRowsWhere } from './insert-where'
import { ownAuditFrom, type FactorClaim, type FactorRefusal, type TwoStepPerson } from './person'
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
export const hashRecoveryCode = (accountId: string, code: string) =>
  encodeHexLowerCase(sha256(new TextEncoder().encode(`${accountId}:${code}`)))

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
  spend: ReturnType<typeof spendRecoveryCodeStatement>
  standing: ReturnType<typeof factorFailuresQuery>
  /** The answer from the results of `count`, `spend` and `standing`: right (its notice then sent), wrong (counted), or throttled. */
  settle: (
    counted: { failures: number }[],
    spent: { id: string }[],
    standing: { failures: number; lastFailedAt: Date }[],
  ) => Promise<{ ok: true } | FactorRefusal>
}

/** Marks the code used, only where `spendable` holds (the code unused, the factor not held back): a code is spent once. */
export const spendRecoveryCodeStatement = (deps: Pick<Deps, 'db' | 'clock'>, spendable: SQL) =>
  deps.db.update(recoveryCodes).set({ usedAt: deps.clock.now() }).where(spendable).returning({ id: recoveryCodes.id })

export const unusedCodesQuery = (deps: Pick<Deps, 'db'>, accountId: string) =>
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
