import type { BatchItem, BatchResponse } from 'drizzle-orm/batch'
import { and, eq, sql, type SQL } from 'drizzle-orm'
import { accounts, sessions, staff } from '../../db/schema'
import { insertAudit, insertAuditWhere } from '../audit/audit'
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
 * What makes a login's writes conditional, for a way in whose last check is itself a write of the
 * same batch (a pending login ended, a passkey's challenge used up): every write of the login holds
 * `onlyIf`, and the statements `trailing` gives follow them in the batch (one transaction). When
 * `onlyIf` tests exactly what those statements are about to change (the pending login still
 * there), the request whose statement took effect is the one whose login was written; a request
 * that comes second finds the condition gone and writes nothing. `written` holds, after the
 * login's writes, only in the batch that wrote them (its new session is there: a fresh id).
 */
export interface LoginGuard<T extends readonly BatchItem<'sqlite'>[]> {
  onlyIf: SQL
  trailing: (written: SQL) => T
}

/**
 * What every way of logging in ends with, once all it asks for is right (the password alone,
 * the password and a second step, or a passkey): the browser's old session ends, a new one
 * starts, the login is recorded and audited, and the address's failures are cleared. It also
 * says whether a first admin still carries the placeholder name and should be asked for theirs.
 * With a guard, all of it only where the guard's condition holds, and the guard's statements'
 * results are returned (`trailing`): the caller learns from them whether the login was written.
 */
export async function finishLogin<T extends readonly BatchItem<'sqlite'>[] = []>(
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
  guard?: LoginGuard<T>,
): Promise<{ token: string; needsName: boolean; trailing: BatchResponse<T> }> {
  const { db, clock } = deps
  const { account, ip } = input
  const now = clock.now()
  const onlyIf = guard?.onlyIf
  const { token, session, insert } = newSession(
    db,
    now,
    { accountId: account.accountId, ip, userAgent: input.userAgent, twoStepSetup: input.twoStepSetup ?? false },
    onlyIf,
  )
  const audit = {
    practiceId: account.practiceId,
    actorAccountId: account.accountId,
    targetStaffId: account.staffId,
    event: 'login.succeeded',
    ip,
    detail: input.detail ?? '',
  } as const
  // One batch, so a login is one round trip after its checks: the browser's old session ends
  // and the new one starts together with the login's record, audit row and cleared failures.
  // The caller has made every check before this, or has left its last one to the guard.
  const login = [
    insert,
    ...(input.previousSessionId ? [deleteSession(db, input.previousSessionId, onlyIf)] : []),
    db
      .update(accounts)
      .set({ lastLoginAt: now })
      .where(and(eq(accounts.id, account.accountId), onlyIf)),
    clearLoginFailures(db, account.email, undefined, onlyIf),
    onlyIf ? insertAuditWhere(db, now, audit, accounts, and(eq(accounts.id, account.accountId), onlyIf)) : insertAudit(db, now, audit),
  ] as const
  const written = sql`exists (select 1 from ${sessions} where ${sessions.id} = ${session.id})`
  const results = await db.batch([...login, ...(guard ? guard.trailing(written) : [])])
  // Here rather than in each way in, so the name prompt follows a second step or a passkey too.
  return {
    token,
    needsName: account.role === 'admin' && hasPlaceholderName(account),
    trailing: results.slice(login.length) as unknown as BatchResponse<T>,
  }
}
