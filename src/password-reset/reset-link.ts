import { and, desc, eq } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { accounts, emailOutbox, passwordResetLinks, practices, staff } from '../../db/schema'
import { insertAudit, type Actor } from '../audit/audit'
import { isLiveLink, linkState, type LinkState } from '../auth/link-state'
import { hashPassword } from '../auth/password'
import { checkBreachedPassword } from '../auth/breached-password'
import { checkNewPassword, type PasswordProblem } from '../auth/password-policy'
import { issueToken, parseToken, verifySecret } from '../auth/tokens'
import type { Config } from '../config'
import type { Deps } from '../deps'
import { deliverEmail, insertOutbox, outboxValues, type MailDeps } from '../email/outbox'
import { addDays, dateInZone, endOfDayInZone, ISO_DATE } from '../text/calendar'
import { fullName, lastDay } from '../text/format'
import { changePassword, findPasswordOwner, ownerContext, passwordOwnerQuery } from './password-change'

export type ResetLinkDeps = MailDeps & Pick<Deps, 'config'>

export const resetLinkUrl = (config: Config, token: string) => `${config.APP_URL}/reset/${token}`

/** The dates an admin may choose: today through RESET_LINK_MAX_DAYS ahead, in the practice's zone. */
export function expiryChoices(now: Date, timeZone: string, maxDays: number) {
  const today = dateInZone(now, timeZone)
  return { min: today, max: addDays(today, maxDays), suggested: addDays(today, 1) }
}

/** The link that still works, when Generate Link would replace it: the admin is asked first. */
export interface LiveLink {
  createdAt: Date
  expiresAt: Date
  /** Where Send to Email sent it, if it was sent: replacing it breaks the link in that email. */
  emailedTo: string | null
}

export type GenerateResult =
  | { ok: true; token: string; url: string; expiresAt: Date }
  | { ok: false; reason: 'not-found' | 'no-account' | 'bad-date' | 'disabled' }
  | { ok: false; reason: 'live-link'; live: LiveLink }

/**
 * A new link lasting to the end of the chosen day in the practice's time zone; older links die,
 * but only once the admin has confirmed (`replace`) that the one still live may go. The account
 * holder is told by email that an admin made a link for them.
 */
