import { eq } from 'drizzle-orm'
import { z } from 'zod'
import { accounts, practices, staff } from '../../db/schema'
import { insertAudit } from '../audit/audit'
import type { Deps } from '../deps'
import { errorKey } from '../text/messages'
import { startPendingLogin } from '../two-step/pending-login'
import { stepAfterPassword, type TwoStepPolicy } from '../two-step/policy'
import { secondFactorExists } from '../two-step/two-step'
import { finishLogin, type LoginAccount } from './finish-login'
import { verifyAgainstDummy, verifyPassword } from './password'
import { checkLoginThrottle, countLoginFailure } from './throttle'

export const loginSchema = z.object({
  email: z
    .string()
    .default('')
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.string().min(1, errorKey('enterEmail')).max(254, errorKey('emailTooLong'))),
  password: z
    .string()
    .default('')
    .pipe(z.string().min(1, errorKey('enterPassword')).max(1024, errorKey('passwordTooLong'))),
})

export interface LoginInput extends z.infer<typeof loginSchema> {
  ip: string
  userAgent: string
  /** The browser's current session, if any: a login replaces it. */
  previousSessionId?: string
}

export type LoginResult =
  // twoStepSetup: the practice requires a second factor this person has yet to set up.
  // needsName: a first admin still under the bootstrap placeholder name, asked for theirs.
  | { ok: true; token: string; role: 'staff' | 'admin'; twoStepSetup: boolean; needsName: boolean }
  // The password was right and the person has a second factor: no session until it is given.
  | { ok: 'second-step'; pendingToken: string }
  | { ok: false; reason: 'throttled'; retryAfterMs: number }
  | { ok: false; reason: 'locked' }
  | { ok: false; reason: 'failed' }

/**
 * Logs in with an email and password, or says why not. An unknown address, a wrong password
 * and disabled access all fail the same way, after the same hashing work; each failure is
 * audited and counted against the address and the IP, and too many of them hold the next
 * tries back. A right password starts the second step for a person with a second factor, and
 * a session (finishLogin) for anyone else.
 */
export async function logIn(deps: Pick<Deps, 'db' | 'clock'>, input: LoginInput): Promise<LoginResult> {
  const { db, clock } = deps
  const { email, ip } = input
  const now = clock.now()
  const throttle = await checkLoginThrottle(deps, { email, ip })
  if (!throttle.allowed)
    return throttle.retryAfterMs === null
      ? { ok: false, reason: 'locked' }
      : { ok: false, reason: 'throttled', retryAfterMs: throttle.retryAfterMs }

  const found = await authenticate(deps, input)
  if (!found.ok) {
    const { account } = found
    await db.batch([
      insertAudit(db, now, {
        practiceId: account?.practiceId ?? null,
        targetStaffId: account?.staffId ?? null,
        event: 'login.failed',
        ip,
        detail: account ? '' : 'unknown address',
      }),
      ...countLoginFailure(db, now, { email, ip, accountId: account?.accountId ?? null }),
    ])
    return { ok: false, reason: 'failed' }
  }
  const { account } = found
  const next = stepAfterPassword({ ...found.twoStep, role: account.role })
  if (next === 'second-step') {
    const { token } = await startPendingLogin(deps, { accountId: account.accountId, practiceId: account.practiceId, ip })
    return { ok: 'second-step', pendingToken: token }
  }
  const twoStepSetup = next === 'set-up'
  const { token, needsName } = await finishLogin(deps, {
    account,
    ip,
    userAgent: input.userAgent,
    previousSessionId: input.previousSessionId,
    twoStepSetup,
  })
  return { ok: true, token, role: account.role, twoStepSetup, needsName }
}

/** The account behind an email and password; on failure, the account the address names, if any. */
async function authenticate(
  deps: Pick<Deps, 'db'>,
  input: { email: string; password: string },
): Promise<
  | { ok: true; account: LoginAccount; twoStep: { hasSecondFactor: boolean; policy: TwoStepPolicy } }
  | { ok: false; account: LoginAccount | null }
> {
  const [row] = await deps.db
    .select({
      accountId: accounts.id,
      practiceId: accounts.practiceId,
      staffId: accounts.staffId,
      email: accounts.email,
      passwordHash: accounts.passwordHash,
      disabledAt: accounts.disabledAt,
      isActive: staff.isActive,
      role: staff.role,
      firstName: staff.firstName,
      lastName: staff.lastName,
      hasSecondFactor: secondFactorExists(accounts.id),
      policy: practices.twoStepPolicy,
    })
    .from(accounts)
    .innerJoin(staff, eq(staff.id, accounts.staffId))
    .innerJoin(practices, eq(practices.id, accounts.practiceId))
    .where(eq(accounts.email, input.email.trim().toLowerCase()))
  if (!row) {
    await verifyAgainstDummy(input.password)
    return { ok: false, account: null }
  }
  const valid = await verifyPassword(row.passwordHash, input.password)
  const account = {
    accountId: row.accountId,
    practiceId: row.practiceId,
    staffId: row.staffId,
    email: row.email,
    role: row.role,
    firstName: row.firstName,
    lastName: row.lastName,
  }
  if (!valid || row.disabledAt || !row.isActive) return { ok: false, account }
  return { ok: true, account, twoStep: { hasSecondFactor: Boolean(row.hasSecondFactor), policy: row.policy } }
}
