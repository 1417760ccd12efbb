// The Node host's static files and compression: hashed addresses cached as immutable, plain
// ones revalidated, gzip when asked, and a file edited while the host runs picked up.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { request, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { serve, type ServerType } from '@hono/node-server'
import { Hono } from 'hono'
import { setCookie } from 'hono/cookie'
import { secureHeaders } from 'hono/secure-headers'
import { stream } from 'hono/streaming'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assetHref, setAssetVersions } from '../src/http/assets'
import { acceptsGzip, gzipServer } from '../src/http/gzip'
import { IMMUTABLE, REVALIDATE, servePublicFiles } from '../src/http/public-files'

const CSS = `body { color: #222; }\n${'.rule { margin: 0 auto; padding: 1rem; }\n'.repeat(80)}`

let dir: string
let app: Hono

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'staff-portal-public-'))
  writeFileSync(join(dir, 'app.css'), CSS)
  writeFileSync(join(dir, 'tiny.js'), 'x()')
  writeFileSync(join(dir, '_headers'), '/*\n  X-Test: 1\n')
  app = new Hono()
  app.use(servePublicFiles(dir))
  app.notFound((c) => c.text('none', 404))
})
afterAll(() => {
  setAssetVersions({})
  rmSync(dir, { recursive: true, force: true })
})

const get = (path: string, headers: Record<string, string> = {}) => app.request(`http://localhost${path}`, { headers })

describe('public files on the Node host', () => {
  it('links files by content hash and caches those addresses for a year', async () => {
    const href = assetHref('app.css')
    expect(href).toMatch(/^\/app\.css\?v=[0-9a-f]{16}$/)
    const response = await get(href)
    expect(response.status).toBe(200)
    expect(response.headers.get('Cache-Control')).toBe(IMMUTABLE)
    expect(response.headers.get('Content-Type')).toBe('text/css; charset=utf-8')
    expect(await response.text()).toBe(CSS)
  })

  it('revalidates the plain name or an old hash, answering 304 to a matching ETag', async () => {
    for (const path of ['/app.css', '/app.css?v=0000000000000000']) {
      const response = await get(path)
      expect(response.headers.get('Cache-Control')).toBe(REVALIDATE)
      const etag = response.headers.get('ETag')!
      expect(etag).toMatch(/^"[0-9a-f]{16}"$/)
      const again = await get(path, { 'If-None-Match': etag })
      expect(again.status).toBe(304)
      expect(await again.text()).toBe('')
    }
  })

  it('sends the gzip copy when the client accepts it', async () => {
    const response = await get(assetHref('app.css'), { 'Accept-Encoding': 'gzip, deflate, br' })
    expect(response.headers.get('Content-Encoding')).toBe('gzip')
    expect(response.headers.get('Vary')).toBe('Accept-Encoding')
    const body = Buffer.from(await response.arrayBuffer())
    expect(body.length).toBeLessThan(CSS.length / 4)
    expect(gunzipSync(body).toString()).toBe(CSS)
    // Too small to gain from gzip: sent as it is.
    expect((await get('/tiny.js', { 'Accept-Encoding': 'gzip' })).headers.get('Content-Encoding')).toBeNull()
  })

  it('does not serve the Worker-only _headers file, dotfiles or paths outside the folder', async () => {
    for (const path of ['/_headers', '/.env', '/..%2Fapp.css', '/nested/app.css']) expect((await get(path)).status).toBe(404)
  })

  it('serves a file added while the host runs, within a second', async () => {
    writeFileSync(join(dir, 'later.js'), 'later()')
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    const response = await get('/later.js')
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('later()')
  })

  it('notices a file edited while the host runs', async () => {
    const before = assetHref('app.css')
    writeFileSync(join(dir, 'app.css'), `${CSS}\n.new { color: red; }\n`)
    const later = new Date(Date.now() + 5_000)
    utimesSync(join(dir, 'app.css'), later, later)
    const response = await get('/app.css')
    expect(await response.text()).toContain('.new')
    expect(assetHref('app.css')).not.toBe(before)
    expect((await get(before)).headers.get('Cache-Control')).toBe(REVALIDATE)
  })
})