export async function generateResetLink(
  deps: ResetLinkDeps,
  input: { actor: Actor; staffId: string; date: string; replace: boolean },
): Promise<GenerateResult> {
  const { db, clock, config } = deps
  const { actor, staffId, date } = input
  const now = clock.now()
  const [[account], [practice], [live]] = await db.batch([
    db
      .select({
        id: accounts.id,
        disabledAt: accounts.disabledAt,
        role: staff.role,
        email: accounts.email,
        firstName: staff.firstName,
        language: staff.language,
        practiceName: practices.name,
        senderName: practices.senderName,
        timeZone: practices.timeZone,
      })
      .from(accounts)
      .innerJoin(staff, eq(staff.id, accounts.staffId))
      .innerJoin(practices, eq(practices.id, accounts.practiceId))
      .where(and(eq(accounts.staffId, staffId), eq(accounts.practiceId, actor.practiceId))),
    db.select({ timeZone: practices.timeZone }).from(practices).where(eq(practices.id, actor.practiceId)),
    db
      .select({ id: passwordResetLinks.id, createdAt: passwordResetLinks.createdAt, expiresAt: passwordResetLinks.expiresAt })
      .from(passwordResetLinks)
      .innerJoin(accounts, eq(accounts.id, passwordResetLinks.accountId))
      .where(and(eq(accounts.staffId, staffId), eq(passwordResetLinks.practiceId, actor.practiceId), isLiveLink(passwordResetLinks, now)))
      .orderBy(desc(passwordResetLinks.createdAt))
      .limit(1),
  ])
  if (!practice) return { ok: false, reason: 'not-found' }
  if (!account) return { ok: false, reason: 'no-account' }
  if (account.disabledAt) return { ok: false, reason: 'disabled' }
  const { min, max } = expiryChoices(now, practice.timeZone, config.RESET_LINK_MAX_DAYS)
  if (!ISO_DATE.test(date) || date < min || date > max) return { ok: false, reason: 'bad-date' }
  if (live && !input.replace) return { ok: false, reason: 'live-link', live: { ...live, emailedTo: await emailedTo(deps, live.id) } }
  const owner = account
  const expiresAt = endOfDayInZone(date, practice.timeZone)
  const { id, token, secretHash } = issueToken()
  const forAdmin = account.role === 'admin' && account.id !== actor.accountId
  const notice = outboxValues(clock, {
    practiceId: actor.practiceId,
    recipient: owner.email,
    template: 'reset-link-notice',
    refId: id,
    params: {
      practiceName: owner.practiceName,
      firstName: owner.firstName,
      createdAt: now.toISOString(),
      timeZone: owner.timeZone,
      language: owner.language,
    },
  })
  await db.batch([
    db
      .update(passwordResetLinks)
      .set({ replacedAt: now })
      .where(and(eq(passwordResetLinks.accountId, account.id), isLiveLink(passwordResetLinks, now))),
    db.insert(passwordResetLinks).values({
      id,
      secretHash,
      accountId: account.id,
      practiceId: actor.practiceId,
      createdByAccountId: actor.accountId,
      createdAt: now,
      expiresAt,
    }),
    insertAudit(db, now, {
      practiceId: actor.practiceId,
      actorAccountId: actor.accountId,
      targetStaffId: staffId,
      event: 'reset.link_generated',
      ip: actor.ip,
      detail: `works through ${lastDay(expiresAt, practice.timeZone)}${forAdmin ? '; for another admin' : ''}`,
    }),
    insertOutbox(db, notice),
  ])
  // The notice carries no link: a person who did not expect it asks their practice.
  await deliverEmail(deps, notice, owner.senderName || owner.practiceName, '')
  return { ok: true, token, url: resetLinkUrl(config, token), expiresAt }
}

/** The address Send to Email mailed a link to, if it did. */
async function emailedTo(deps: Pick<Deps, 'db'>, linkId: string): Promise<string | null> {
  const [sent] = await deps.db
    .select({ recipient: emailOutbox.recipient })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.refId, linkId), eq(emailOutbox.template, 'reset-link')))
    .limit(1)
  return sent?.recipient ?? null
}

/** The live link `linkId` of this staff member, in the actor's practice: a query. */
const liveLinkOf = (deps: Pick<Deps, 'db'>, input: { actor: Actor; staffId: string; linkId: string }, now: Date) =>
  deps.db
    .select({
      id: passwordResetLinks.id,
      secretHash: passwordResetLinks.secretHash,
      expiresAt: passwordResetLinks.expiresAt,
      accountId: accounts.id,
    })
    .from(passwordResetLinks)
    .innerJoin(accounts, eq(accounts.id, passwordResetLinks.accountId))
    .where(
      and(
        eq(passwordResetLinks.id, input.linkId),
        eq(accounts.staffId, input.staffId),
        eq(passwordResetLinks.practiceId, input.actor.practiceId),
        isLiveLink(passwordResetLinks, now),
      ),
    )

/**
 * Emails a link the admin has just generated. The token comes back from the admin's page,
 * since it is not stored; it must still belong to a live link of this staff member.
 */
export async function emailResetLink(
  deps: ResetLinkDeps,
  input: { actor: Actor; staffId: string; token: string },
): Promise<{ ok: true; to: string; delivered: boolean } | { ok: false }> {
  const { db, clock, config } = deps
  const { actor, staffId, token } = input
  const parsed = parseToken(token)
  if (!parsed) return { ok: false }
  const now = clock.now()
  const [row] = await liveLinkOf(deps, { actor, staffId, linkId: parsed.id }, now)
  if (!row || !verifySecret(parsed.secret, row.secretHash)) return { ok: false }
  const owner = await findPasswordOwner(deps, { accountId: row.accountId })
  if (!owner) return { ok: false }
  const message = outboxValues(clock, {
    practiceId: actor.practiceId,
    recipient: owner.email,
    template: 'reset-link',
    refId: parsed.id,
    params: {
      practiceName: owner.practiceName,
      firstName: owner.firstName,
      expiresAt: row.expiresAt.toISOString(),
      timeZone: owner.timeZone,
      language: owner.language,
    },
  })
  await db.batch([
    insertOutbox(db, message),
    insertAudit(db, now, {
      practiceId: actor.practiceId,
      actorAccountId: actor.accountId,
      targetStaffId: staffId,
      event: 'reset.link_emailed',
      ip: actor.ip,
      detail: `to ${owner.email}`,
    }),
  ])
  const delivery = await deliverEmail(deps, message, owner.senderName || owner.practiceName, resetLinkUrl(config, token))
  return { ok: true, to: owner.email, delivered: delivery.ok }
}

