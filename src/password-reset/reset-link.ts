import { and, desc, eq, gt, isNull } from 'drizzle-orm'
import { accounts, auditEvents, emailOutbox, passwordResetLinks, practices, staff } from '../../db/schema'
import { lastDay } from '../../views/format'
import { auditValues } from '../audit/audit'
import { hashPassword } from '../auth/password'
import { issueToken, parseToken, verifySecret } from '../auth/tokens'
import type { Config } from '../config'
import type { Database } from '../db'
import { deliverEmail, outboxValues, type MailDeps } from '../email/outbox'
import type { Actor } from '../staff/staff'
import { addDays, dateInZone, endOfDayInZone, ISO_DATE } from './calendar'
import { changePassword, findPasswordOwner } from './password-change'

export interface ResetLinkDeps extends MailDeps {
  config: Config
}

const isLive = (now: Date) =>
  and(
    isNull(passwordResetLinks.usedAt),
    isNull(passwordResetLinks.revokedAt),
    isNull(passwordResetLinks.replacedAt),
    gt(passwordResetLinks.expiresAt, now),
  )

export const resetLinkUrl = (config: Config, token: string) => `${config.APP_URL}/reset/${token}`

/** The dates an admin may choose: today through RESET_LINK_MAX_DAYS ahead, in the practice's zone. */
export function expiryChoices(now: Date, timeZone: string, maxDays: number) {
  const today = dateInZone(now, timeZone)
  return { min: today, max: addDays(today, maxDays), suggested: addDays(today, 1) }
}

export type GenerateResult =
  { ok: true; token: string; url: string; expiresAt: Date } | { ok: false; reason: 'not-found' | 'no-account' | 'bad-date' }

/** A new link lasting to the end of the chosen day in the practice's time zone; older links die. */
export async function generateResetLink(deps: ResetLinkDeps, actor: Actor, staffId: string, date: string): Promise<GenerateResult> {
  const { db, clock, config } = deps
  const now = clock.now()
  const [[account], [practice]] = await db.batch([
    db
      .select({ id: accounts.id })
      .from(accounts)
      .where(and(eq(accounts.staffId, staffId), eq(accounts.practiceId, actor.practiceId))),
    db.select({ timeZone: practices.timeZone }).from(practices).where(eq(practices.id, actor.practiceId)),
  ])
  if (!practice) return { ok: false, reason: 'not-found' }
  if (!account) return { ok: false, reason: 'no-account' }
  const { min, max } = expiryChoices(now, practice.timeZone, config.RESET_LINK_MAX_DAYS)
  if (!ISO_DATE.test(date) || date < min || date > max) return { ok: false, reason: 'bad-date' }
  const expiresAt = endOfDayInZone(date, practice.timeZone)
  const { id, token, secretHash } = issueToken()
  await db.batch([
    db
      .update(passwordResetLinks)
      .set({ replacedAt: now })
      .where(and(eq(passwordResetLinks.accountId, account.id), isLive(now))),
    db.insert(passwordResetLinks).values({
      id,
      secretHash,
      accountId: account.id,
      practiceId: actor.practiceId,
      createdByAccountId: actor.accountId,
      createdAt: now,
      expiresAt,
    }),
    db.insert(auditEvents).values(
      auditValues(clock, {
        practiceId: actor.practiceId,
        actorAccountId: actor.accountId,
        targetStaffId: staffId,
        event: 'reset.link_generated',
        ip: actor.ip,
        detail: `works through ${lastDay(expiresAt, practice.timeZone)}`,
      }),
    ),
  ])
  return { ok: true, token, url: resetLinkUrl(config, token), expiresAt }
}

/** The live link of a staff member's account, if any. */
export async function findLiveResetLink(db: Database, practiceId: string, staffId: string, now: Date) {
  const [link] = await db
    .select({ id: passwordResetLinks.id, expiresAt: passwordResetLinks.expiresAt, createdAt: passwordResetLinks.createdAt })
    .from(passwordResetLinks)
    .innerJoin(accounts, eq(accounts.id, passwordResetLinks.accountId))
    .where(and(eq(accounts.staffId, staffId), eq(passwordResetLinks.practiceId, practiceId), isLive(now)))
    .orderBy(desc(passwordResetLinks.createdAt))
    .limit(1)
  return link ?? null
}

/**
 * Emails a link the admin has just generated. The token comes back from the admin's page,
 * since it is not stored; it must still belong to a live link of this staff member.
 */
