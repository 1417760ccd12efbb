import { and, eq } from 'drizzle-orm'
import { z } from 'zod'
import { accounts, practices, staff } from '../../db/schema'
import { insertAudit, insertSecurityEvent } from '../audit/audit'
import type { Database } from '../db'
import type { Deps } from '../deps'
import { errorKey } from '../text/messages'
import { startPendingLogin } from '../two-step/pending-login'
import { stepAfterPassword, type TwoStepPolicy } from '../two-step/policy'
import { secondFactorExists } from '../two-step/two-step'
import { knownDeviceOf, type KnownDevice } from '../auth/devices'
import { finishLogin, loginAccountColumns, type LoginAccount } from '../auth/finish-login'
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from '../auth/password'
import { countLoginFailure, describeWait, loginFailuresQuery, throttleOf } from '../auth/throttle'

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
  /** The browser's verified device entries (src/auth/devices.ts); the one for this account lets it past the waits. */
  knownDevices?: KnownDevice[]
}

export type LoginResult =
  // twoStepSetup: the practice requires a second factor this person has yet to set up.
  // needsName: a first admin still under the bootstrap placeholder name, asked for theirs.
  | { ok: true; token: string; role: 'staff' | 'admin'; twoStepSetup: boolean; needsName: boolean; accountId: string }
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
  // One read: the account the address names and the failures counted against the address, the
  // IP and this browser's device entries. Only an entry for the account this address names
  // counts, and an unknown address never has one.
  const knownDevices = input.knownDevices ?? []
  const [[row], failures] = await db.batch([
    loginAccountQuery(db, email),
    loginFailuresQuery(db, { email, ip, deviceNonces: knownDevices.map((device) => device.nonce) }),
  ])
  const deviceNonce = row ? knownDeviceOf(knownDevices, row.accountId)?.nonce : undefined
  const throttle = throttleOf(failures, now, deviceNonce)
  if (!throttle.allowed) {
    // A security event either way; for an unknown address it names no practice, so the same
    // work is done and nothing shows anywhere.
    await insertSecurityEvent(db, now, {
      practiceId: row?.practiceId ?? null,
      targetStaffId: row?.staffId ?? null,
      event: throttle.retryAfterMs === null ? 'login.locked' : 'login.held_back',
      ip,
      detail: throttle.retryAfterMs === null ? '' : `waits ${describeWait(throttle.retryAfterMs)}`,
    })
    return throttle.retryAfterMs === null
      ? { ok: false, reason: 'locked' }
      : { ok: false, reason: 'throttled', retryAfterMs: throttle.retryAfterMs }
  }

  const found = await authenticate(row, input.password)
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
      ...countLoginFailure(db, now, { email, ip, accountId: account?.accountId ?? null, deviceNonce }),
    ])
    return { ok: false, reason: 'failed' }
  }
  const { account } = found
  // The password was right: if its hash is weaker than today's parameters, store a new one now,
  // the only time the plain password is at hand; only over the hash just verified.
  if (row && needsRehash(row.passwordHash))
    await db
      .update(accounts)
      .set({ passwordHash: await hashPassword(input.password) })
      .where(and(eq(accounts.id, account.accountId), eq(accounts.passwordHash, row.passwordHash)))
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
  return { ok: true, token, role: account.role, twoStepSetup, needsName, accountId: account.accountId }
}

type LoginRow = NonNullable<Awaited<ReturnType<typeof loginAccountQuery>>[number]>

/** The account an address names, with what the password step needs: a query for the caller's batch. */
function loginAccountQuery(db: Database, email: string) {
  return db
    .select({
      ...loginAccountColumns,
      passwordHash: accounts.passwordHash,
      disabledAt: accounts.disabledAt,
      isActive: staff.isActive,
      hasSecondFactor: secondFactorExists(accounts.id),
      policy: practices.twoStepPolicy,
    })
    .from(accounts)
    .innerJoin(staff, eq(staff.id, accounts.staffId))
    .innerJoin(practices, eq(practices.id, accounts.practiceId))
    .where(eq(accounts.email, email.trim().toLowerCase()))
}

/** The account behind an email and password; on failure, the account the address names, if any. */
async function authenticate(
  row: LoginRow | undefined,
  password: string,
): Promise<
  | { ok: true; account: LoginAccount; twoStep: { hasSecondFactor: boolean; policy: TwoStepPolicy } }
  | { ok: false; account: LoginAccount | null }
> {
  if (!row) {
    await verifyAgainstDummy(password)
    return { ok: false, account: null }
  }
  const { passwordHash, disabledAt, isActive, hasSecondFactor, policy, ...account } = row
  const valid = await verifyPassword(passwordHash, password)
  if (!valid || disabledAt || !isActive) return { ok: false, account }
  return { ok: true, account, twoStep: { hasSecondFactor: Boolean(hasSecondFactor), policy } }
}
