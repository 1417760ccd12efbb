// The Node host's static files: public/ held in memory with a content hash and a gzip copy
// of each file. Pages link them as /name?v=<hash> (see ./assets.ts); such a request is
// answered with a year-long immutable Cache-Control, any other with no-cache and an ETag,
// so a browser revalidates it with a 304. Node-only (file system, zlib): the Worker's files
// are served by Workers static assets, with public/_headers.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { MiddlewareHandler } from 'hono'
import { getMimeType } from 'hono/utils/mime'
import { setAssetVersions } from './assets'
import { acceptsGzip } from './gzip'

export const IMMUTABLE = 'public, max-age=31536000, immutable'
export const REVALIDATE = 'no-cache'

interface PublicFile {
  body: Uint8Array
  gzip: Uint8Array | null
  hash: string
  type: string
  mtimeMs: number
  size: number
}

// Top-level files only; names starting with '.' or '_' (public/_headers is the Worker's) are not served.
const SERVABLE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

function load(path: string): PublicFile | null {
  const stats = statSync(path, { throwIfNoEntry: false })
  if (!stats?.isFile()) return null
  const body = new Uint8Array(readFileSync(path))
  const type = getMimeType(path) ?? 'application/octet-stream'
  const compressible = /^(text\/|application\/(javascript|json|xml)|image\/svg)/.test(type)
  const gzip = compressible ? new Uint8Array(gzipSync(body, { level: 9 })) : null
  return {
    body,
    gzip: gzip && gzip.length < body.length ? gzip : null,
    hash: createHash('sha256').update(body).digest('hex').slice(0, 16),
    type,
    mtimeMs: stats.mtimeMs,
    size: stats.size,
  }
}

/**
 * Serves the files of `dir` and registers their hashes for assetHref. A file edited while the
 * host runs (npm run dev) is noticed by its size and mtime, re-read and re-hashed.
 */
export function servePublicFiles(dir: string): MiddlewareHandler {
  const files = new Map<string, PublicFile>()
  const publish = () => setAssetVersions(Object.fromEntries([...files].map(([name, file]) => [name, file.hash])))
  let listed = new Set<string>()
  let listedAt = 0
  // Which names the folder holds, read again at most once a second: every page request asks
  // (is "/staff" a file?) and must not cost a file-system call, let alone a thrown ENOENT.
  const list = () => {
    if (Date.now() - listedAt < 1000) return listed
    listed = new Set(readdirSync(dir).filter((name) => SERVABLE.test(name)))
    listedAt = Date.now()
    return listed
  }
  for (const name of list()) {
    const file = load(join(dir, name))
    if (file) files.set(name, file)
  }
  publish()

  const current = (name: string): PublicFile | null => {
    const known = files.get(name)
    if (!known && !list().has(name)) return null
    const path = join(dir, name)
    const stats = statSync(path, { throwIfNoEntry: false })
    if (!stats?.isFile()) {
      if (known) {
        files.delete(name)
        publish()
      }
      return null
    }
    if (known && known.mtimeMs === stats.mtimeMs && known.size === stats.size) return known
    const file = load(path)
    if (!file) return null
    files.set(name, file)
    publish()
    return file
  }

  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next()
    const name = c.req.path.slice(1)
    if (!SERVABLE.test(name)) return next()
    const file = current(name)
    if (!file) return next()

    const gzip = file.gzip && acceptsGzip(c.req.header('Accept-Encoding')) ? file.gzip : null
    const etag = gzip ? `"${file.hash}-gz"` : `"${file.hash}"`
    const headers: Record<string, string> = {
      'Cache-Control': c.req.query('v') === file.hash ? IMMUTABLE : REVALIDATE,
      ETag: etag,
      Vary: 'Accept-Encoding',
    }
    const match = c.req.header('If-None-Match')
    if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) return c.body(null, 304, headers)
    const body = gzip ?? file.body
    headers['Content-Type'] = file.type
    headers['Content-Length'] = String(body.length)
    if (gzip) headers['Content-Encoding'] = 'gzip'
    if (c.req.method === 'HEAD') return c.body(null, 200, headers)
    return c.body(body as Uint8Array<ArrayBuffer>, 200, headers)
  }
}
