// A small libSQL server for tests and `npm run dev:worker`: it speaks Hrana over HTTP
// (protocol version 2, JSON: the `POST /v2/pipeline` requests that @libsql/client/web sends)
// over an embedded libSQL file. Turso speaks the same protocol, so a Worker pointed at this
// server reaches its database exactly as it does in production. Not for production use: no
// TLS, one process, and at most one open transaction at a time.
//
// Protocol: https://github.com/tursodatabase/libsql/blob/main/docs/HRANA_3_SPEC.md (the v2
// subset over HTTP). What is implemented:
// - GET /v2 answers 200 (the version probe); /v3 and /v3-protobuf answer 404, so clients stay on v2.
// - POST /v2/pipeline with { baton, requests } where each request is `execute`, `batch` (with
//   `ok` / `error` / `not` / `and` / `or` / `is_autocommit` conditions), `sequence`,
//   `describe`, `store_sql`, `close_sql`, `get_autocommit` or `close`.
// - A stream is a database connection of its own. A pipeline that does not end with `close`
//   keeps its stream open and gets a baton to continue it; every response hands out a new baton
//   and the old one stops working. Streams idle longer than `streamIdleMs` are rolled back.
// - Values: {type:'null'}, {type:'integer', value:'123'} (a decimal string), {type:'float', value},
//   {type:'text', value}, {type:'blob', base64}.
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname } from 'node:path'
import Database from 'libsql'

type Connection = InstanceType<typeof Database>

export interface HranaServerOptions {
  /** The embedded database file; created (with its directory) when missing. */
  file: string
  /** Default 127.0.0.1. */
  host?: string
  /** Default 0: any free port. */
  port?: number
  /** When set, every request must carry `Authorization: Bearer <authToken>`, as Turso requires. */
  authToken?: string
  /** An open stream (a transaction, usually) unused this long is rolled back and closed. Default 15 s. */
  streamIdleMs?: number
  /** How long a request waits for another stream's transaction to end before answering "database is locked". Default 5 s. */
  lockTimeoutMs?: number
}

export interface HranaServer {
  /** http://host:port, for createClient({ url }) and TURSO_DATABASE_URL. */
  url: string
  port: number
  /** Streams kept open between requests (transactions in progress, mostly). */
  openStreams(): number
  close(): Promise<void>
}

// ---- wire types (Hrana v2 JSON) ----

export type ProtoValue =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string }

interface ProtoStmt {
  sql?: string
  sql_id?: number
  args?: ProtoValue[]
  named_args?: { name: string; value: ProtoValue }[]
  want_rows?: boolean
}

type ProtoCond =
  | { type: 'ok' | 'error'; step: number }
  | { type: 'not'; cond: ProtoCond }
  | { type: 'and' | 'or'; conds: ProtoCond[] }
  | { type: 'is_autocommit' }

interface ProtoStmtResult {
  cols: { name: string | null; decltype: string | null }[]
  rows: ProtoValue[][]
  affected_row_count: number
  last_insert_rowid: string | null
}

interface ProtoError {
  message: string
  code?: string
}

type StreamRequest =
  | { type: 'close' }
  | { type: 'execute'; stmt: ProtoStmt }
  | { type: 'batch'; batch: { steps: { condition?: ProtoCond | null; stmt: ProtoStmt }[] } }
  | { type: 'sequence' | 'describe'; sql?: string; sql_id?: number }
  | { type: 'store_sql'; sql_id: number; sql: string }
  | { type: 'close_sql'; sql_id: number }
  | { type: 'get_autocommit' }

type StreamResult = { type: 'ok'; response: Record<string, unknown> & { type: string } } | { type: 'error'; error: ProtoError }

/** A request the client got wrong: answered as a Hrana error rather than crashing the server. */
class ProtocolError extends Error {
  constructor(
    message: string,
    readonly code = 'PROTOCOL_ERROR',
  ) {
    super(message)
  }
}

// ---- values ----

function decodeValue(value: ProtoValue): unknown {
  switch (value?.type) {
    case 'null':
      return null
    case 'integer':
      if (typeof value.value !== 'string' || !/^-?\d+$/.test(value.value)) throw new ProtocolError('integer value must be a decimal string')
      return BigInt(value.value)
    case 'float':
      return Number(value.value)
    case 'text':
      return String(value.value)
    case 'blob':
      return Buffer.from(value.base64 ?? '', 'base64')
    default:
      throw new ProtocolError(`unknown value type ${JSON.stringify((value as { type?: unknown })?.type)}`)
  }
}

