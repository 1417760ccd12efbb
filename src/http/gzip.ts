// Response compression for the Node host (Workers compress at the edge). It works on Node's
// ServerResponse, under @hono/node-server: a page is complete when Hono hands it over, so the
// head is held back, the body collected until end(), and gzipped in one synchronous call.
// Done as Hono middleware instead, reading the body back out of the Response and building a
// new one cost more than the gzip itself (docs/benchmarks.md).
// A body that outgrows the buffer, or whose headers are flushed early (a stream), goes out
// as it is. Node-only (zlib).
import { createServer, type OutgoingHttpHeaders, type RequestListener, type ServerOptions, type ServerResponse } from 'node:http'
import { gzipSync } from 'node:zlib'

const COMPRESSIBLE = /^\s*(?:text\/(?!event-stream)|application\/(?:json|javascript|xml|xhtml\+xml|manifest\+json)|image\/svg\+xml)/i
const MAX_BUFFER = 1024 * 1024

/** Whether Accept-Encoding allows gzip (named, or by '*', with a q above 0). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (!header) return false
  return String(header)
    .split(',')
    .some((part) => {
      const [coding, ...params] = part.split(';').map((p) => p.trim().toLowerCase())
      if (coding !== 'gzip' && coding !== '*') return false
      const q = params.find((p) => p.startsWith('q='))
      return q === undefined || Number(q.slice(2)) > 0
    })
}

// The held head's names are lower-cased once (writeHead below), so each lookup is one property
// read: scanning every name for each lookup was a few per cent of a small page's CPU.
const headerOf = (headers: OutgoingHttpHeaders, name: string) => {
  const value = headers[name]
  return value === undefined ? undefined : String(value)
}
const setHeader = (headers: OutgoingHttpHeaders, name: string, value: string | number) => {
  headers[name] = value
}

/** The headers with lower-case names (as Hono's Headers already gives them; a later duplicate wins). */
function lowerCased(given: OutgoingHttpHeaders | undefined): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {}
  if (given) for (const key of Object.keys(given)) headers[key.toLowerCase()] = given[key]
  return headers
}

const toBuffer = (chunk: unknown, encoding: unknown): Buffer | null => {
  if (typeof chunk === 'string') return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
  return null
}

export interface GzipOptions {
  /** Bodies smaller than this go as they are. */
  threshold?: number
  /**
   * zlib level. 1, as nginx does for pages made per request: less than half the time of level 6
   * for a few per cent more bytes (docs/benchmarks.md). Files in public/ are gzipped once at
   * level 9 (./public-files.ts).
   */
  level?: number
}

interface Head {
  status: number
  message?: string
  headers: OutgoingHttpHeaders
}

type Method = (...args: unknown[]) => unknown

