import type { Clock } from '../clock'
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
 * The development transport: messages are "delivered" to memory, newest first, for
 * /dev/outbox. Memory, not the database, so links and codes are never stored at rest.
 */
export class DevMailbox implements Mailer {
  private readonly messages: DeliveredEmail[] = []
  constructor(private readonly clock: Clock) {}

  async send(email: OutgoingEmail) {
    this.messages.unshift({
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      createdAt: this.clock.now().toISOString(),
    })
    this.messages.length = Math.min(this.messages.length, KEEP)
  }

  list(): DeliveredEmail[] {
    return [...this.messages]
  }
}