function encodeValue(value: unknown): ProtoValue {
  if (value === null || value === undefined) return { type: 'null' }
  if (typeof value === 'bigint') return { type: 'integer', value: value.toString() }
  // With safeIntegers on, libsql hands integers over as bigint: a number is always a REAL.
  if (typeof value === 'number') return { type: 'float', value }
  if (typeof value === 'string') return { type: 'text', value }
  if (value instanceof Uint8Array)
    return { type: 'blob', base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') }
  if (value instanceof ArrayBuffer) return { type: 'blob', base64: Buffer.from(value).toString('base64') }
  throw new Error(`cannot encode a ${typeof value} from the database`)
}

// ---- errors ----

const SQLITE_BASE_CODES: Record<number, string> = {
  1: 'SQLITE_ERROR',
  2: 'SQLITE_INTERNAL',
  3: 'SQLITE_PERM',
  4: 'SQLITE_ABORT',
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  7: 'SQLITE_NOMEM',
  8: 'SQLITE_READONLY',
  9: 'SQLITE_INTERRUPT',
  10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT',
  12: 'SQLITE_NOTFOUND',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
  15: 'SQLITE_PROTOCOL',
  16: 'SQLITE_EMPTY',
  17: 'SQLITE_SCHEMA',
  18: 'SQLITE_TOOBIG',
  19: 'SQLITE_CONSTRAINT',
  20: 'SQLITE_MISMATCH',
  21: 'SQLITE_MISUSE',
  22: 'SQLITE_NOLFS',
  23: 'SQLITE_AUTH',
  24: 'SQLITE_FORMAT',
  25: 'SQLITE_RANGE',
  26: 'SQLITE_NOTADB',
}

/** SQLite errors keep their base code (SQLITE_CONSTRAINT, ...), as Turso reports them. */
function toProtoError(error: unknown): ProtoError {
  if (error instanceof ProtocolError) return { message: error.message, code: error.code }
  if (error instanceof Database.SqliteError) {
    const raw = (error as { rawCode?: number }).rawCode
    const code = raw !== undefined ? (SQLITE_BASE_CODES[raw & 0xff] ?? error.code) : error.code
    return { message: `SQLite error: ${error.message}`, code }
  }
  return { message: error instanceof Error ? error.message : String(error), code: 'UNKNOWN' }
}

// ---- streams ----

class Stream {
  readonly sqls = new Map<number, string>()
  timer: NodeJS.Timeout | undefined
  closed = false
  constructor(readonly conn: Connection) {}
}

function openConnection(file: string): Connection {
  // timeout 0: waiting is done by the server's own lock below, never by blocking the event loop.
  return new Database(file, { timeout: 0 })
}

function sqlOf(stream: Stream, source: { sql?: string; sql_id?: number }): string {
  if (typeof source.sql === 'string') return source.sql
  if (typeof source.sql_id === 'number') {
    const sql = stream.sqls.get(source.sql_id)
    if (sql === undefined) throw new ProtocolError(`SQL text ${source.sql_id} is not stored on this stream`, 'SQL_NOT_FOUND')
    return sql
  }
  throw new ProtocolError('a statement needs sql or sql_id')
}

function bindings(stmt: ProtoStmt): unknown[] | Record<string, unknown> {
  const args = stmt.args ?? []
  const named = stmt.named_args ?? []
  if (named.length === 0) return args.map(decodeValue)
  if (args.length > 0) throw new ProtocolError('mixing positional and named arguments is not supported by this server')
  // libsql binds ":name", "@name" and "$name" by the bare name.
  return Object.fromEntries(named.map(({ name, value }) => [/^[:@$]/.test(name) ? name.slice(1) : name, decodeValue(value)]))
}

const scalar = (conn: Connection, sql: string) => (conn.prepare(sql).safeIntegers(true).raw(true).get([]) as unknown[])[0]

function execute(stream: Stream, stmt: ProtoStmt): ProtoStmtResult {
  const { conn } = stream
  const prepared = conn.prepare(sqlOf(stream, stmt))
  prepared.safeIntegers(true)
  const params = bindings(stmt)
  if (!prepared.reader) {
    const info = prepared.run(params)
    return { cols: [], rows: [], affected_row_count: info.changes, last_insert_rowid: String(info.lastInsertRowid) }
  }
  prepared.raw(true)
  const cols = prepared.columns().map((col) => ({ name: col.name ?? null, decltype: col.type ?? null }))
  // A statement that returns rows may still write (INSERT ... RETURNING): total_changes() tells.
  const before = scalar(conn, 'select total_changes()')
  const rows = (prepared.all(params) as unknown[][]).map((row) => row.map(encodeValue))
  const wrote = scalar(conn, 'select total_changes()') !== before
  return {
    cols,
    rows: stmt.want_rows === false ? [] : rows,
    affected_row_count: wrote ? Number(scalar(conn, 'select changes()')) : 0,
    last_insert_rowid: wrote ? String(scalar(conn, 'select last_insert_rowid()')) : null,
  }
}

function evalCond(cond: ProtoCond, outcomes: ('ok' | 'error' | undefined)[], conn: Connection): boolean {
  switch (cond.type) {
    case 'ok':
    case 'error':
      return outcomes[cond.step] === cond.type
    case 'not':
      return !evalCond(cond.cond, outcomes, conn)
    case 'and':
      return cond.conds.every((c) => evalCond(c, outcomes, conn))
    case 'or':
      return cond.conds.some((c) => evalCond(c, outcomes, conn))
    case 'is_autocommit':
      return !conn.inTransaction
    default:
      throw new ProtocolError(`unknown batch condition ${JSON.stringify((cond as { type?: unknown }).type)}`)
  }
}

function runBatch(stream: Stream, steps: { condition?: ProtoCond | null; stmt: ProtoStmt }[]) {
  const outcomes: ('ok' | 'error' | undefined)[] = []
  const stepResults: (ProtoStmtResult | null)[] = []
  const stepErrors: (ProtoError | null)[] = []
  steps.forEach((step, i) => {
    stepResults.push(null)
    stepErrors.push(null)
    if (step.condition && !evalCond(step.condition, outcomes, stream.conn)) return
    try {
      stepResults[i] = execute(stream, step.stmt)
      outcomes[i] = 'ok'
    } catch (error) {
      stepErrors[i] = toProtoError(error)
      outcomes[i] = 'error'
    }
  })
  return { step_results: stepResults, step_errors: stepErrors }
}

function describe(stream: Stream, sql: string) {
  const prepared = stream.conn.prepare(sql)
  const reader = prepared.reader
  const cols = reader ? prepared.columns().map((col) => ({ name: col.name, decltype: col.type ?? null })) : []
  // libsql's JS binding does not expose the parameter list; count the placeholders SQLite would.
  const params = [...sql.matchAll(/'(?:[^']|'')*'|"(?:[^"]|"")*"|(\?\d*|[:@$][A-Za-z_]\w*)/g)]
    .map((m) => m[1])
    .filter((p): p is string => p !== undefined)
    .map((p) => ({ name: p.startsWith('?') ? null : p }))
  return {
    params,
    cols,
    is_explain: /^\s*explain\b/i.test(sql),
    // An approximation too: plain queries are read-only, anything else is assumed to write.
    is_readonly: reader && /^\s*(select|values|explain)\b/i.test(sql),
  }
}

function handleRequest(stream: Stream, request: StreamRequest): StreamResult {
  try {
    switch (request?.type) {
      case 'execute':
        return { type: 'ok', response: { type: 'execute', result: execute(stream, request.stmt) } }
      case 'batch':
        return { type: 'ok', response: { type: 'batch', result: runBatch(stream, request.batch?.steps ?? []) } }
      case 'sequence':
        stream.conn.exec(sqlOf(stream, request))
        return { type: 'ok', response: { type: 'sequence' } }
      case 'describe':
        return { type: 'ok', response: { type: 'describe', result: describe(stream, sqlOf(stream, request)) } }
      case 'store_sql':
        if (typeof request.sql_id !== 'number' || typeof request.sql !== 'string') throw new ProtocolError('store_sql needs sql_id and sql')
        stream.sqls.set(request.sql_id, request.sql)
        return { type: 'ok', response: { type: 'store_sql' } }
      case 'close_sql':
        stream.sqls.delete(request.sql_id)
        return { type: 'ok', response: { type: 'close_sql' } }
      case 'get_autocommit':
        return { type: 'ok', response: { type: 'get_autocommit', is_autocommit: !stream.conn.inTransaction } }
      case 'close':
        stream.closed = true
        return { type: 'ok', response: { type: 'close' } }
      default:
        throw new ProtocolError(`unknown request type ${JSON.stringify((request as { type?: unknown })?.type)}`)
    }
  } catch (error) {
    return { type: 'error', error: toProtoError(error) }
  }
}

// ---- the HTTP server ----

const MAX_BODY_BYTES = 16 * 1024 * 1024
const MAX_IDLE_CONNECTIONS = 4

export async function startHranaServer(options: HranaServerOptions): Promise<HranaServer> {
  const { file } = options
  const streamIdleMs = options.streamIdleMs ?? 15_000
  const lockTimeoutMs = options.lockTimeoutMs ?? 5_000
  mkdirSync(dirname(file), { recursive: true })

  const idle: Connection[] = [openConnection(file)]
  const batons = new Map<string, Stream>()
  const live = new Set<Stream>()
  // SQLite allows one writer; the libsql binding is synchronous, so a connection waiting on
  // SQLite's lock would block the event loop and with it the stream that holds the lock. Instead
  // the stream inside a transaction owns the database until it ends, and others wait here.
  let owner: Stream | null = null
  let wakeUps: (() => void)[] = []

  const acquire = () => idle.pop() ?? openConnection(file)
  const release = (stream: Stream) => {
    if (stream.timer) clearTimeout(stream.timer)
    live.delete(stream)
    for (const [baton, s] of batons) if (s === stream) batons.delete(baton)
    const { conn } = stream
    try {
      if (conn.inTransaction) conn.exec('ROLLBACK')
      if (idle.length < MAX_IDLE_CONNECTIONS) idle.push(conn)
      else conn.close()
    } catch {
      conn.close()
    }
    if (owner === stream) unlock()
  }
  const unlock = () => {
    owner = null
    const waiting = wakeUps
    wakeUps = []
    for (const wake of waiting) wake()
  }
  const waitForLock = async (stream: Stream) => {
    const deadline = Date.now() + lockTimeoutMs
    while (owner && owner !== stream) {
      const left = deadline - Date.now()
      if (left <= 0) return false
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        wakeUps.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    return true
  }

  async function pipeline(body: { baton?: string | null; requests?: StreamRequest[] }) {
    if (!Array.isArray(body.requests)) throw new ProtocolError('requests must be an array')
    let stream: Stream
    if (body.baton === null || body.baton === undefined) {
      stream = new Stream(acquire())
      live.add(stream)
    } else {
      const found = batons.get(body.baton)
      if (!found) throw new ProtocolError('the baton is not valid: the stream was closed or expired', 'STREAM_EXPIRED')
      batons.delete(body.baton)
      if (found.timer) clearTimeout(found.timer)
      stream = found
    }
    if (!(await waitForLock(stream))) {
      release(stream)
      return { status: 503, body: { message: 'database is locked: another stream holds a transaction', code: 'SQLITE_BUSY' } }
    }
    const results = body.requests.map((request) => handleRequest(stream, request))
    let baton: string | null = null
    if (stream.closed) release(stream)
    else {
      if (stream.conn.inTransaction) owner = stream
      else if (owner === stream) unlock()
      baton = randomBytes(18).toString('base64url')
      batons.set(baton, stream)
      stream.timer = setTimeout(() => release(stream), streamIdleMs)
    }
    return { status: 200, body: { baton, base_url: null, results } }
  }

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body)
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
    res.end(text)
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/\/+$/, '') || '/'
    if (options.authToken !== undefined && req.headers.authorization !== `Bearer ${options.authToken}`)
      return send(res, 401, { message: 'Authentication failed: a valid Authorization: Bearer token is required', code: 'UNAUTHORIZED' })
    if (req.method === 'GET' && (path === '/v2' || path === '/health' || path === '/')) return send(res, 200, { ok: true })
    if (req.method === 'POST' && path === '/v2/pipeline') {
      const chunks: Buffer[] = []
      let size = 0
      for await (const chunk of req) {
        size += (chunk as Buffer).length
        if (size > MAX_BODY_BYTES) return send(res, 413, { message: 'request body too large' })
        chunks.push(chunk as Buffer)
      }
      let body: unknown
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        return send(res, 400, { message: 'the request body is not JSON', code: 'PROTOCOL_ERROR' })
      }
      try {
        const answer = await pipeline(body as { baton?: string | null; requests?: StreamRequest[] })
        return send(res, answer.status, answer.body)
      } catch (error) {
        return send(res, 400, toProtoError(error))
      }
    }
    return send(res, 404, { message: `no ${req.method} ${path} here` })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) send(res, 500, { message: error instanceof Error ? error.message : String(error) })
      else res.destroy()
    })
  })
  server.keepAliveTimeout = 1_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    openStreams: () => live.size,
    close: async () => {
      for (const stream of [...live]) release(stream)
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      for (const conn of idle.splice(0)) conn.close()
    },
  }
}
