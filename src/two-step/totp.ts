import { generateHOTP, verifyHOTP } from '@oslojs/otp'
import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding } from '@oslojs/encoding'
import { and, eq, lt, ne, or, sql, type SQL } from 'drizzle-orm'
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch'
import { totpFactors } from '../../db/schema'
import { insertAuditWhere } from '../audit/audit'
import { endTwoStepSetup } from '../auth/session'
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
import { twoStepNotice, type NoticeDeps } from './notices'
import { ownAuditFrom, readWithGate, type FactorRefusal, type FactorResult, type ReadGate, type TwoStepPerson } from './person'
import { recoveryCodeStatements } from './recovery-codes'
import { batchWithStatus, type TotpState, type TwoStepStatus } from './status'

// What every authenticator app supports (Microsoft Authenticator and Authy know no SHA-256).
export const TOTP_PERIOD_MS = 30_000
export const TOTP_DIGITS = 6
const SECRET_BYTES = 20
// One step either side: a phone clock a little off, or a code typed as it rolled over.
const DRIFT_STEPS = 1

export const totpStepAt = (now: Date) => Math.floor(now.getTime() / TOTP_PERIOD_MS)

/** The code an app shows at `now`: for tests and for nothing else. */
export function generateTotpCode(secret: Uint8Array, now: Date, digits = TOTP_DIGITS): string {
  return generateHOTP(secret, BigInt(totpStepAt(now)), digits)
}

/**
 * Which time step a code belongs to, within one step of `now`, or null. The library's
 * verifyTOTP helpers read Date.now() and do not say which step matched; the app's clock and
 * the step are what make "a code works once" possible.
 */
export function matchTotpStep(secret: Uint8Array, code: string, now: Date, digits = TOTP_DIGITS): number | null {
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) return null
  const current = totpStepAt(now)
  for (let step = current - DRIFT_STEPS; step <= current + DRIFT_STEPS; step++)
    if (verifyHOTP(secret, BigInt(step), digits, code)) return step
  return null
}

/** "123 456", "123-456", " 123456 " are all what the person read off their phone. */
export const normalizeTotpCode = (code: string) => code.replace(/[\s-]/g, '')

/** "ABCD EFGH …": the secret as people type it into an app that cannot scan. */
export const formatSetupKey = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ')

/**
 * otpauth://totp/Issuer:account?…, built by hand: the library's createTOTPKeyURI writes spaces
 * in the issuer as "+", which apps show literally.
 */
export function totpKeyUri(input: { issuer: string; accountName: string; secret: string }): string {
  const issuer = encodeURIComponent(input.issuer)
  const label = `${issuer}:${encodeURIComponent(input.accountName)}`
  return `otpauth://totp/${label}?secret=${input.secret}&issuer=${issuer}&algorithm=SHA1&digits=${TOTP_DIGITS}&period=${TOTP_PERIOD_MS / 1000}`
}

export async function getTotpState(deps: Pick<Deps, 'db'>, accountId: string): Promise<TotpState> {
  const [row] = await deps.db.select().from(totpFactors).where(eq(totpFactors.accountId, accountId))
  if (!row) return { status: 'off' }
  return row.status === 'enabled' ? { status: 'on', enabledAt: row.enabledAt } : { status: 'pending', secret: row.secret }
}

/**
 * Set Up Authenticator App: a new 20-byte secret, pending until a correct code turns it on.
 * Asking again replaces a pending secret (the person may have lost the first QR code); an
 * app already on is left as it is.
 */
export async function startTotpSetup(deps: Pick<Deps, 'db' | 'clock'>, person: TwoStepPerson): Promise<TotpState> {
  const secret = encodeBase32UpperCaseNoPadding(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)))
  await deps.db
    .insert(totpFactors)
    .values({ accountId: person.accountId, practiceId: person.practiceId, secret, status: 'pending', createdAt: deps.clock.now() })
    .onConflictDoUpdate({
      target: totpFactors.accountId,
      set: { secret, createdAt: deps.clock.now(), lastStep: 0 },
      setWhere: eq(totpFactors.status, 'pending'),
    })
  return getTotpState(deps, person.accountId)
}

