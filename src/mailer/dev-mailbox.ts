import { desc, lte } from 'drizzle-orm'
import { devOutbox } from '../../db/schema'
import type { Clock } from '../clock'
import type { Database } from '../db'
import type { Mailer, OutgoingEmail } from './mailer'

export interface DeliveredEmail {
  to: string
  subject: string
  text: string
  html: string
  createdAt: string
}

const KEEP = 200

/**
 * The development transport: messages are "delivered" to the dev_outbox table, newest first, for
 * /dev/outbox. The database rather than memory, so the server shows mail that the CLI, another
 * process or another Worker isolate sent. It holds live links and codes, which is why config
 * allows it only with a loopback APP_URL and no mail key (src/config.ts).
 */
export class DevMailbox implements Mailer {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async send(email: OutgoingEmail) {
    const [row] = await this.db
      .insert(devOutbox)
      .values({ recipient: email.to, subject: email.subject, text: email.text, html: email.html, createdAt: this.clock.now() })
      .returning({ id: devOutbox.id })
    // Keeps the newest KEEP messages, so a long-lived dev database does not grow without end.
    if (row && row.id > KEEP) await this.db.delete(devOutbox).where(lte(devOutbox.id, row.id - KEEP))
  }

  /** The outbox as every process sees it, newest first. */
  async read(): Promise<DeliveredEmail[]> {
    const rows = await this.db.select().from(devOutbox).orderBy(desc(devOutbox.id)).limit(KEEP)
    return rows.map((row) => ({
      to: row.recipient,
      subject: row.subject,
      text: row.text,
      html: row.html,
      createdAt: row.createdAt.toISOString(),
    }))
  }
}
