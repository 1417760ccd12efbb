import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { z } from 'zod'

// The request MailChannels' Email API documents for POST /tx/v1/send.
const sendRequest = z.object({
  personalizations: z
    .array(
      z
        .object({
          to: z.array(z.object({ email: z.email(), name: z.string().optional() })).min(1),
          // DKIM signing by MailChannels: all three or none; the key is bare base64 (no PEM armour).
          dkim_domain: z.string().min(1).optional(),
          dkim_selector: z.string().min(1).optional(),
          dkim_private_key: z.base64().optional(),
        })
        .strict()
        .refine(
          (p) => [p.dkim_domain, p.dkim_selector, p.dkim_private_key].filter((v) => v === undefined).length % 3 === 0,
          'dkim_domain, dkim_selector and dkim_private_key go together',
        ),
    )
    .min(1),
  from: z.object({ email: z.email(), name: z.string().optional() }),
  subject: z.string().min(1),
  content: z
    .array(z.object({ type: z.enum(['text/plain', 'text/html']), value: z.string().min(1) }))
    .min(1)
    .refine((parts) => parts[0]?.type === 'text/plain', 'text/plain must come first'),
})

export type SendRequest = z.infer<typeof sendRequest>
export type Behaviour = 'accept' | 'reject' | 'fail' | 'hang'

/** Every request that reached the server, as it arrived, whatever the answer was (hung ones included). */
export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  /** The raw body text. */
  body: string
  /** The body parsed as JSON, or undefined when it was not JSON. */
  json: unknown
  /** What the server did with it. */
  answer: Behaviour | 'refused'
}

/** A local stand-in for MailChannels that checks each request's shape and answers as told. */
export async function startMailChannels(apiKey = 'test-mailchannels-key') {
  /** Valid send requests answered 202, 400 or 503 (hung requests are not here; see `requests`). */
  const received: SendRequest[] = []
  const requests: RecordedRequest[] = []
  const problems: string[] = []
  let behaviour: Behaviour = 'accept'
  const hanging: ServerResponse[] = []

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer)
    } catch {
      return // the client went away mid-body
    }
    const body = Buffer.concat(chunks).toString('utf8')
    let json: unknown
    try {
      json = body ? JSON.parse(body) : undefined
    } catch {
      json = undefined
    }
    const record: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json, answer: 'refused' }
    requests.push(record)
    const reply = (status: number, text = '') => res.writeHead(status, { 'Content-Type': 'application/json' }).end(text)
    if (req.method !== 'POST' || req.url !== '/tx/v1/send') return reply(404)
    if (req.headers['x-api-key'] !== apiKey) {
      problems.push('missing or wrong X-Api-Key')
      return reply(401, '{"errors":["unauthorized"]}')
    }
    if (!String(req.headers['content-type']).startsWith('application/json')) {
      problems.push(`content-type ${req.headers['content-type']}`)
      return reply(415)
    }
    const parsed = sendRequest.safeParse(json ?? null)
    if (!parsed.success) {
      problems.push(parsed.error.message)
      return reply(400, JSON.stringify({ errors: parsed.error.issues.map((i) => i.message) }))
    }
    record.answer = behaviour
    if (behaviour === 'hang') return void hanging.push(res)
    received.push(parsed.data)
    if (behaviour === 'reject') return reply(400, '{"errors":["recipient rejected"]}')
    if (behaviour === 'fail') return reply(503, '{"errors":["service unavailable"]}')
    return reply(202)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/tx/v1/send`,
    apiKey,
    received,
    requests,
    problems,
    set(next: Behaviour) {
      behaviour = next
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export type MailChannelsServer = Awaited<ReturnType<typeof startMailChannels>>

/** A URL on 127.0.0.1 where nothing listens: a port that was just opened and closed again. */
export async function closedPortUrl() {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}/tx/v1/send`
}