/** Wraps a Node request listener so that text responses are gzipped when the client accepts it. */
export function gzipListener(listener: RequestListener, { threshold = 1024, level = 1 }: GzipOptions = {}): RequestListener {
  // The last body sent whole as one string, and its gzip: a page rendered once and answered as
  // the same string (renderStatic: the signed-out login page) is compressed once, not per
  // request. The same text always gzips to the same bytes, so nothing of one answer reaches
  // another; a different body is told apart by === (the same string object: at once).
  let lastText: string | null = null
  let lastZipped: Buffer | null = null
  const gzipOf = (body: Buffer, text: string | null) => {
    if (text !== null && text === lastText && lastZipped) return lastZipped
    const zipped = gzipSync(body, { level })
    if (text !== null) {
      lastText = text
      lastZipped = zipped
    }
    return zipped
  }
  return (req, res) => {
    if (req.method === 'HEAD') return listener(req, res)
    const accepted = acceptsGzip(req.headers['accept-encoding'])
    const original = { writeHead: res.writeHead, write: res.write, end: res.end, flushHeaders: res.flushHeaders }
    const writeHead = original.writeHead as Method
    const write = original.write as Method
    const end = original.end as Method
    let head: Head | null = null
    let chunks: Buffer[] = []
    let size = 0

    const restore = () => Object.assign(res, original)
    const send = (h: Head) =>
      h.message === undefined ? writeHead.call(res, h.status, h.headers) : writeHead.call(res, h.status, h.message, h.headers)
    /** Gives up: the held head and body go on as they are. */
    const release = () => {
      const held = head
      head = null
      restore()
      if (held) send(held)
      for (const chunk of chunks) write.call(res, chunk)
      chunks = []
    }

    res.writeHead = function (status: number, ...rest: unknown[]) {
      const message = typeof rest[0] === 'string' ? (rest.shift() as string) : undefined
      const given = rest[0]
      restore()
      if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given)))
        return writeHead.call(res, status, ...(message === undefined ? [] : [message]), ...rest)
      const headers = lowerCased(given as OutgoingHttpHeaders | undefined)
      const type = headerOf(headers, 'content-type') ?? String(res.getHeader('content-type') ?? '')
      const compressible =
        COMPRESSIBLE.test(type) && headerOf(headers, 'content-encoding') === undefined && !res.hasHeader('content-encoding')
      if (compressible) {
        const vary = headerOf(headers, 'vary') ?? ''
        if (!/(?:^|,)\s*(?:accept-encoding|\*)\s*(?:,|$)/i.test(vary))
          setHeader(headers, 'vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding')
      }
      const noTransform = /(?:^|,)\s*no-transform\s*(?:,|$)/i.test(headerOf(headers, 'cache-control') ?? '')
      const h: Head = { status, message, headers }
      if (!compressible || !accepted || noTransform || status === 204 || status === 304) return send(h)
      // Held until end(), or until the body shows it is a stream.
      head = h
      Object.assign(res, hold)
      return res
    } as typeof res.writeHead

    const hold = {
      write: function (chunk: unknown, encoding?: unknown, callback?: unknown) {
        const buffer = toBuffer(chunk, encoding)
        if (!buffer) {
          release()
          return write.call(res, chunk, encoding, callback)
        }
        chunks.push(buffer)
        size += buffer.length
        const done = typeof encoding === 'function' ? encoding : callback
        if (typeof done === 'function') process.nextTick(done as () => void)
        if (size > MAX_BUFFER) release()
        return true
      } as typeof res.write,
      flushHeaders: function () {
        release()
        original.flushHeaders.call(res)
      },
      end: function (...args: unknown[]) {
        const held = head
        if (!held) {
          restore()
          return end.apply(res, args)
        }
        const callback = args.find((a) => typeof a === 'function') as (() => void) | undefined
        const [chunk, encoding] = args
        const last = typeof chunk === 'function' ? null : toBuffer(chunk, encoding)
        if (last) chunks.push(last)
        head = null
        restore()
        const whole = chunks.length === 1 && last !== null
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
        chunks = []
        if (body.length >= threshold) {
          const zipped = gzipOf(
            body,
            whole && typeof chunk === 'string' && (typeof encoding !== 'string' || encoding === 'utf8') ? chunk : null,
          )
          delete held.headers['transfer-encoding']
          setHeader(held.headers, 'content-encoding', 'gzip')
          setHeader(held.headers, 'content-length', zipped.length)
          send(held)
          return callback ? end.call(res, zipped, callback) : end.call(res, zipped)
        }
        if (headerOf(held.headers, 'transfer-encoding') === undefined) setHeader(held.headers, 'content-length', body.length)
        send(held)
        return callback ? end.call(res, body, callback) : end.call(res, body)
      } as typeof res.end,
    } satisfies Partial<ServerResponse>

    return listener(req, res)
  }
}

/** For @hono/node-server's serve({ createServer }): an HTTP server whose responses are gzipped. */
export function gzipServer(options: GzipOptions = {}): typeof createServer {
  return ((serverOptions: ServerOptions, listener: RequestListener) =>
    createServer(serverOptions, gzipListener(listener, options))) as typeof createServer
}
