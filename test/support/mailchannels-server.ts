import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { z } from 'zod'

// The request MailChannels' Email API documents for POST /tx/v1/send.
const sendRequest = z.object({
  personalizations: z.array(z.object({ to: z.array(z.object({ email: z.email(), name: z.string().optional() })).min(1) })).min(1),
  from: z.object({ email: z.email(), name: z.string().optional() }),
  subject: z.string().min(1),
  content: z
    .array(z.object({ type: z.enum(['text/plain', 'text/html']), value: z.string().min(1) }))
    .min(1)
    .refine((parts) => parts[0]?.type === 'text/plain', 'text/plain must come first'),
})

export type SendRequest = z.infer<typeof sendRequest>
export type Behaviour = 'accept' | 'reject' | 'fail' | 'hang'

/** A local stand-in for MailChannels that checks each request's shape and answers as told. */
export async function startMailChannels(apiKey = 'test-mailchannels-key') {
  const received: SendRequest[] = []
  const problems: string[] = []
  let behaviour: Behaviour = 'accept'
  const hanging: ServerResponse[] = []

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const reply = (status: number, body = '') => res.writeHead(status, { 'Content-Type': 'application/json' }).end(body)
    if (req.method !== 'POST' || req.url !== '/tx/v1/send') return reply(404)
    if (req.headers['x-api-key'] !== apiKey) {
      problems.push('missing or wrong X-Api-Key')
      return reply(401, '{"errors":["unauthorized"]}')
    }
    if (!String(req.headers['content-type']).startsWith('application/json')) {
      problems.push(`content-type ${req.headers['content-type']}`)
      return reply(415)
    }
    const parsed = sendRequest.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'))
    if (!parsed.success) {
      problems.push(parsed.error.message)
      return reply(400, JSON.stringify({ errors: parsed.error.issues.map((i) => i.message) }))
    }
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
