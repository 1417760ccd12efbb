import { and, eq, sql } from 'drizzle-orm'
import { accounts, emailOutbox, passwordResetLinks } from '../../db/schema'
import { actorAuditFrom, insertAuditWhere } from '../audit/audit'
import { hashSecret, issueToken, parseToken } from '../auth/tokens'
import type { Deps } from '../deps'
import { type DeliveryRecord, insertOutboxFrom, type MailDeps, queuedMessageQuery, sendEmail } from '../email/outbox'
import { generateId } from '../ids'
import type { Config } from '../config'
import { addDays, dateInZone, endOfDayInZone, ISO_DATE } from '../text/calendar'
import { lastDay } from '../text/format'
import {
  forAnotherAdmin,
  insertLinkUnlessLive,
  linkAccountQuery,
  linkPersonParams,
  liveLinkQuery,
  liveLinkWhere,
  replaceLiveLinks,
  selectFromLinkPerson,
  type LinkTarget,
  type LiveLink,
} from './reset-link-rows'

// The admin's reset link on the Staff Portal tab: Generate Link (asking before it replaces a
// link that still works), Send to Email, Copy Link (the page's), and Revoke. Each is one batch
// that checks and writes together. How the mail it sends went comes back as `record`, the
// statement that writes it, for the caller to run (after its response).

export type ResetLinkDeps = MailDeps & Pick<Deps, 'config'>

export const resetLinkUrl = (config: Config, token: string) => `${config.APP_URL}/reset/${token}`

/** The dates an admin may choose: today through RESET_LINK_MAX_DAYS ahead, in the practice's zone. */
export function expiryChoices(now: Date, timeZone: string, maxDays: number) {
  const today = dateInZone(now, timeZone)
  return { min: today, max: addDays(today, maxDays), suggested: addDays(today, 1) }
}

export type GenerateResult =
  | { ok: true; token: string; url: string; expiresAt: Date; record: DeliveryRecord }
  | { ok: false; reason: 'no-account' | 'bad-date' | 'disabled' }
  | { ok: false; reason: 'live-link'; live: LiveLink }

/**
 * A new link lasting to the end of the chosen day in the practice's time zone (`timeZone`, the
 * actor's); older links die, but only once the admin has confirmed (`replace`) that the one
 * still live may go. The account holder is told by email that an admin made a link for them.
 */
export async function generateResetLink(
  deps: ResetLinkDeps,
  input: LinkTarget & { date: string; timeZone: string; replace: boolean },
): Promise<GenerateResult> {
  const { db, clock, config } = deps
  const { actor, staffId, date, timeZone } = input
  const now = clock.now()
  const { min, max } = expiryChoices(now, timeZone, config.RESET_LINK_MAX_DAYS)
  if (!ISO_DATE.test(date) || date < min || date > max) return { ok: false, reason: 'bad-date' }
  const expiresAt = endOfDayInZone(date, timeZone)
  const { id, token, secretHash } = issueToken()
  const noticeId = generateId()
  const made = eq(passwordResetLinks.id, id)
  const [[account], [live], , , , , [notice]] = await db.batch([
    linkAccountQuery(db, input),
    liveLinkQuery(db, input, now),
    replaceLiveLinks(db, input, now, input.replace),
    insertLinkUnlessLive(db, input, { id, secretHash, createdAt: now, expiresAt }),
    insertAuditWhere(
      db,
      now,
      actorAuditFrom(
        actor,
        { practiceId: actor.practiceId, staffId },
        'reset.link_generated',
        sql`${`works through ${lastDay(expiresAt, timeZone)}`} || ${forAnotherAdmin(db, actor)}`,
      ),
      passwordResetLinks,
      made,
    ),
    insertOutboxFrom(
      db,
      clock,
      {
        id: noticeId,
        practiceId: actor.practiceId,
        template: 'reset-link-notice',
        refId: id,
        recipient: accounts.email,
        params: { ...linkPersonParams, createdAt: now.toISOString() },
      },
      (fields) => selectFromLinkPerson(db, fields, made),
    ),
    queuedMessageQuery(db, noticeId),
  ])
  if (!account) return { ok: false, reason: 'no-account' }
  if (account.disabledAt) return { ok: false, reason: 'disabled' }
  if (live && !input.replace) return { ok: false, reason: 'live-link', live }
  if (!notice) throw new Error('Generate Link wrote no link')
  // The notice carries no link: a person who did not expect it asks their practice. It goes out
  // before the answer, so it reaches the person before any email of the link itself.
  const sent = await sendEmail(deps, notice, notice.fromName, '')
  return { ok: true, token, url: resetLinkUrl(config, token), expiresAt, record: sent.record }
}

/**
 * Emails a link the admin has just generated. The token comes back from the admin's page,
 * since it is not stored; it must still belong to a live link of this staff member.
 */
export async function emailResetLink(
  deps: ResetLinkDeps,
  input: LinkTarget & { token: string },
): Promise<{ ok: true; to: string; delivered: boolean; record: DeliveryRecord } | { ok: false }> {
  const { db, clock, config } = deps
  const { actor, staffId } = input
  const parsed = parseToken(input.token)
  if (!parsed) return { ok: false }
  const now = clock.now()
  const messageId = generateId()
  // The secret is checked by its hash in the query: only the hash is stored.
  const live = liveLinkWhere(db, input, { id: parsed.id, secretHash: hashSecret(parsed.secret) }, now)
  const [, , [message]] = await db.batch([
    insertOutboxFrom(
      db,
      clock,
      {
        id: messageId,
        practiceId: actor.practiceId,
        template: 'reset-link',
        refId: parsed.id,
        recipient: accounts.email,
        params: {
          ...linkPersonParams,
          expiresAt: sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${passwordResetLinks.expiresAt} / 1000.0, 'unixepoch')`,
        },
      },
      (fields) => selectFromLinkPerson(db, fields, live),
    ),
    insertAuditWhere(
      db,
      now,
      actorAuditFrom(actor, { practiceId: actor.practiceId, staffId }, 'reset.link_emailed', sql`'to ' || ${emailOutbox.recipient}`),
      emailOutbox,
      eq(emailOutbox.id, messageId),
    ),
    queuedMessageQuery(db, messageId),
  ])
  if (!message) return { ok: false }
  const delivery = await sendEmail(deps, message, message.fromName, resetLinkUrl(config, input.token))
  return { ok: true, to: message.recipient, delivered: delivery.ok, record: delivery.record }
}

/** Revoke: the link stops working at once. False when it was not a live link of this person. */
export async function revokeResetLink(deps: Pick<Deps, 'db' | 'clock'>, input: LinkTarget & { linkId: string }): Promise<boolean> {
  const { db } = deps
  const { actor, staffId, linkId } = input
  const now = deps.clock.now()
  const [revoked] = await db.batch([
    db
      .update(passwordResetLinks)
      .set({ revokedAt: now })
      .where(liveLinkWhere(db, input, { id: linkId }, now))
      .returning({ id: passwordResetLinks.id }),
    insertAuditWhere(
      db,
      now,
      actorAuditFrom(actor, { practiceId: actor.practiceId, staffId }, 'reset.link_revoked'),
      passwordResetLinks,
      and(eq(passwordResetLinks.id, linkId), eq(passwordResetLinks.revokedAt, now)),
    ),
  ])
  return revoked.length > 0
}
