import { eq } from 'drizzle-orm'
import { accounts, staff } from '../../db/schema'
import { insertAudit } from '../audit/audit'
import type { Deps } from '../deps'
import { hasPlaceholderName } from '../text/placeholder-name'
import { deleteSession, newSession } from './session'
import { clearLoginFailures } from './throttle'

/** Who is logging in, as the password step (or a passkey, or a pending login) found them. */
export interface LoginAccount {
  accountId: string
  practiceId: string
  staffId: string
  email: string
  role: 'staff' | 'admin'
  firstName: string
  lastName: string
}

/** An account's ids and address, for a select from accounts. */
export const accountColumns = { accountId: accounts.id, practiceId: accounts.practiceId, staffId: accounts.staffId, email: accounts.email }

/** A LoginAccount's columns, for a select from accounts joined to staff. */
export const loginAccountColumns = { ...accountColumns, role: staff.role, firstName: staff.firstName, lastName: staff.lastName }

/**
 * What every way of logging in ends with, once all it asks for is right (the password alone,
 * the password and a second step, or a passkey): the browser's old session ends, a new one
 * starts, the login is recorded and audited, and the address's failures are cleared. It also
 * says whether a first admin still carries the placeholder name and should be asked for theirs.
 */
export async function finishLogin(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: {
    account: LoginAccount
    ip: string
    userAgent: string
    previousSessionId?: string
    /** The practice requires a second factor this person does not have yet. */
    twoStepSetup?: boolean
    /** How, when it was more than the password: "second step: authenticator app". */
    detail?: string
  },
): Promise<{ token: string; needsName: boolean }> {
  const { db, clock } = deps
  const { account, ip } = input
  const now = clock.now()
  const { token, insert } = newSession(db, now, {
    accountId: account.accountId,
    ip,
    userAgent: input.userAgent,
    twoStepSetup: input.twoStepSetup ?? false,
  })
  // One batch, so a login is one round trip after its checks: the browser's old session ends
  // and the new one starts together with the login's record, audit row and cleared failures.
  // The caller has made every check before this; nothing here depends on a read.
  await db.batch([
    insert,
    ...(input.previousSessionId ? [deleteSession(db, input.previousSessionId)] : []),
    db.update(accounts).set({ lastLoginAt: now }).where(eq(accounts.id, account.accountId)),
    clearLoginFailures(db, account.email),
    insertAudit(db, now, {
      practiceId: account.practiceId,
      actorAccountId: account.accountId,
      targetStaffId: account.staffId,
      event: 'login.succeeded',
      ip,
      detail: input.detail,
    }),
  ])
  // Here rather than in each way in, so the name prompt follows a second step or a passkey too.
  return { token, needsName: account.role === 'admin' && hasPlaceholderName(account) }
}