describe('gzip on the Node host', () => {
  let server: ServerType
  let port: number

  beforeAll(async () => {
    const pages = new Hono()
    pages.get('/page', (c) => {
      setCookie(c, 'a', 'b')
      return c.html(`<p>${'hello '.repeat(400)}</p>`)
    })
    pages.get('/small', (c) => c.html('<p>hi</p>'))
    // Middleware that rebuilds the Response makes node-server stream it in chunks: gzipped too.
    pages.use('/wrapped/*', secureHeaders())
    pages.get('/wrapped/page', (c) => c.html(`<p>${'wrapped '.repeat(400)}</p>`))
    pages.get('/json', (c) => c.json({ words: 'word '.repeat(400) }))
    pages.get('/png', (c) => c.body(new Uint8Array(4096), 200, { 'Content-Type': 'image/png' }))
    pages.get('/redirect', (c) => c.redirect('/page', 303))
    pages.get('/stream', (c) =>
      stream(c, async (s) => {
        c.header('Content-Type', 'text/plain')
        for (let i = 0; i < 3; i++) await s.write('chunk '.repeat(300))
      }),
    )
    await new Promise<void>((resolve) => {
      server = serve({ fetch: pages.fetch, hostname: '127.0.0.1', port: 0, createServer: gzipServer() }, () => resolve())
    })
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  /** A raw request: the bytes as sent, not decoded. */
  const raw = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
      })
      req.on('error', reject)
      req.end()
    })

  it('gzips a page when asked, with the right length, keeping its cookies', async () => {
    const response = await raw('/page', { 'Accept-Encoding': 'gzip, deflate, br' })
    expect(response.headers['content-encoding']).toBe('gzip')
    expect(Number(response.headers['content-length'])).toBe(response.body.length)
    expect(response.headers.vary).toBe('Accept-Encoding')
    expect(response.headers['set-cookie']).toEqual([expect.stringMatching(/^a=b/)])
    expect(gunzipSync(response.body).toString()).toBe(`<p>${'hello '.repeat(400)}</p>`)
    const wrapped = await raw('/wrapped/page', { 'Accept-Encoding': 'gzip' })
    expect(wrapped.headers['content-encoding']).toBe('gzip')
    expect(wrapped.headers['x-frame-options']).toBe('SAMEORIGIN')
    expect(gunzipSync(wrapped.body).toString()).toBe(`<p>${'wrapped '.repeat(400)}</p>`)
    const json = await raw('/json', { 'Accept-Encoding': 'gzip' })
    expect(JSON.parse(gunzipSync(json.body).toString())).toEqual({ words: 'word '.repeat(400) })
  })

  it('leaves small bodies, other types, redirects, HEAD and clients that do not accept gzip alone', async () => {
    const small = await raw('/small', { 'Accept-Encoding': 'gzip' })
    expect(small.headers['content-encoding']).toBeUndefined()
    expect(small.body.toString()).toBe('<p>hi</p>')
    expect((await raw('/png', { 'Accept-Encoding': 'gzip' })).headers['content-encoding']).toBeUndefined()
    const redirect = await raw('/redirect', { 'Accept-Encoding': 'gzip' })
    expect(redirect.status).toBe(303)
    expect(redirect.headers.location).toBe('/page')
    const plain = await raw('/page', { 'Accept-Encoding': 'identity' })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.headers.vary).toBe('Accept-Encoding')
    expect(plain.body.toString()).toContain('hello hello')
    const head = await raw('/page', { 'Accept-Encoding': 'gzip' }, 'HEAD')
    expect(head.headers['content-encoding']).toBeUndefined()
  })

  it('passes a streamed body through as it comes', async () => {
    const response = await raw('/stream', { 'Accept-Encoding': 'gzip' })
    expect(response.headers['content-encoding']).toBeUndefined()
    expect(response.body.toString()).toBe('chunk '.repeat(900))
  })

  it('reads Accept-Encoding with its q-values', () => {
    expect(acceptsGzip('gzip')).toBe(true)
    expect(acceptsGzip('br, gzip;q=0.8')).toBe(true)
    expect(acceptsGzip('*')).toBe(true)
    expect(acceptsGzip('gzip;q=0')).toBe(false)
    expect(acceptsGzip('gzip;q=0.0, br')).toBe(false)
    expect(acceptsGzip('identity')).toBe(false)
    expect(acceptsGzip(undefined)).toBe(false)
    expect(acceptsGzip('x-gzip')).toBe(false)
  })
})