export async function revokeResetLink(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { actor: Actor; staffId: string; linkId: string },
): Promise<boolean> {
  const { db } = deps
  const { actor, staffId, linkId } = input
  const now = deps.clock.now()
  const [link] = await liveLinkOf(deps, input, now)
  if (!link) return false
  await db.batch([
    db
      .update(passwordResetLinks)
      .set({ revokedAt: now })
      .where(and(eq(passwordResetLinks.id, linkId), isLiveLink(passwordResetLinks, now))),
    insertAudit(db, now, {
      practiceId: actor.practiceId,
      actorAccountId: actor.accountId,
      targetStaffId: staffId,
      event: 'reset.link_revoked',
      ip: actor.ip,
    }),
  ])
  return true
}

export type ResetLinkForToken =
  { state: Exclude<LinkState, 'valid'> } | { state: 'valid'; linkId: string; accountId: string; firstName: string }

/** Looks a reset link up without changing anything. */
export async function findResetLinkByToken(deps: Pick<Deps, 'db' | 'clock'>, token: string): Promise<ResetLinkForToken> {
  const parsed = parseToken(token)
  if (!parsed) return { state: 'unknown' }
  const [row] = await deps.db
    .select({ link: passwordResetLinks, firstName: staff.firstName })
    .from(passwordResetLinks)
    .innerJoin(accounts, eq(accounts.id, passwordResetLinks.accountId))
    .innerJoin(staff, eq(staff.id, accounts.staffId))
    .where(eq(passwordResetLinks.id, parsed.id))
  if (!row || !verifySecret(parsed.secret, row.link.secretHash)) return { state: 'unknown' }
  const state = linkState(row.link, deps.clock.now())
  if (state !== 'valid') return { state }
  return { state, linkId: row.link.id, accountId: row.link.accountId, firstName: row.firstName }
}

export type ResetWithLinkResult =
  | { ok: true; email: string }
  | { ok: false; reason: 'used' | 'unknown' | 'revoked' }
  | { ok: false; reason: 'weak-password'; message: string; problem: PasswordProblem }

/**
 * Checks the new password, then uses the link up (once, even under parallel posts) and sets it.
 * The audit names the person as the one who reset and the admin who made the link.
 */
export async function resetWithLink(
  deps: MailDeps & Pick<Deps, 'config'>,
  input: { linkId: string; accountId: string; password: string; ip: string },
): Promise<ResetWithLinkResult> {
  const { db, clock } = deps
  const [[ownerRow], [maker]] = await db.batch([passwordOwnerQuery(db, { accountId: input.accountId }), linkMakerQuery(deps, input.linkId)])
  if (!ownerRow) return { ok: false, reason: 'unknown' }
  const { passwordHash: _hash, ...owner } = ownerRow
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
    .where(and(eq(passwordResetLinks.id, input.linkId), isLiveLink(passwordResetLinks, now)))
    .returning({ id: passwordResetLinks.id })
  if (!claimed) return { ok: false, reason: 'used' }
  await changePassword(deps, {
    owner,
    passwordHash: await hashPassword(check.password),
    audit: {
      event: 'password.reset',
      actorAccountId: owner.accountId,
      ip: input.ip,
      detail: maker ? `with an admin link; link generated by ${fullName(maker)}` : 'with an admin link',
    },
  })
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
