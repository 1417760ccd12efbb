import { generateRandomIntegerNumber, type RandomReader } from '@oslojs/crypto/random'
import { sha256 } from '@oslojs/crypto/sha2'
import { constantTimeEqual } from '@oslojs/crypto/subtle'
import { decodeHex, encodeHexLowerCase } from '@oslojs/encoding'
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import { z } from 'zod'
import { accounts, passwordResetCodes, resetCodeRequests } from '../../db/schema'
import { insertAudit, insertSecurityEvent } from '../audit/audit'
import { checkBreachedPassword } from '../auth/breached-password'
import { hashPassword } from '../auth/password'
import { checkNewPassword, newPasswordProblems, type PasswordProblem } from '../auth/password-policy'
import { deliverEmail, insertOutbox, outboxValues, type MailDeps } from '../email/outbox'
import { errorKey } from '../text/messages'
import type { Deps } from '../deps'
import { generateId } from '../ids'
import { findPasswordOwner, savePasswordChange, ownerContext, passwordOwnerQuery } from './password-change'

/** The address Send Code is asked for, as typed. */
export const resetEmailSchema = z
  .string()
  .default('')
  .transform((v) => v.trim().toLowerCase())
  .pipe(
    z
      .string()
      .min(1, errorKey('enterEmail'))
      .max(254, errorKey('emailTooLong'))
      .pipe(z.email(errorKey('emailLike'))),
  )

/**
 * Reset Password as posted: the address, the emailed code, and the new password twice. Every
 * check here tells nothing about the address, and all of them are reported at once.
 */
export const verifyCodeSchema = z
  .object({
    email: resetEmailSchema,
    code: z
      .string()
      .default('')
      .transform((v) => v.replace(/\s+/g, '')),
    password: z.string().default(''),
    confirmPassword: z.string().default(''),
  })
  .superRefine((form, ctx) => {
    if (!/^\d{8}$/.test(form.code)) ctx.addIssue({ code: 'custom', path: ['code'], message: errorKey('enterCode') })
    for (const [path, message] of Object.entries(newPasswordProblems(form.password, form.confirmPassword)))
      ctx.addIssue({ code: 'custom', path: [path], message })
  })

export const CODE_TTL_MS = 10 * 60 * 1000
export const MAX_CODE_ATTEMPTS = 5
/** Send Code requests one browser may make for one address. */
export const CODES_PER_MINUTE = 3
export const CODES_PER_HOUR = 10
/** Send Code requests from one IP address, across addresses, unless the browser is a known device. */
export const REQUESTS_PER_IP_HOUR = 30
/** Code emails one address receives, whoever asks, unless the asking browser is a known device. */
export const MAILS_PER_ADDRESS_HOUR = 10
export const MAILS_PER_ADDRESS_DAY = 30

const HOUR_MS = 3_600_000
const random: RandomReader = { read: (bytes) => crypto.getRandomValues(bytes) }
const sha256Hex = (text: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(text)))
// An 8-digit code alone has 10^8 values: hashed alone, a copy of the database would give it up
// in a second. It is hashed with the secret that Send Code left in the asking browser's cookie
// (192 bits the database never sees), so only that browser can use it, and a stolen database
// cannot be searched for it.
const hashCode = (browserSecret: string, code: string) => sha256Hex(`${browserSecret}:${code}`)
const hashEmail = (email: string) => sha256Hex(`reset-request:${email}`)
const hashBrowser = (browserSecret: string) => sha256Hex(`reset-browser:${browserSecret}`)
// Compared against when a request has no code (no account, access disabled, mail capped), so the
// same work is done and the same answer given as for a wrong code.
const NO_CODE = '0'.repeat(64)

export function generateCode(): string {
  return String(generateRandomIntegerNumber(random, 100_000_000)).padStart(8, '0')
}

export type CodeRequestResult = { accepted: true; delivery: () => Promise<unknown> } | { accepted: false }

interface CodeRequestInput {
  email: string
  ip: string
  browserSecret: string
  /** Accounts this browser has logged in to, from its verified device cookie. */
  deviceAccountIds: string[]
}

/**
 * Records a Send Code request of this browser for this address and, when the address has an
 * account, mails a code bound to this browser. The limits count this browser's own requests
 * (and the IP's), never other browsers' for the address, so nobody can make the owner's own
 * request answer 429. The answer is the same whether the address has an account or not.
 */
