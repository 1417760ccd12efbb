// The Node host's response compression (src/http/gzip.ts): held head, one gzip at end(), the
// last whole string body's gzip reused, header names of any case.
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import { request, type IncomingMessage } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gzipServer } from '../../src/http/gzip'

const page = (n: number) => `<!doctype html><p>${'Staff Portal '.repeat(200)}${n}</p>`
const STATIC = page(0)
let port = 0
const server = gzipServer()({}, (req, res) => {
  const body = req.url === '/static' ? STATIC : req.url === '/fresh' ? page(Math.random()) : 'small'
  res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8', VARY: 'HX-Request', 'X-Other': 'kept' })
  res.end(body)
})

beforeAll(() => new Promise<void>((done) => server.listen(0, '127.0.0.1', () => ((port = (server.address() as AddressInfo).port), done()))))
afterAll(() => new Promise<void>((done) => server.close(() => done())))

function get(path: string, encoding = 'gzip'): Promise<{ response: IncomingMessage; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers: { 'Accept-Encoding': encoding } }, (response) => {
      const parts: Buffer[] = []
      response.on('data', (part: Buffer) => parts.push(part))
      response.on('end', () => resolve({ response, body: Buffer.concat(parts) }))
    })
      .on('error', reject)
      .end()
  })
}

describe('gzip on the Node host', () => {
  it('gzips a text body over the threshold, with its length, and adds Accept-Encoding to Vary', async () => {
    for (const path of ['/static', '/static', '/fresh', '/static']) {
      const { response, body } = await get(path)
      expect(response.headers['content-encoding']).toBe('gzip')
      expect(Number(response.headers['content-length'])).toBe(body.length)
      expect(response.headers.vary).toBe('HX-Request, Accept-Encoding')
      expect(response.headers['x-other']).toBe('kept')
      const text = gunzipSync(body).toString('utf8')
      expect(path === '/static' ? text : text.slice(0, 30)).toBe(path === '/static' ? STATIC : STATIC.slice(0, 30))
    }
  })

  it('sends the same body plainly to a client that does not accept gzip, and small bodies as they are', async () => {
    const plain = await get('/static', 'identity')
    expect(plain.response.headers['content-encoding']).toBeUndefined()
    expect(plain.body.toString('utf8')).toBe(STATIC)
    const small = await get('/small')
    expect(small.response.headers['content-encoding']).toBeUndefined()
    expect(small.body.toString('utf8')).toBe('small')
    expect(Number(small.response.headers['content-length'])).toBe(5)
  })
})
