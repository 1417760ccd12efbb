import { DevMailbox, type DeliveredEmail } from '../../src/mailer/dev-mailbox'
import type { OutgoingEmail } from '../../src/mailer/mailer'

/**
 * The development outbox as the app uses it (rows in dev_outbox), which also remembers, newest
 * first, what this app sent, so tests can read their mail without a database round trip.
 */
export class RecordingMailbox extends DevMailbox {
  private readonly sent: DeliveredEmail[] = []
  private readonly now: () => Date

  constructor(...args: ConstructorParameters<typeof DevMailbox>) {
    super(...args)
    this.now = () => args[1].now()
  }

  override async send(email: OutgoingEmail) {
    const createdAt = this.now().toISOString()
    await super.send(email)
    this.sent.unshift({ to: email.to, subject: email.subject, text: email.text, html: email.html, createdAt })
  }

  list(): DeliveredEmail[] {
    return [...this.sent]
  }
}