export async function requestResetCode(deps: MailDeps, input: CodeRequestInput): Promise<CodeRequestResult> {
  const { db, clock } = deps
  const now = clock.now()
  const emailHash = hashEmail(input.email)
  const browserHash = hashBrowser(input.browserSecret)
  const ofBrowser = sql`${resetCodeRequests.emailHash} = ${emailHash} and ${resetCodeRequests.browserHash} = ${browserHash}`
  const count = (where: ReturnType<typeof sql>, ms: number) =>
    sql`(select count(*) from ${resetCodeRequests} where ${where} and ${resetCodeRequests.createdAt} > ${now.getTime() - ms})`
  // Without a known client address there is nothing to count per IP (a host that cannot tell).
  const ipAllows =
    input.ip === '' || (await isKnownDeviceFor(deps, input))
      ? sql`1`
      : sql`${count(sql`${resetCodeRequests.ip} = ${input.ip}`, HOUR_MS)} < ${REQUESTS_PER_IP_HOUR}`
  // One statement counts and records, so parallel requests cannot slip past the limits; the
  // second voids this browser's older requests for the address (only its own).
  const [inserted] = await db.batch([
    db.run(
      sql`insert into ${resetCodeRequests} (email_hash, browser_hash, ip, created_at, expires_at) select ${emailHash}, ${browserHash}, ${input.ip}, ${now.getTime()}, ${now.getTime() + CODE_TTL_MS} where ${count(ofBrowser, 60_000)} < ${CODES_PER_MINUTE} and ${count(ofBrowser, HOUR_MS)} < ${CODES_PER_HOUR} and ${ipAllows}`,
    ),
    db.run(
      sql`update ${resetCodeRequests} set voided_at = ${now.getTime()} where ${ofBrowser} and used_at is null and voided_at is null and id < (select max(id) from ${resetCodeRequests} where ${ofBrowser})`,
    ),
  ])
  if (inserted.rowsAffected === 0) return { accepted: false }
  const requestId = Number(inserted.lastInsertRowid)
  // Everything that depends on whether the address has an account happens after the answer.
  return { accepted: true, delivery: () => issueCode(deps, { ...input, requestId }) }
}

/** Whether this browser is a known device of the account the address logs in with. */
async function isKnownDeviceFor(deps: Pick<MailDeps, 'db'>, input: { email: string; deviceAccountIds: string[] }) {
  if (input.deviceAccountIds.length === 0) return false
  const [account] = await deps.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, input.email))
  return account !== undefined && input.deviceAccountIds.includes(account.id)
}

async function issueCode(deps: MailDeps, input: CodeRequestInput & { requestId: number }) {
  const { db, clock } = deps
  const { ip, browserSecret, requestId } = input
  const now = clock.now()
  const owner = await findPasswordOwner(deps, { email: input.email })
  if (!owner) return
  const audit = (detail?: string) =>
    insertAudit(db, now, { practiceId: owner.practiceId, targetStaffId: owner.staffId, event: 'reset.code_requested', ip, detail })
  // A disabled account gets no code; the asker sees the same page as anyone.
  if (owner.disabledAt) return db.batch([audit('no email: portal access is disabled')])
  const code = generateCode()
  const codeId = generateId()
  const knownDevice = input.deviceAccountIds.includes(owner.accountId)
  const mailed = sql`(select count(*) from ${passwordResetCodes} where ${passwordResetCodes.accountId} = ${owner.accountId} and ${passwordResetCodes.createdAt} > ${now.getTime()} - `
  const underCap = knownDevice
    ? sql`1`
    : sql`${mailed}${HOUR_MS}) < ${MAILS_PER_ADDRESS_HOUR} and ${mailed}${24 * HOUR_MS}) < ${MAILS_PER_ADDRESS_DAY}`
  // One row per code email, written only while the address is under its mail cap: counted and
  // written in one statement so a burst of requests cannot pass the cap.
  const written = await db.run(
    sql`insert into ${passwordResetCodes} (id, account_id, practice_id, request_id, code_hash, created_at, expires_at) select ${codeId}, ${owner.accountId}, ${owner.practiceId}, ${requestId}, ${hashCode(browserSecret, code)}, ${now.getTime()}, ${now.getTime() + CODE_TTL_MS} where ${underCap}`,
  )
  if (written.rowsAffected === 0) return db.batch([audit('no email: too many codes were mailed to this address lately')])
  const message = outboxValues(clock, {
    practiceId: owner.practiceId,
    recipient: owner.email,
    template: 'reset-code',
    refId: codeId,
    params: { practiceName: owner.practiceName, firstName: owner.firstName, language: owner.language },
  })
  await db.batch([insertOutbox(db, message), audit(knownDevice ? 'from a browser they logged in with before' : undefined)])
  await deliverEmail(deps, message, owner.senderName || owner.practiceName, code)
}

export type CodeCheck =
  | { ok: true; delivery: () => Promise<unknown> }
  | { ok: false; reason: 'invalid'; triesLeft: number }
  | { ok: false; reason: 'expired' }
  | { ok: false; reason: 'weak-password'; message: string; problem: PasswordProblem }

/**
 * Spends one of this browser's tries on its live request for the address, compares the code,
 * and only after a match judges the new password with the person's context (so a wrong code
 * never confirms a name). A refused password gives the try back. The steps before the match
 * are the same queries and the same answers whether or not the address has an account.
 */
