import { generateHOTP, verifyHOTP } from '@oslojs/otp'
import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding } from '@oslojs/encoding'
import { and, eq, ne, or, sql, type SQL } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import { totpFactors } from '../../db/schema'
import { insertAuditWhere } from '../audit/audit'
import { endTwoStepSetup } from '../auth/session'
import type { Deps } from '../deps'
import { twoStepNotice, type NoticeDeps } from './notices'
import { ownAuditFrom, type TwoStepPerson } from './person'
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
