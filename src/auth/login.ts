import { eq } from 'drizzle-orm'
import { z } from 'zod'
import { accounts, staff } from '../../db/schema'
import { insertAudit } from '../audit/audit'
import type { Deps } from '../deps'
import { hasPlaceholderName } from '../staff/placeholder-name'
import { errorKey } from '../text/messages'
import { verifyAgainstDummy, verifyPassword } from './password'
import { createSession, invalidateSession } from './session'
import { checkLoginThrottle, clearLoginFailures, countLoginFailure } from './throttle'

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
  | { ok: true; token: string; role: 'staff' | 'admin'; needsName: boolean }
  | { ok: false; reason: 'throttled'; retryAfterMs: number }
  | { ok: false; reason: 'locked' }
  | { ok: false; reason: 'failed' }

/**
 * Logs in with an email and password, or says why not. An unknown address, a wrong password
 * and disabled access all fail the same way, after the same hashing work; each failure is
 * audited and counted against the address and the IP, and too many of them hold the next
 * tries back. A success starts a new session and clears the address's failures.
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
  if (input.previousSessionId) await invalidateSession(deps, input.previousSessionId)
  const { token } = await createSession(deps, { accountId: account.accountId, ip, userAgent: input.userAgent })
  await db.batch([
    db.update(accounts).set({ lastLoginAt: now }).where(eq(accounts.id, account.accountId)),
    clearLoginFailures(db, email),
    insertAudit(db, now, {
      practiceId: account.practiceId,
      actorAccountId: account.accountId,
      targetStaffId: account.staffId,
      event: 'login.succeeded',
      ip,
    }),
  ])
  return { ok: true, token, role: account.role, needsName: account.role === 'admin' && hasPlaceholderName(account) }
}

interface LoginAccount {
  accountId: string
  practiceId: string
  staffId: string
  role: 'staff' | 'admin'
  firstName: string
  lastName: string
}

/** The account behind an email and password; on failure, the account the address names, if any. */
async function authenticate(
  deps: Pick<Deps, 'db'>,
  input: { email: string; password: string },
): Promise<{ ok: true; account: LoginAccount } | { ok: false; account: LoginAccount | null }> {
  const [row] = await deps.db
    .select({
      accountId: accounts.id,
      practiceId: accounts.practiceId,
      staffId: accounts.staffId,
      passwordHash: accounts.passwordHash,
      disabledAt: accounts.disabledAt,
      isActive: staff.isActive,
      role: staff.role,
      firstName: staff.firstName,
      lastName: staff.lastName,
    })
    .from(accounts)
    .innerJoin(staff, eq(staff.id, accounts.staffId))
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
    role: row.role,
    firstName: row.firstName,
    lastName: row.lastName,
  }
  if (!valid || row.disabledAt || !row.isActive) return { ok: false, account }
  return { ok: true, account }
}
