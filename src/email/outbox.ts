import { eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import { emailOutbox } from '../../db/schema'
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
  practiceId: string
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

export type Delivery = { ok: true } | { ok: false; error: string }

type QueuedRow = { id: string; recipient: string; template: string; params: string }

/** Renders a queued message with its link, sends it, and records how that went. */
export async function deliverEmail(deps: MailDeps, row: QueuedRow, fromName: string, link: string): Promise<Delivery> {
  const delivery = await sendEmail(deps, row, fromName, link)
  await recordDelivery(deps, row.id, delivery)
  return delivery
}

/**
 * deliverEmail's first half: the send, whose outcome a page may tell. The caller records it with
 * recordDelivery, after its response when the page does not wait for the write.
 */
export async function sendEmail(
  deps: Pick<MailDeps, 'mailer' | 'logger'>,
  row: QueuedRow,
  fromName: string,
  link: string,
): Promise<Delivery> {
  const message = renderEmail(row.template as TemplateName, JSON.parse(row.params), link)
  try {
    await deps.mailer.send({ to: row.recipient, fromName, ...message })
    return { ok: true }
  } catch (error) {
    const reason = error instanceof MailError ? error.message : 'the mail transport failed'
    deps.logger.error('email not delivered', { outboxId: row.id, template: row.template, reason })
    return { ok: false, error: reason }
  }
}

/** How a send went, on its outbox row. */
export function recordDelivery(deps: Pick<MailDeps, 'db' | 'clock'>, outboxId: string, delivery: Delivery) {
  const attempt = { attempts: sql`${emailOutbox.attempts} + 1`, lastAttemptAt: deps.clock.now() }
  const outcome = delivery.ok
    ? { status: 'sent' as const, lastError: '', sentAt: deps.clock.now() }
    : { status: 'failed' as const, lastError: delivery.error }
  return deps.db
    .update(emailOutbox)
    .set({ ...attempt, ...outcome })
    .where(eq(emailOutbox.id, outboxId))
}
