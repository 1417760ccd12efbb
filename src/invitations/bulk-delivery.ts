import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import { emailOutbox, invitations, staff } from '../../db/schema'
import type { Deps } from '../deps'
import { claimOutboxRow, deliverEmail } from '../email/outbox'
import { fullName } from '../text/format'
import type { QueuedInvitations } from './bulk-invite'

/** Sends at once after the response: a slow mail API holds a few connections, not one per person. */
const SEND_CONCURRENCY = 5

/**
 * Sends the queued invitations, a few at a time; each row ends 'sent' or 'failed' (then retried
 * by maintenance). Each row is taken just before its send (stamped as tried now): a long batch
 * with a slow mail API leaves rows waiting past the time the maintenance run takes a 'pending'
 * row for one a stopped host left behind, and a row it took (sent with a fresh link, the old one
 * replaced) is not sent again here with the dead link.
 */
export async function deliverQueued(deps: Pick<Deps, 'db' | 'clock' | 'mailer' | 'logger'>, queued: QueuedInvitations) {
  const waiting = [...queued.sends]
  const worker = async () => {
    for (let next = waiting.shift(); next; next = waiting.shift()) {
      const untouched = and(eq(emailOutbox.id, next.row.id), eq(emailOutbox.status, 'pending'), isNull(emailOutbox.lastAttemptAt))
      const [taken] = await claimOutboxRow(deps.db, deps.clock.now(), untouched)
      if (taken) await deliverEmail(deps, next.row, queued.fromName, next.link)
    }
  }
  await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, waiting.length) }, worker))
}

export type DeliveryState = 'pending' | 'sent' | 'failed' | 'cancelled'

export interface BatchDelivery {
  staffId: string
  name: string
  email: string
  state: DeliveryState
  error: string
}

/** One Invite Selected's invitations and how each email is doing, for its result page. */
export async function getInvitationBatch(
  deps: Pick<Deps, 'db'>,
  input: { practiceId: string; batchId: string },
): Promise<BatchDelivery[] | null> {
  const rows = await deps.db
    .select({
      staffId: invitations.staffId,
      firstName: staff.firstName,
      lastName: staff.lastName,
      email: invitations.email,
      state: emailOutbox.status,
      error: emailOutbox.lastError,
    })
    .from(invitations)
    .innerJoin(staff, eq(staff.id, invitations.staffId))
    .leftJoin(emailOutbox, eq(emailOutbox.refId, invitations.id))
    .where(and(eq(invitations.practiceId, input.practiceId), eq(invitations.batchId, input.batchId)))
    .orderBy(sql`${staff.lastName} collate nocase`, sql`${staff.firstName} collate nocase`, asc(staff.id))
  if (rows.length === 0) return null
  return rows.map((r) => ({
    staffId: r.staffId,
    name: fullName(r),
    email: r.email,
    state: r.state ?? 'pending',
    error: r.error ?? '',
  }))
}
