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

/**
 * Polls the outbox until a message matches, for mail the host sends just after it answers
 * (the verification code goes out after the redirect). Newest first, like readOutbox.
 */
export async function waitForMail(
  baseUrl: string,
  matches: (message: OutboxMessage) => boolean,
  { timeoutMs = 5_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<OutboxMessage> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = (await readOutbox(baseUrl)).find(matches)
    if (found) return found
    if (Date.now() > deadline) throw new Error(`no matching message in /dev/outbox.json within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
