import { generateRandomIntegerNumber, type RandomReader } from '@oslojs/crypto/random'
import { sha256 } from '@oslojs/crypto/sha2'
import { encodeHexLowerCase } from '@oslojs/encoding'
import { eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { accounts, passwordResetCodes, resetCodeRequests } from '../../db/schema'
import { insertAudit } from '../audit/audit'
import { deliverEmail, insertOutbox, outboxValues, type MailDeps } from '../email/outbox'
import { errorKey } from '../text/messages'
import { generateId } from '../ids'
import { findPasswordOwner } from './password-change'

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
export const hashCode = (browserSecret: string, code: string) => sha256Hex(`${browserSecret}:${code}`)
export const hashEmail = (email: string) => sha256Hex(`reset-request:${email}`)
export const hashBrowser = (browserSecret: string) => sha256Hex(`reset-browser:${browserSecret}`)
// Compared against when a request has no code (no account, access disabled, mail capped), so the
// same work is done and the same answer given as for a wrong code.
export const NO_CODE = '0'.repeat(64)

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