export async function emailResetLink(
  deps: ResetLinkDeps,
  actor: Actor,
  staffId: string,
  token: string,
): Promise<{ ok: true; to: string; delivered: boolean } | { ok: false }> {
  const { db, clock, config } = deps
  const parsed = parseToken(token)
  if (!parsed) return { ok: false }
  const now = clock.now()
  const [row] = await db
    .select({ secretHash: passwordResetLinks.secretHash, expiresAt: passwordResetLinks.expiresAt, accountId: accounts.id })
    .from(passwordResetLinks)
    .innerJoin(accounts, eq(accounts.id, passwordResetLinks.accountId))
    .where(
      and(
        eq(passwordResetLinks.id, parsed.id),
        eq(accounts.staffId, staffId),
        eq(passwordResetLinks.practiceId, actor.practiceId),
        isLive(now),
      ),
    )
  if (!row || !verifySecret(parsed.secret, row.secretHash)) return { ok: false }
  const owner = await findPasswordOwner(db, { accountId: row.accountId })
  if (!owner) return { ok: false }
  const message = outboxValues(clock, {
    practiceId: actor.practiceId,
    recipient: owner.email,
    template: 'reset-link',
    refId: parsed.id,
    params: { practiceName: owner.practiceName, firstName: owner.firstName, expiresAt: lastDay(row.expiresAt, owner.timeZone) },
  })
  await db.batch([
    db.insert(emailOutbox).values(message),
    db
      .insert(auditEvents)
      .values(
        auditValues(clock, {
          practiceId: actor.practiceId,
          actorAccountId: actor.accountId,
          targetStaffId: staffId,
          event: 'reset.link_emailed',
          ip: actor.ip,
          detail: `to ${owner.email}`,
        }),
      ),
  ])
  const delivery = await deliverEmail(deps, message, owner.senderName || owner.practiceName, resetLinkUrl(config, token))
  return { ok: true, to: owner.email, delivered: delivery.ok }
}

export async function revokeResetLink(
  db: Database,
  clock: MailDeps['clock'],
  actor: Actor,
  staffId: string,
  linkId: string,
): Promise<boolean> {
  const now = clock.now()
  const [link] = await db
    .select({ id: passwordResetLinks.id })
    .from(passwordResetLinks)
    .innerJoin(accounts, eq(accounts.id, passwordResetLinks.accountId))
    .where(
      and(
        eq(passwordResetLinks.id, linkId),
        eq(accounts.staffId, staffId),
        eq(passwordResetLinks.practiceId, actor.practiceId),
        isLive(now),
      ),
    )
  if (!link) return false
  await db.batch([
    db
      .update(passwordResetLinks)
      .set({ revokedAt: now })
      .where(and(eq(passwordResetLinks.id, linkId), isLive(now))),
    db
      .insert(auditEvents)
      .values(
        auditValues(clock, {
          practiceId: actor.practiceId,
          actorAccountId: actor.accountId,
          targetStaffId: staffId,
          event: 'reset.link_revoked',
          ip: actor.ip,
        }),
      ),
  ])
  return true
}

export type ResetLinkState = 'valid' | 'expired' | 'used' | 'revoked' | 'replaced' | 'unknown'

/** Looks a reset link up without changing anything. */
export async function findResetLinkByToken(db: Database, now: Date, token: string) {
  const parsed = parseToken(token)
  if (!parsed) return { state: 'unknown' as const }
  const [row] = await db
    .select({ link: passwordResetLinks, firstName: staff.firstName })
    .from(passwordResetLinks)
    .innerJoin(accounts, eq(accounts.id, passwordResetLinks.accountId))
    .innerJoin(staff, eq(staff.id, accounts.staffId))
    .where(eq(passwordResetLinks.id, parsed.id))
  if (!row || !verifySecret(parsed.secret, row.link.secretHash)) return { state: 'unknown' as const }
  const { link } = row
  const state: ResetLinkState = link.usedAt
    ? 'used'
    : link.revokedAt
      ? 'revoked'
      : link.replacedAt
        ? 'replaced'
        : link.expiresAt.getTime() <= now.getTime()
          ? 'expired'
          : 'valid'
  return { state, linkId: link.id, accountId: link.accountId, firstName: row.firstName }
}

/** Uses the link up (once, even under parallel posts) and sets the new password. */
export async function resetWithLink(deps: MailDeps, linkId: string, newPassword: string, ip: string): Promise<boolean> {
  const { db, clock } = deps
  const now = clock.now()
  const [claimed] = await db
    .update(passwordResetLinks)
    .set({ usedAt: now })
    .where(and(eq(passwordResetLinks.id, linkId), isLive(now)))
    .returning({ accountId: passwordResetLinks.accountId })
  if (!claimed) return false
  const owner = await findPasswordOwner(db, { accountId: claimed.accountId })
  if (!owner) return false
  await changePassword(deps, owner, await hashPassword(newPassword), {
    event: 'password.reset',
    actorAccountId: owner.accountId,
    ip,
    detail: 'with an admin link',
  })
  return true
}