export type TurnOnResult = { ok: true; recoveryCodes: string[] | null; status: TwoStepStatus } | { ok: false; reason: 'no-setup' | 'wrong' }

/**
 * Turn On: only after a correct code from the app, so nobody is left with a factor they
 * cannot produce. The first factor of an account comes with its recovery codes. `status` is
 * the account's two-step sign-in as the change left it, for the page that answers.
 */
export async function turnOnTotp(
  deps: NoticeDeps,
  /** The pending secret if the caller read it (getTwoStepStatus), null if none was pending; read here when not given. */
  input: { person: TwoStepPerson; code: string; ip: string; hadFactor: boolean; pendingSecret?: string | null },
): Promise<TurnOnResult> {
  const { db, clock } = deps
  const { person } = input
  // The secret need not be read again: the UPDATE below turns the app on only while it is the
  // pending one, so a secret replaced or turned on since the caller's read changes nothing.
  const row =
    input.pendingSecret === undefined
      ? (
          await db
            .select()
            .from(totpFactors)
            .where(and(eq(totpFactors.accountId, person.accountId), eq(totpFactors.status, 'pending')))
        )[0]
      : input.pendingSecret === null
        ? null
        : { secret: input.pendingSecret }
  if (!row) return { ok: false, reason: 'no-setup' }
  const now = clock.now()
  const step = matchTotpStep(decodeBase32IgnorePadding(row.secret), normalizeTotpCode(input.code), now)
  if (step === null) return { ok: false, reason: 'wrong' }
  // Guarded by the secret: a Set Up in another tab since this page was shown makes this code
  // stale. One batch: the audit row, the codes, the end of a forced set-up and the notice each under that
  // guard, before the UPDATE it guards, so in the one transaction they are written iff it turns
  // the app on (of two posts of the same code, one).
  const pending = and(eq(totpFactors.accountId, person.accountId), eq(totpFactors.status, 'pending'), eq(totpFactors.secret, row.secret))!
  const stillPending = sql`exists (select 1 from ${totpFactors} where ${pending})`
  const codes = input.hadFactor ? null : recoveryCodeStatements(deps, person, stillPending)
  const notice = twoStepNotice(deps, person.accountId, 'two-step-on', { factor: { kind: 'app' } }, stillPending)
  const writes: BatchItem<'sqlite'>[] = [
    insertAuditWhere(db, now, ownAuditFrom(person, input.ip, 'two_step.factor_added', 'authenticator app'), totpFactors, pending),
    ...(codes ? codes.statements : []),
    // The first factor is what a practice requiring two-step sign-in waited for.
    ...(codes ? [endTwoStepSetup(db, person.accountId, stillPending)] : []),
    notice.insert,
  ]
  const turnOn = db
    .update(totpFactors)
    .set({ status: 'enabled', lastStep: step, enabledAt: now })
    .where(pending)
    .returning({ accountId: totpFactors.accountId })
  const { results, status } = await batchWithStatus(db, person.accountId, [...writes, turnOn])
  const [turnedOn] = results[writes.length] as Awaited<typeof turnOn>
  if (!turnedOn) return { ok: false, reason: 'no-setup' }
  await notice.send()
  return { ok: true, recoveryCodes: codes ? codes.codes : null, status }
}

/**
 * The second step with the app: the code must match a step within one of now, later than the
 * last step accepted. The step is recorded in the same UPDATE that checks it, so the same code
 * sent twice at once is accepted once. Wrong and replayed codes count as failures.
 */
