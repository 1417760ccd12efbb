import { eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import { emailOutbox, practices } from '../../db/schema'
import type { Database } from '../db'
import type { Deps } from '../deps'
import { generateId } from '../ids'
import { MailError } from '../mailer/mailer'
import { renderEmail, type TemplateName, type TemplateParams } from './render'

export interface QueuedEmail<K extends TemplateName = TemplateName> {
  practiceId: string | null
  recipient: string
  template: K
  /** Raw values (names, ISO dates, the time zone): the template formats them when it renders. */
  params: TemplateParams[K]
  refId?: string
}

/** The outbox row for a message; written in the same batch as the change it reports. */
export function outboxValues<K extends TemplateName>(clock: Deps['clock'], email: QueuedEmail<K>) {
  return {
    id: generateId(),
    practiceId: email.practiceId,
    recipient: email.recipient,
    template: email.template,
    params: JSON.stringify(email.params),
    refId: email.refId ?? null,
    status: 'pending' as const,
    createdAt: clock.now(),
  }
}

export type OutboxRow = ReturnType<typeof outboxValues>

export function insertOutbox(db: Database, row: OutboxRow) {
  return db.insert(emailOutbox).values(row)
}

/** A template's params as read by the batch that writes the message: each a value or SQL. */
export type ParamsFrom<K extends TemplateName> = { [P in keyof TemplateParams[K]]-?: TemplateParams[K][P] | SQLWrapper }

/** The columns of an outbox row, in the table's order, for an INSERT … SELECT. */
function outboxFields<K extends TemplateName>(clock: Deps['clock'], email: OutboxFrom<K>) {
  const params = Object.entries(email.params).flatMap(([key, value]) => [sql`${key}`, sql`${value}`])
  return {
    id: sql<string>`${email.id}`.as('id'),
    practiceId: sql<string>`${email.practiceId}`.as('practice_id'),
    recipient: sql<string>`${email.recipient}`.as('recipient'),
    template: sql<string>`${email.template}`.as('template'),
    params: sql<string>`json_object(${sql.join(params, sql`, `)})`.as('params'),
    refId: sql<string | null>`${email.refId ?? null}`.as('ref_id'),
    status: sql<'pending'>`'pending'`.as('status'),
    attempts: sql<number>`0`.as('attempts'),
    lastError: sql<string>`''`.as('last_error'),
    createdAt: sql<number>`${clock.now().getTime()}`.as('created_at'),
    lastAttemptAt: sql<null>`null`.as('last_attempt_at'),
    sentAt: sql<null>`null`.as('sent_at'),
  }
}

export interface OutboxFrom<K extends TemplateName> {
  id: string
  practiceId: string | SQLWrapper
  template: K
  refId?: string
  recipient: SQLWrapper
  params: ParamsFrom<K>
}

/**
 * The outbox row of a message about rows the same batch writes: its recipient and params are
 * read from them, and `from` selects the fields from the rows it is about, so the message is
 * written only when they are (a guarded INSERT … SELECT, like insertAuditWhere).
 */
export function insertOutboxFrom<K extends TemplateName>(
  db: Database,
  clock: Deps['clock'],
  email: OutboxFrom<K>,
  from: (fields: ReturnType<typeof outboxFields>) => { getSQL(): SQL },
) {
  return db.insert(emailOutbox).select(from(outboxFields(clock, email)).getSQL())
}

export type MailDeps = Pick<Deps, 'db' | 'clock' | 'mailer' | 'logger'>

/**
 * Takes a row for a send about to start, where `where` holds: 'pending' again, last tried now.
 * The maintenance run takes 'pending' rows only once they are stale, and the admin's Retry
 * only 'failed' ones, so until the send is recorded (or has plainly stopped) nobody else sends
 * it. For the caller's batch, beside the change the send depends on.
 */
export function claimOutboxRow(db: Database, now: Date, where: SQL | undefined) {
  return db.update(emailOutbox).set({ status: 'pending', lastAttemptAt: now }).where(where).returning({ id: emailOutbox.id })
}

/** Renders a queued message with its link, sends it, and records how that went. */
export async function deliverEmail(
  deps: MailDeps,
  row: { id: string; recipient: string; template: string; params: string },
  fromName: string,
  link: string,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const { record, ...outcome } = await sendEmail(deps, row, fromName, link)
  await record
  return outcome
}

/**
 * deliverEmail without writing how it went: `record` is the statement that does, for the
 * caller's next batch (so recording the outcome costs no round trip of its own). Until it runs
 * the row stays 'pending', which the maintenance retry would send again: run it.
 */
export async function sendEmail(
  deps: MailDeps,
  row: { id: string; recipient: string; template: string; params: string },
  fromName: string,
  link: string,
) {
  const message = renderEmail(row.template as TemplateName, JSON.parse(row.params), link)
  const attempt = { attempts: sql`${emailOutbox.attempts} + 1`, lastAttemptAt: deps.clock.now() }
  const update = (set: Partial<typeof emailOutbox.$inferInsert>) =>
    deps.db
      .update(emailOutbox)
      .set({ ...attempt, ...set })
      .where(eq(emailOutbox.id, row.id))
  try {
    await deps.mailer.send({ to: row.recipient, fromName, ...message })
  } catch (error) {
    const reason = error instanceof MailError ? error.message : 'the mail transport failed'
    deps.logger.error('email not delivered', { outboxId: row.id, template: row.template, reason })
    return { ok: false as const, error: reason, record: update({ status: 'failed', lastError: reason }) }
  }
  return { ok: true as const, record: update({ status: 'sent', lastError: '', sentAt: deps.clock.now() }) }
}

/** A delivery's record, as sendEmail leaves it for the caller's batch. */
export type DeliveryRecord = Awaited<ReturnType<typeof sendEmail>>['record']

/** An outbox row just written in the batch, with the name it is sent under, for its delivery. */
export const queuedMessageQuery = (db: Database, outboxId: string) =>
  db
    .select({
      id: emailOutbox.id,
      recipient: emailOutbox.recipient,
      template: emailOutbox.template,
      params: emailOutbox.params,
      fromName: sql<string>`coalesce(nullif(${practices.senderName}, ''), ${practices.name})`,
    })
    .from(emailOutbox)
    .innerJoin(practices, eq(practices.id, emailOutbox.practiceId))
    .where(eq(emailOutbox.id, outboxId))
