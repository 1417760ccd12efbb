import { and, eq, sql } from 'drizzle-orm'
import { accounts, loginEmailChanges, practices, sessions, staff } from '../../db/schema'
import { insertAudit } from '../audit/audit'
import { endResetLinks, voidCodes } from '../auth/reset-tokens'
import { parseToken, verifySecret } from '../auth/tokens'
import { isUniqueViolation } from '../db'
import type { Deps } from '../deps'
import { deliverEmail, insertOutbox, outboxValues, type MailDeps } from '../email/outbox'
import { passwordOwnerQuery } from '../password-reset/password-change'
import { isLiveChange, type LoginEmailLinkState } from './login-email'

// The staff member's side of Change Login Email: opening the link changes nothing, the
// confirmation's post uses it up and moves the login.

function stateOf(
  row: { usedAt: Date | null; replacedAt: Date | null; expiresAt: Date },
  now: Date,
): Exclude<LoginEmailLinkState, 'unknown'> {
  if (row.usedAt) return 'used'
  if (row.replacedAt) return 'replaced'
  return row.expiresAt.getTime() <= now.getTime() ? 'expired' : 'valid'
}

export type LoginEmailChangeForToken =
  | { state: Exclude<LoginEmailLinkState, 'valid'> }
  | { state: 'valid'; changeId: string; newEmail: string; firstName: string; practiceName: string }

/** The change's row with its holder's first name and practice, by the id in a token. */
function changeByIdQuery(db: Deps['db'], changeId: string) {
  return db
    .select({ change: loginEmailChanges, firstName: staff.firstName, practiceName: practices.name })
    .from(loginEmailChanges)
    .innerJoin(accounts, eq(accounts.id, loginEmailChanges.accountId))
    .innerJoin(staff, eq(staff.id, accounts.staffId))
    .innerJoin(practices, eq(practices.id, loginEmailChanges.practiceId))
    .where(eq(loginEmailChanges.id, changeId))
}

function linkStateOf(
  row: Awaited<ReturnType<typeof changeByIdQuery>>[number] | undefined,
  secret: string,
  now: Date,
): LoginEmailChangeForToken {
  if (!row || !verifySecret(secret, row.change.secretHash)) return { state: 'unknown' }
  const state = stateOf(row.change, now)
  if (state !== 'valid') return { state }
  return { state, changeId: row.change.id, newEmail: row.change.newEmail, firstName: row.firstName, practiceName: row.practiceName }
}

/** Looks a link up without changing anything: mail scanners may open it first. */
export async function findLoginEmailChange(deps: Pick<Deps, 'db' | 'clock'>, token: string): Promise<LoginEmailChangeForToken> {
  const parsed = parseToken(token)
  if (!parsed) return { state: 'unknown' }
  const [row] = await changeByIdQuery(deps.db, parsed.id)
  return linkStateOf(row, parsed.secret, deps.clock.now())
}

type ValidChange = Extract<LoginEmailChangeForToken, { state: 'valid' }>

export type ConfirmLoginEmailResult =
  | { ok: true; email: string }
  | { ok: false; reason: 'link'; state: Exclude<LoginEmailLinkState, 'valid'> }
  | { ok: false; reason: 'used' }
  | { ok: false; reason: 'unavailable'; change: ValidChange }

/**
 * Follows the link: the login moves to the new address, the old one is told, every session of
 * the account ends and its reset links and codes die. The link is claimed first by one guarded
 * UPDATE, so of two posts at once exactly one goes on; the other finds it used.
 */
export async function confirmLoginEmailChange(
  deps: MailDeps & Pick<Deps, 'later'>,
  input: { token: string; ip: string },
): Promise<ConfirmLoginEmailResult> {
  const { db, clock } = deps
  const parsed = parseToken(input.token)
  if (!parsed) return { ok: false, reason: 'link', state: 'unknown' }
  const now = clock.now()
  const live = and(eq(loginEmailChanges.id, parsed.id), isLiveChange(now))
  // The link and the checks in one read (nothing written; none of it used unless the token's
  // secret matches): the change still live, its new address free, its account.
  const changeOf = (column: typeof loginEmailChanges.accountId | typeof loginEmailChanges.newEmail) =>
    sql`(select ${column} from ${loginEmailChanges} where ${loginEmailChanges.id} = ${parsed.id})`
  const [[row], [pending], [taken], [ownerRow]] = await db.batch([
    changeByIdQuery(db, parsed.id),
    db.select({ accountId: loginEmailChanges.accountId, newEmail: loginEmailChanges.newEmail }).from(loginEmailChanges).where(live),
    db
      .select({ id: accounts.id })
      .from(accounts)
      .where(eq(accounts.email, changeOf(loginEmailChanges.newEmail))),
    passwordOwnerQuery(db, { accountId: changeOf(loginEmailChanges.accountId) }),
  ])
  const change = linkStateOf(row, parsed.secret, now)
  if (change.state !== 'valid') return { ok: false, reason: 'link', state: change.state }
  if (!pending) return { ok: false, reason: 'used' }
  if (taken) return { ok: false, reason: 'unavailable', change }
  if (!ownerRow || ownerRow.accountId !== pending.accountId) return { ok: false, reason: 'used' }
  const { passwordHash: _hash, ...owner } = ownerRow
  const [claimed] = await db.update(loginEmailChanges).set({ usedAt: now }).where(live).returning({ id: loginEmailChanges.id })
  if (!claimed) return { ok: false, reason: 'used' }

  const notice = outboxValues(clock, {
    practiceId: owner.practiceId,
    recipient: owner.email,
    template: 'login-email-changed',
    params: {
      practiceName: owner.practiceName,
      firstName: owner.firstName,
      newEmail: pending.newEmail,
      changedAt: now.toISOString(),
      timeZone: owner.timeZone,
      language: owner.language,
    },
  })
  try {
    await db.batch([
      db.update(accounts).set({ email: pending.newEmail }).where(eq(accounts.id, owner.accountId)),
      db.delete(sessions).where(eq(sessions.accountId, owner.accountId)),
      ...voidCodes(db, owner.accountId, now),
      endResetLinks(db, owner.accountId, now, 'replacedAt'),
      insertAudit(db, now, {
        practiceId: owner.practiceId,
        actorAccountId: owner.accountId,
        targetStaffId: owner.staffId,
        event: 'account.email_changed',
        ip: input.ip,
        detail: `from ${owner.email} to ${pending.newEmail}`,
      }),
      insertOutbox(db, notice),
    ])
  } catch (error) {
    // The address became another login between the check and the write: nothing changed, and
    // the link works again once that is sorted out.
    if (!isUniqueViolation(error)) throw error
    await db
      .update(loginEmailChanges)
      .set({ usedAt: null })
      .where(and(eq(loginEmailChanges.id, parsed.id), eq(loginEmailChanges.usedAt, now)))
    return { ok: false, reason: 'unavailable', change }
  }
  // The notice is in the outbox with the change: with `later` it goes out after the response.
  const deliver = () => deliverEmail(deps, notice, owner.senderName || owner.practiceName, '')
  if (deps.later) deps.later(deliver)
  else await deliver()
  return { ok: true, email: pending.newEmail }
}