export async function verifyTotpStep(
  deps: Pick<Deps, 'db' | 'clock'>,
  /** claimInBatch (with deferWrites): the step's UPDATE is returned as a claim for the change's batch, not run here. */
  input: { person: TwoStepPerson; code: string; ip: string; deferWrites?: boolean; claimInBatch?: boolean; gate?: ReadGate },
): Promise<FactorResult> {
  const { person } = input
  const matched = await matchCodeStep(deps, input)
  if (!matched.ok) return matched
  if (input.deferWrites && input.claimInBatch) {
    // The step used up in the change's own batch (FactorClaim), as checkTotpStep's claim is in a
    // login's: only while it is later than the last accepted and the throttle lets the factor be
    // tried as its failures stand, so of two requests with the same code one writes, and none past the limit.
    const mayTry = mayTryFactor({ accountId: person.accountId, factor: 'totp' }, deps.clock.now())
    const guard = sql`exists (select 1 from ${totpFactors} where ${and(stepIsLater(person.accountId, matched), mayTry)})`
    const clear = clearFactorFailures(deps, { accountId: person.accountId, factor: 'totp' }, guard)
    const statement = spendStepStatement(deps, person.accountId, matched, mayTry)
    return { ok: true, followUp: [clear], claim: { guard, statement, refused: () => countWrongCode(deps, input) } }
  }
  // Counted with its check, so parallel guesses get no more checks than the throttle allows.
  const tried = await tryFactor(deps, { ...person, factor: 'totp', ip: input.ip }, (mayTry) =>
    spendStepStatement(deps, person.accountId, matched, mayTry),
  )
  if (!tried.ok) return tried
  const clear = clearFactorFailures(deps, { accountId: person.accountId, factor: 'totp' })
  if (input.deferWrites) return { ok: true, followUp: [clear] }
  await clear
  return { ok: true }
}

/** What the statements of a TotpClaim are; its `settle` reads their results. */
export type TotpClaimStatements = ReturnType<typeof claimStatements>

/** A code still to be checked against its step and spent: the statements that do it and what their results mean. */
export interface TotpClaim {
  ok: true
  /**
   * In the same batch, before `statements`: holds exactly when they will accept the code (it
   * matched a step later than the last accepted, for the secret it was checked against, and the
   * factor is not held back). Statements placed before them must not touch the app's row or its
   * failures, so writes guarded by it happen in the one batch that spends the step, and in no
   * other: a replay (this pending login's or another's) finds the step spent and writes nothing.
   */
  accepted: SQL
  statements: TotpClaimStatements
  /** The answer once `statements` ran: right; wrong (counted, in the batch); or throttled. */
  settle: (results: BatchResponse<TotpClaimStatements>) => Promise<FactorResult>
}

/**
 * verifyTotpStep up to the batch that counts or spends the code, which the caller runs at the end
 * of its own (a login's, guarded by `accepted`): the check, the count or the spending, and what
 * follows are one call. A code that matched no step goes the same way, under a guard that cannot
 * hold: every try past the first read makes the same calls, so neither the answer nor its time
 * tells a right code that the throttle held back from a wrong one.
 */
export async function checkTotpStep(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { person: TwoStepPerson; code: string; ip: string; gate?: ReadGate },
): Promise<TotpClaim | FactorRefusal> {
  const matched = await matchCodeStep(deps, input)
  if (!matched.ok) return matched
  const tried: FailureInput = { ...input.person, factor: 'totp', ip: input.ip }
  const now = deps.clock.now()
  // Only while the throttle lets the factor be tried, as the failures stand in this batch: a
  // right code sent in a burst of parallel guesses past the limit is refused like the rest.
  const mayTry = mayTryFactor(tried, now)
  const accepted = sql`exists (select 1 from ${totpFactors} where ${and(stepIsLater(input.person.accountId, matched), mayTry)})`
  return {
    ok: true,
    accepted,
    statements: claimStatements(deps, tried, matched, { accepted, mayTry, now }),
    settle: async ([[counted], , spent, [standing]]) => (spent.length > 0 ? { ok: true } : settleFailure(deps, tried, counted, standing)),
  }
}

/**
 * The try counted where the code is not accepted (wrong, replayed; not past the limit), the
 * failures cleared and the step spent where it is, then the failures as they stand (for a
 * refusal's wait).
 */
