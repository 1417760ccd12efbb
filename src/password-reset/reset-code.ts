import { generateRandomIntegerNumber, type RandomReader } from '@oslojs/crypto/random'
import { sha256 } from '@oslojs/crypto/sha2'
import { constantTimeEqual } from '@oslojs/crypto/subtle'
import { decodeHex, encodeHexLowerCase } from '@oslojs/encoding'
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm'
import { z } from 'zod'
import { passwordResetCodes, resetCodeRequests } from '../../db/schema'
import { insertAudit } from '../audit/audit'
import { hashPassword } from '../auth/password'
import { checkNewPassword, newPasswordSchema } from '../auth/password-policy'
import { deliverEmail, insertOutbox, outboxValues, type MailDeps } from '../email/outbox'
import { generateId } from '../ids'
import { changePassword, findPasswordOwner, ownerContext, voidCodes } from './password-change'

/** The address Send Code is asked for, as typed. */
export const resetEmailSchema = z
  .string()
  .default('')
  .transform((v) => v.trim().toLowerCase())
  .pipe(
    z
      .string()
      .min(1, 'Enter your email address.')
      .max(254, 'That email address is too long.')
      .pipe(z.email('Enter an email address like name@example.com.')),
  )

/** Reset Password as posted: the address, the emailed code, and the new password twice. */
export const verifyCodeSchema = newPasswordSchema.and(
  z.object({
    email: resetEmailSchema,
    code: z
      .string()
      .default('')
      .transform((v) => v.replace(/\s+/g, ''))
      .pipe(z.string().regex(/^\d{8}$/, 'Enter the 8-digit code from the email.')),
  }),
)

export const CODE_TTL_MS = 10 * 60 * 1000
export const MAX_CODE_ATTEMPTS = 5
export const CODES_PER_MINUTE = 3
export const CODES_PER_HOUR = 10

const random: RandomReader = { read: (bytes) => crypto.getRandomValues(bytes) }
// An 8-digit code alone has 10^8 values: hashed alone, a copy of the database would give it up
// in a second. It is hashed with the secret that Send Code left in the asking browser's cookie
// (192 bits the database never sees), so only that browser can use it, and a stolen database
// cannot be searched for it.
const hashCode = (browserSecret: string, code: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(`${browserSecret}:${code}`)))
const hashEmail = (email: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(`reset-request:${email}`)))

export function generateCode(): string {
  return String(generateRandomIntegerNumber(random, 100_000_000)).padStart(8, '0')
}

export type CodeRequestResult = { accepted: true; delivery: () => Promise<unknown> } | { accepted: false }

/**
 * Records a Send Code request and, when the address has an account, mails a fresh code
 * (voiding the old one). The caller answers the same either way; the limit counts every
 * request for the address, so it tells nothing either.
 */
export async function requestResetCode(
  deps: MailDeps,
  input: { email: string; ip: string; browserSecret: string },
): Promise<CodeRequestResult> {
  const { db, clock } = deps
  const { email } = input
  const now = clock.now()
  const emailHash = hashEmail(email)
  const recent = (ms: number) =>
    sql`(select count(*) from ${resetCodeRequests} where ${resetCodeRequests.emailHash} = ${emailHash} and ${resetCodeRequests.createdAt} > ${now.getTime() - ms})`
  // One statement counts and records, so parallel requests cannot slip past the limit.
  const recorded = await db.run(
    sql`insert into ${resetCodeRequests} (email_hash, created_at) select ${emailHash}, ${now.getTime()} where ${recent(60_000)} < ${CODES_PER_MINUTE} and ${recent(3_600_000)} < ${CODES_PER_HOUR}`,
  )
  if (recorded.rowsAffected === 0) return { accepted: false }
  // Everything that depends on whether the address has an account happens after the answer.
  return { accepted: true, delivery: () => issueCode(deps, input) }
}

async function issueCode(deps: MailDeps, input: { email: string; ip: string; browserSecret: string }) {
  const { db, clock } = deps
  const { email, ip, browserSecret } = input
  const now = clock.now()
  const owner = await findPasswordOwner(deps, { email })
  if (!owner) return
  const code = generateCode()
  const codeId = generateId()
  const message = outboxValues(clock, {
    practiceId: owner.practiceId,
    recipient: owner.email,
    template: 'reset-code',
    refId: codeId,
    params: { practiceName: owner.practiceName, firstName: owner.firstName },
  })
  await db.batch([
    voidCodes(db, owner.accountId, now),
    db.insert(passwordResetCodes).values({
      id: codeId,
      accountId: owner.accountId,
      practiceId: owner.practiceId,
      codeHash: hashCode(browserSecret, code),
      createdAt: now,
      expiresAt: new Date(now.getTime() + CODE_TTL_MS),
    }),
    insertOutbox(db, message),
    insertAudit(db, now, { practiceId: owner.practiceId, targetStaffId: owner.staffId, event: 'reset.code_requested', ip }),
  ])
  await deliverEmail(deps, message, owner.senderName || owner.practiceName, code)
}

export type CodeCheck =
  | { ok: true }
  | { ok: false; reason: 'invalid'; triesLeft: number }
  | { ok: false; reason: 'expired' }
  | { ok: false; reason: 'weak-password'; message: string }

/**
 * Checks the new password, then spends one try on the live code and, when it matches, uses it
 * up and sets the password. Tries are counted in the same statement that reads the code, so
 * parallel guesses cannot get past the limit. An address without an account answers as an
 * expired code does.
 */
export async function resetWithCode(
  deps: MailDeps,
  input: { email: string; code: string; browserSecret: string; password: string; ip: string },
): Promise<CodeCheck> {
  const { db, clock } = deps
  const { email, code, browserSecret, ip } = input
  const now = clock.now()
  const owner = await findPasswordOwner(deps, { email })
  const check = await checkNewPassword(input.password, owner ? ownerContext(owner) : [email])
  if (!check.ok) return { ok: false, reason: 'weak-password', message: check.message }
  if (!owner) return { ok: false, reason: 'expired' }
  const live = and(
    eq(passwordResetCodes.accountId, owner.accountId),
    isNull(passwordResetCodes.usedAt),
    isNull(passwordResetCodes.voidedAt),
    gt(passwordResetCodes.expiresAt, now),
  )
  const [attempt] = await db
    .update(passwordResetCodes)
    .set({ attempts: sql`${passwordResetCodes.attempts} + 1` })
    .where(and(live, lt(passwordResetCodes.attempts, MAX_CODE_ATTEMPTS)))
    .returning({ id: passwordResetCodes.id, codeHash: passwordResetCodes.codeHash, attempts: passwordResetCodes.attempts })
  if (!attempt) return { ok: false, reason: 'expired' }
  const matches = constantTimeEqual(decodeHex(hashCode(browserSecret, code)), decodeHex(attempt.codeHash))
  if (!matches) return { ok: false, reason: 'invalid', triesLeft: MAX_CODE_ATTEMPTS - attempt.attempts }
  const [claimed] = await db
    .update(passwordResetCodes)
    .set({ usedAt: now })
    .where(and(eq(passwordResetCodes.id, attempt.id), isNull(passwordResetCodes.usedAt), isNull(passwordResetCodes.voidedAt)))
    .returning({ id: passwordResetCodes.id })
  if (!claimed) return { ok: false, reason: 'expired' }
  await changePassword(deps, {
    owner,
    passwordHash: await hashPassword(check.password),
    audit: { event: 'password.reset', actorAccountId: owner.accountId, ip, detail: 'with an emailed code' },
  })
  return { ok: true }
}
