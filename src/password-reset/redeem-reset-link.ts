import { and, eq, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { accounts, passwordResetLinks, staff } from '../../db/schema'
import { isLiveLink, linkState, type LinkState } from '../auth/link-state'
import { hashPassword } from '../auth/password'
import { checkBreachedPassword } from '../auth/breached-password'
import { checkNewPassword, type PasswordProblem } from '../auth/password-policy'
import { parseToken, verifySecret } from '../auth/tokens'
import type { Deps } from '../deps'
import type { MailDeps } from '../email/outbox'
import { fullName } from '../text/format'
import { ownerContext, passwordOwnerQuery, savePasswordChange, type PasswordOwner } from './password-change'

// The staff member's side of an admin's reset link: opening it changes nothing, the form's post
// uses it up and sets the new password.

export type ResetLinkForToken =
  { state: Exclude<LinkState, 'valid'> } | { state: 'valid'; linkId: string; accountId: string; firstName: string }

/** The link's row with its holder's first name, by the id in a token. */
function linkByIdQuery(db: Deps['db'], linkId: string) {
  return db
    .select({ link: passwordResetLinks, firstName: staff.firstName })
    .from(passwordResetLinks)
    .innerJoin(accounts, eq(accounts.id, passwordResetLinks.accountId))
    .innerJoin(staff, eq(staff.id, accounts.staffId))
    .where(eq(passwordResetLinks.id, linkId))
}

type LinkRead = Awaited<ReturnType<typeof linkByIdQuery>>[number] | undefined

function stateOf(row: LinkRead, secret: string, now: Date): ResetLinkForToken {
  if (!row || !verifySecret(secret, row.link.secretHash)) return { state: 'unknown' }
  const state = linkState(row.link, now)
  if (state !== 'valid') return { state }
  return { state, linkId: row.link.id, accountId: row.link.accountId, firstName: row.firstName }
}

/** Looks a reset link up without changing anything. */
export async function findResetLinkByToken(deps: Pick<Deps, 'db' | 'clock'>, token: string): Promise<ResetLinkForToken> {
  const parsed = parseToken(token)
  if (!parsed) return { state: 'unknown' }
  const [row] = await linkByIdQuery(deps.db, parsed.id)
  return stateOf(row, parsed.secret, deps.clock.now())
}

/** What the form's post needs before it checks the password: the link, its holder and its maker. */
export type ResetLinkForPost =
  | { state: Exclude<LinkState, 'valid'> }
  | (Extract<ResetLinkForToken, { state: 'valid' }> & { owner: PasswordOwner | null; maker: Maker | undefined })

type Maker = { firstName: string; lastName: string }

/**
 * findResetLinkByToken for the form's post, with the account and the link's maker read in the
 * same call (three reads, nothing written; the account is the link's by subquery, and none of it
 * is used unless the token's secret matches).
 */
export async function findResetLinkForPost(deps: Pick<Deps, 'db' | 'clock'>, token: string): Promise<ResetLinkForPost> {
  const parsed = parseToken(token)
  if (!parsed) return { state: 'unknown' }
  const { db } = deps
  const linkAccount = db
    .select({ accountId: passwordResetLinks.accountId })
    .from(passwordResetLinks)
    .where(eq(passwordResetLinks.id, parsed.id))
  const [[row], [ownerRow], [maker]] = await db.batch([
    linkByIdQuery(db, parsed.id),
    passwordOwnerQuery(db, { accountId: sql`(${linkAccount})` }),
    linkMakerQuery(deps, parsed.id),
  ])
  const found = stateOf(row, parsed.secret, deps.clock.now())
  if (found.state !== 'valid') return found
  let owner: PasswordOwner | null = null
  if (ownerRow) {
    const { passwordHash: _hash, ...rest } = ownerRow
    owner = rest
  }
  return { ...found, owner, maker }
}

export type ResetWithLinkResult =
  | { ok: true; email: string }
  | { ok: false; reason: 'used' | 'unknown' | 'revoked' }
  | { ok: false; reason: 'weak-password'; message: string; problem: PasswordProblem }

/**
 * Checks the new password, then uses the link up (once, even under parallel posts: the claim is a
 * guarded UPDATE of its own, and the change is written only after it took) and sets it. The audit
 * names the person as the one who reset and the admin who made the link. The password-changed
 * notice is in the outbox with the change; it goes out after the response where the app defers.
 */
export async function resetWithLink(
  deps: MailDeps & Pick<Deps, 'config' | 'later'>,
  input: { link: Extract<ResetLinkForPost, { state: 'valid' }>; password: string; ip: string },
): Promise<ResetWithLinkResult> {
  const { db, clock } = deps
  const { owner, maker, linkId } = input.link
  if (!owner) return { ok: false, reason: 'unknown' }
  // Disabling revokes links; this catches a post that raced with it.
  if (owner.disabledAt) return { ok: false, reason: 'revoked' }
  const check = await checkNewPassword(input.password, ownerContext(owner))
  if (!check.ok) return { ok: false, reason: 'weak-password', message: check.message, problem: check.problem }
  const breach = await checkBreachedPassword(deps, check.password)
  if (!breach.ok) return { ok: false, reason: 'weak-password', message: breach.message, problem: { kind: 'breached' } }
  const now = clock.now()
  const [claimed] = await db
    .update(passwordResetLinks)
    .set({ usedAt: now })
    .where(and(eq(passwordResetLinks.id, linkId), isLiveLink(passwordResetLinks, now)))
    .returning({ id: passwordResetLinks.id })
  if (!claimed) return { ok: false, reason: 'used' }
  const deliver = await savePasswordChange(deps, {
    owner,
    passwordHash: await hashPassword(check.password),
    audit: {
      event: 'password.reset',
      actorAccountId: owner.accountId,
      ip: input.ip,
      detail: maker ? `with an admin link; link generated by ${fullName(maker)}` : 'with an admin link',
    },
  })
  if (deps.later) deps.later(deliver)
  else await deliver()
  return { ok: true, email: owner.email }
}

/** The admin who generated a link, for the audit of its use: a query for the caller's batch. */
function linkMakerQuery(deps: Pick<Deps, 'db'>, linkId: string) {
  const maker = alias(staff, 'maker')
  return deps.db
    .select({ firstName: maker.firstName, lastName: maker.lastName })
    .from(passwordResetLinks)
    .innerJoin(accounts, eq(accounts.id, passwordResetLinks.createdByAccountId))
    .innerJoin(maker, eq(maker.id, accounts.staffId))
    .where(eq(passwordResetLinks.id, linkId))
}