function claimStatements(
  deps: Pick<Deps, 'db' | 'clock'>,
  tried: FailureInput,
  matched: CodeMatch,
  guard: { accepted: SQL; mayTry: SQL; now: Date },
) {
  return [
    countFailureWhere(deps.db, guard.now, tried, sql`not ${guard.accepted}`),
    clearFactorFailures(deps, tried, guard.accepted),
    spendStepStatement(deps, tried.accountId, matched, guard.mayTry),
    factorFailuresQuery(deps.db, tried),
  ] as const
}

/** A code checked against the app's secret: the step it matched (null: none) and that secret. */
interface CodeMatch {
  ok: true
  step: number | null
  secret: string
}

/**
 * The app on with the secret the code was checked against (not one set up again since), its
 * last accepted step earlier than the code's; never, for a code that matched no step (a step
 * before any: the same statement, so a wrong code's call reads like a right one's).
 */
const stepIsLater = (accountId: string, matched: CodeMatch) =>
  and(
    eq(totpFactors.accountId, accountId),
    eq(totpFactors.status, 'enabled'),
    eq(totpFactors.secret, matched.secret),
    lt(totpFactors.lastStep, matched.step ?? NO_STEP),
  )!

// No step is below it: the last accepted step starts at 0.
const NO_STEP = -1

/** Records the code's step as the last accepted, only while it is later than the last: a step is spent once. */
function spendStepStatement(deps: Pick<Deps, 'db'>, accountId: string, matched: CodeMatch, mayTry?: SQL) {
  return deps.db
    .update(totpFactors)
    .set({ lastStep: matched.step ?? NO_STEP })
    .where(and(stepIsLater(accountId, matched), mayTry))
    .returning({ accountId: totpFactors.accountId })
}

/** A try that failed, counted only while the throttle allows one: past it, the answer is "throttled", not "wrong". */
async function countWrongCode(deps: Pick<Deps, 'db' | 'clock'>, input: { person: TwoStepPerson; ip: string }): Promise<FactorRefusal> {
  const tried = await tryFactor(deps, { ...input.person, factor: 'totp', ip: input.ip }, null)
  return tried.ok ? { ok: false, reason: 'wrong' } : tried
}

/**
 * The reads before a code is tried (the factor's failures, the app itself, and the caller's gate
 * if any, in one call) and the step the code matches, if any: a try already held back is refused
 * here; a code that matches no step goes on like a right one, to be counted where it is tried.
 */
async function matchCodeStep(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { person: TwoStepPerson; code: string; ip: string; gate?: ReadGate },
): Promise<FactorRefusal | CodeMatch> {
  const { db, clock } = deps
  const { person } = input
  const {
    results: [[failures], [row]],
    refused,
  } = await readWithGate(
    db,
    [
      factorFailuresQuery(db, { accountId: person.accountId, factor: 'totp' }),
      db
        .select()
        .from(totpFactors)
        .where(and(eq(totpFactors.accountId, person.accountId), eq(totpFactors.status, 'enabled'))),
    ] as const,
    input.gate,
  )
  if (refused) return refused
  const throttled = throttleRefusal(failures, clock.now())
  if (throttled) return throttled
  if (!row) return { ok: false, reason: 'unavailable' }
  const step = matchTotpStep(decodeBase32IgnorePadding(row.secret), normalizeTotpCode(input.code), clock.now())
  return { ok: true, step, secret: row.secret }
}

/**
 * Removes the app, for the caller's batch: a pending one always (it is no factor yet), an enabled
 * one where `allowed` holds; with `onlyIf`, either only where that holds too (a recovery code
 * checked in the same batch). The caller has asked for a current factor first.
 */
export function removeTotpStatement(deps: Pick<Deps, 'db'>, accountId: string, allowed: SQL, onlyIf?: SQL) {
  return deps.db
    .delete(totpFactors)
    .where(and(eq(totpFactors.accountId, accountId), or(ne(totpFactors.status, 'enabled'), allowed), onlyIf))
}

/** For Reset Two-Step Sign-In. */
export function deleteTotpStatement(deps: Pick<Deps, 'db'>, accountId: string | SQL) {
  return deps.db.delete(totpFactors).where(eq(totpFactors.accountId, accountId))
}
