export interface OutgoingEmail {
  to: string
  fromName: string
  subject: string
  text: string
  html: string
}

/** One seam, two transports: MailChannels in production, the development mailbox otherwise. */
export interface Mailer {
  /** Resolves when the message was accepted; rejects with a MailError saying why not. */
  send(email: OutgoingEmail): Promise<void>
}

export class MailError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MailError'
  }
}
