import { eq, sql } from 'drizzle-orm'
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

export type MailDeps = Pick<Deps, 'db' | 'clock' | 'mailer' | 'logger'>

/** Renders a queued message with its link, sends it, and records how that went. */
export async function deliverEmail(
  deps: MailDeps,
  row: { id: string; recipient: string; template: string; params: string },
  fromName: string,
  link: string,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const message = renderEmail(row.template as TemplateName, JSON.parse(row.params), link)
  const attempt = { attempts: sql`${emailOutbox.attempts} + 1`, lastAttemptAt: deps.clock.now() }
  try {
    await deps.mailer.send({ to: row.recipient, fromName, ...message })
  } catch (error) {
    const reason = error instanceof MailError ? error.message : 'the mail transport failed'
    deps.logger.error('email not delivered', { outboxId: row.id, template: row.template, reason })
    await deps.db
      .update(emailOutbox)
      .set({ ...attempt, status: 'failed', lastError: reason })
      .where(eq(emailOutbox.id, row.id))
    return { ok: false, error: reason }
  }
  await deps.db
    .update(emailOutbox)
    .set({ ...attempt, status: 'sent', lastError: '', sentAt: deps.clock.now() })
    .where(eq(emailOutbox.id, row.id))
  return { ok: true }
}
