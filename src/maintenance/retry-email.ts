import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm'
import { emailOutbox, practices, type OutboxEmail } from '../../db/schema'
import type { Config } from '../config'
import { claimOutboxRow, deliverEmail, type MailDeps } from '../email/outbox'
import type { TemplateName } from '../email/render'
import { resendInvitationEmail } from '../invitations/invitation-resend'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** Attempts in all, the first send included; after the last one a row stays 'failed' for people to see. */
export const MAX_EMAIL_ATTEMPTS = 6
/** The wait after the first failed attempt; it doubles after each further one (10, 20, 40, 80, 160 min). */
export const RETRY_BASE_DELAY_MS = 10 * MINUTE
export const RETRY_MAX_DELAY_MS = 6 * HOUR
/**
 * A 'pending' row untouched this long is stuck: the host stopped between writing it and
 * sending it (a Worker's waitUntil cut short, a restart). Sends time out long before this.
 */
export const STALE_PENDING_MS = 10 * MINUTE
/** Rows looked at per run; the rest wait for the next run. */
export const RETRY_BATCH_SIZE = 50

/** Messages whose link or code is not stored: they cannot be sent again, only replaced by a new request. */
const CANNOT_RESEND: Partial<Record<TemplateName, string>> = {
  'reset-code': 'Not sent again: the verification code is not stored, so it cannot be re-sent. The person can ask for a new code.',
  'reset-link': 'Not sent again: the reset link is not stored, so it cannot be re-sent. The admin can generate a new link.',
  'login-email-verify':
    'Not sent again: the verification link is not stored, so it cannot be re-sent. The admin can use Change Login Email again.',
}

/** Messages that carry no link or code: sent again as they were. */
const SECRET_FREE = new Set<TemplateName>([
  'password-changed',
  'reset-link-notice',
  'two-step-on',
  'two-step-off',
  'two-step-reset',
  'recovery-code-used',
])

export interface MaintenanceDeps extends MailDeps {
  config: Config
}

export interface RetryReport {
  /** Sent on this run. */
  sent: number
  /** Tried and failed again (retried later while attempts remain). */
  failed: number
  /** Given up for good, with the reason in last_error. */
  cancelled: number
}

/** How long to wait after the n-th failed attempt before the next. */
export const retryDelay = (attempts: number) => Math.min(RETRY_BASE_DELAY_MS * 2 ** Math.max(attempts - 1, 0), RETRY_MAX_DELAY_MS)

/** Rows due now: failed ones whose backoff is over (or that will only be cancelled), and stuck pending ones. */
function dueCondition(now: number): SQL {
  const { status, attempts, lastAttemptAt, createdAt, template } = emailOutbox
  const cancelOnly = Object.keys(CANNOT_RESEND)
  // The same formula as retryDelay(), in SQL: base << (attempts - 1), capped.
  const backoffOver = sql`${lastAttemptAt} + min(${RETRY_BASE_DELAY_MS} << max(${attempts} - 1, 0), ${RETRY_MAX_DELAY_MS}) <= ${now}`
  return sql`${attempts} < ${MAX_EMAIL_ATTEMPTS} and (
    (${status} = 'failed' and (${lastAttemptAt} is null or ${template} in ${cancelOnly} or ${backoffOver}))
    or (${status} = 'pending' and coalesce(${lastAttemptAt}, ${createdAt}) <= ${now - STALE_PENDING_MS})
  )`
}

/** The row as it was read: an update guarded by this only lands if no one else touched it since. */
const unchanged = (row: OutboxEmail) =>
  and(
    eq(emailOutbox.id, row.id),
    eq(emailOutbox.status, row.status),
    eq(emailOutbox.attempts, row.attempts),
    row.lastAttemptAt ? eq(emailOutbox.lastAttemptAt, row.lastAttemptAt) : isNull(emailOutbox.lastAttemptAt),
  )

/**
 * Sends again the email that did not go out: outbox rows that failed (after a growing wait,
 * at most MAX_EMAIL_ATTEMPTS tries in all) and rows left 'pending' by a host that stopped.
 * - invitation: while the invitation is pending, a fresh link is issued and sent (the same
 *   path as the admin's Retry); an invitation no longer pending is not re-sent.
 * - password-changed and the two-step notices: carry no secret, sent again as they were.
 * - reset-code, reset-link: their code or link is not stored, so they are cancelled with the reason.
 * Each row is claimed with a guarded update first, so two overlapping runs (or a run and an
 * admin's Retry) never send the same message twice.
 */
export async function retryUnsentEmail(deps: MaintenanceDeps, limit = RETRY_BATCH_SIZE): Promise<RetryReport> {
  const { db, clock, logger } = deps
  const now = clock.now()
  const report: RetryReport = { sent: 0, failed: 0, cancelled: 0 }
  const rows = await db.select().from(emailOutbox).where(dueCondition(now.getTime())).orderBy(asc(emailOutbox.createdAt)).limit(limit)

  const cancel = async (row: OutboxEmail, reason: string, guard = unchanged(row)) => {
    const [done] = await db
      .update(emailOutbox)
      .set({ status: 'cancelled', lastError: reason })
      .where(guard)
      .returning({ id: emailOutbox.id })
    if (done) {
      report.cancelled++
      logger.info('email cancelled', { outboxId: row.id, template: row.template, reason })
    }
  }

  for (const row of rows) {
    const template = row.template as TemplateName
    const refusal = CANNOT_RESEND[template]
    if (refusal) {
      await cancel(row, refusal)
      continue
    }
    if (template !== 'invitation' && !SECRET_FREE.has(template)) {
      await cancel(row, `Not sent again: unknown template "${row.template}".`)
      continue
    }
    // Claim it: still pending to everyone else (Retry only acts on 'failed'), and no longer stale.
    const [claimed] = await claimOutboxRow(db, now, unchanged(row))
    if (!claimed) continue
    const mine = and(eq(emailOutbox.id, row.id), eq(emailOutbox.status, 'pending'), eq(emailOutbox.lastAttemptAt, now))

    let delivered: boolean
    if (template === 'invitation') {
      if (!row.refId || !row.practiceId) {
        await cancel(row, 'Not sent again: the message names no invitation.', mine)
        continue
      }
      const result = await resendInvitationEmail(deps, {
        invitation: { id: row.refId, practiceId: row.practiceId },
        message: row,
        by: { accountId: null, ip: '', detail: `automatic retry to ${row.recipient}` },
      })
      if (!result.resent) {
        await cancel(row, 'Not sent again: the invitation is no longer pending (used, revoked, replaced or expired).', mine)
        continue
      }
      delivered = result.delivered
    } else {
      const [practice] = row.practiceId
        ? await db
            .select({ name: practices.name, senderName: practices.senderName })
            .from(practices)
            .where(eq(practices.id, row.practiceId))
        : []
      delivered = (await deliverEmail(deps, row, practice ? practice.senderName || practice.name : 'Staff Portal', '')).ok
    }
    if (delivered) report.sent++
    else report.failed++
    logger.info('email retried', { outboxId: row.id, template: row.template, attempt: row.attempts + 1, delivered })
  }
  return report
}