export async function resetWithCode(
  deps: MailDeps & Pick<Deps, 'config'>,
  input: { email: string; code: string; browserSecret: string; password: string; ip: string },
): Promise<CodeCheck> {
  const { db, clock } = deps
  const { code, browserSecret, ip } = input
  const now = clock.now()
  const live = and(
    eq(resetCodeRequests.emailHash, hashEmail(input.email)),
    eq(resetCodeRequests.browserHash, hashBrowser(browserSecret)),
    isNull(resetCodeRequests.usedAt),
    isNull(resetCodeRequests.voidedAt),
    gt(resetCodeRequests.expiresAt, now),
  )
  // Tries are counted in the statement that finds the request, so parallel guesses cannot
  // get past the limit; only this browser's request is touched.
  const newest = db
    .select({ id: sql`max(${resetCodeRequests.id})` })
    .from(resetCodeRequests)
    .where(live)
  // The try is counted and the code and account read in one batch (one transaction): the reads
  // come after the update, so they see the request it counted against; they write nothing, and
  // are ignored unless the update counted a try. The same queries whether or not the address
  // has an account.
  const [[attempt], [row], [ownerRow]] = await db.batch([
    db
      .update(resetCodeRequests)
      .set({ attempts: sql`${resetCodeRequests.attempts} + 1` })
      .where(and(sql`${resetCodeRequests.id} = (${newest})`, sql`${resetCodeRequests.attempts} < ${MAX_CODE_ATTEMPTS}`))
      .returning({ id: resetCodeRequests.id, attempts: resetCodeRequests.attempts }),
    db
      .select({
        id: passwordResetCodes.id,
        requestId: passwordResetCodes.requestId,
        accountId: passwordResetCodes.accountId,
        codeHash: passwordResetCodes.codeHash,
      })
      .from(passwordResetCodes)
      .where(
        and(sql`${passwordResetCodes.requestId} = (${newest})`, isNull(passwordResetCodes.usedAt), isNull(passwordResetCodes.voidedAt)),
      ),
    passwordOwnerQuery(db, { email: input.email }),
  ])
  // A wrong or dead code is a security event (ASVS 16.3): the practice's Activity shows who is
  // being guessed at, and from where. It is written whether or not the address has an account
  // (without one it belongs to no practice), so the answer's time says nothing more.
  const noteRefusal = (event: 'reset.code_wrong' | 'reset.code_expired', detail: string) =>
    insertSecurityEvent(db, now, { event, ip, practiceId: ownerRow?.practiceId ?? null, targetStaffId: ownerRow?.staffId ?? null, detail })
  if (!attempt) {
    await noteRefusal('reset.code_expired', 'no live code for this browser, or too many tries')
    return { ok: false, reason: 'expired' }
  }
  const matches = constantTimeEqual(decodeHex(hashCode(browserSecret, code)), decodeHex(row?.codeHash ?? NO_CODE))
  if (!row || row.requestId !== attempt.id || !matches) {
    const triesLeft = MAX_CODE_ATTEMPTS - attempt.attempts
    await noteRefusal('reset.code_wrong', `${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left`)
    return { ok: false, reason: 'invalid', triesLeft }
  }
  // Disabling voids codes; this catches one that raced with it.
  if (!ownerRow || ownerRow.accountId !== row.accountId || ownerRow.disabledAt) return { ok: false, reason: 'expired' }
  const { passwordHash: _hash, ...owner } = ownerRow
  // A refused password gives the try back: the code was right, only the password must change.
  const giveTryBack = () =>
    db
      .update(resetCodeRequests)
      .set({ attempts: sql`max(${resetCodeRequests.attempts} - 1, 0)` })
      .where(eq(resetCodeRequests.id, attempt.id))
  const check = await checkNewPassword(input.password, ownerContext(owner))
  if (!check.ok) {
    await giveTryBack()
    return { ok: false, reason: 'weak-password', message: check.message, problem: check.problem }
  }
  const breach = await checkBreachedPassword(deps, check.password)
  if (!breach.ok) {
    await giveTryBack()
    return { ok: false, reason: 'weak-password', message: breach.message, problem: { kind: 'breached' } }
  }
  const claim = db
    .update(resetCodeRequests)
    .set({ usedAt: now })
    .where(and(eq(resetCodeRequests.id, attempt.id), isNull(resetCodeRequests.usedAt), isNull(resetCodeRequests.voidedAt)))
    .returning({ id: resetCodeRequests.id })
  const [claimed] = await db.batch([claim, db.update(passwordResetCodes).set({ usedAt: now }).where(eq(passwordResetCodes.id, row.id))])
  if (claimed.length === 0) return { ok: false, reason: 'expired' }
  const delivery = await savePasswordChange(deps, {
    owner,
    passwordHash: await hashPassword(check.password),
    audit: { event: 'password.reset', actorAccountId: owner.accountId, ip, detail: 'with an emailed code' },
  })
  return { ok: true, delivery }
}
