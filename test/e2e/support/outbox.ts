/** One message of the development outbox, as /dev/outbox.json lists it. */
export interface OutboxMessage {
  to: string
  subject: string
  text: string
  html: string
  createdAt: string
}

/**
 * Reads the development outbox (newest first) straight from Node, the way a mail client
 * would receive it: no browser cookies, nothing shared with the person being tested.
 */
export async function readOutbox(baseUrl: string): Promise<OutboxMessage[]> {
  const response = await fetch(new URL('/dev/outbox.json', baseUrl))
  if (!response.ok) throw new Error(`GET /dev/outbox.json answered ${response.status}`)
  return (await response.json()) as OutboxMessage[]
}
