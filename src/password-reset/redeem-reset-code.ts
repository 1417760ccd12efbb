import { constantTimeEqual } from '@oslojs/crypto/subtle'
import { decodeHex } from '@oslojs/encoding'
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import { z } from 'zod'
import { passwordResetCodes, resetCodeRequests } from '../../db/schema'
import { insertSecurityEvent } from '../audit/audit'
import { checkBreachedPassword } from '../auth/breached-password'
import { hashPassword } from '../auth/password'
import { checkNewPassword, newPasswordProblems, type PasswordProblem } from '../auth/password-policy'
import type { Deps } from '../deps'
import type { MailDeps } from '../email/outbox'
import { errorKey } from '../text/messages'
import { ownerContext, passwordOwnerQuery, savePasswordChange } from './password-change'
import { hashBrowser, hashCode, hashEmail, MAX_CODE_ATTEMPTS, NO_CODE, resetEmailSchema } from './reset-code'

// Reset Password with the emailed code: the code step of Forgot Password. Send Code (the
// request, the code and its email) is in reset-code.ts.

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
