// Static files on Workers, as deployed: pages link each file by its content hash, and that
// address is cached for a year as immutable; any other address of the file (the plain name, an
// old hash) is revalidated with its ETag. public/_headers is read by wrangler, never served.
import { describe, expect, it } from 'vitest'
import { APP_URL, front } from './support'

const FILES = ['app.css', 'app.js', 'htmx.min.js']

async function sha256Hex(body: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', body)
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('')
}

async function linkedAddresses(): Promise<Map<string, string>> {
  const html = await (await front().fetch(`${APP_URL}/login`)).text()
  return new Map(
    FILES.map((name) => [name, new RegExp(`(?:href|src)="(/${name.replace('.', '\\.')}\\?v=[0-9a-f]{16})"`).exec(html)?.[1] ?? '']),
  )
}

describe('static files on Workers', () => {
  it('are linked by the hash of their content, and that address is cached as immutable', async () => {
    const linked = await linkedAddresses()
    for (const name of FILES) {
      const address = linked.get(name)!
      expect(address, name).toMatch(/\?v=[0-9a-f]{16}$/)
      const plain = await (await front().fetch(`${APP_URL}/${name}`)).arrayBuffer()
      expect(address.split('?v=')[1], name).toBe((await sha256Hex(plain)).slice(0, 16))

      const hashed = await front().fetch(`${APP_URL}${address}`)
      expect(hashed.status, address).toBe(200)
      expect(hashed.headers.get('Cache-Control'), address).toBe('public, max-age=31536000, immutable')
      expect(hashed.headers.get('X-Content-Type-Options'), address).toBe('nosniff')
      expect(new Uint8Array(await hashed.arrayBuffer()), address).toEqual(new Uint8Array(plain))
    }
  })

  it('are revalidated with their ETag at the plain name or an old hash, and say nosniff', async () => {
    for (const path of FILES.flatMap((name) => [`/${name}`, `/${name}?v=0123456789abcdef`])) {
      const response = await front().fetch(`${APP_URL}${path}`)
      expect(response.status, path).toBe(200)
      expect(response.headers.get('Cache-Control'), path).toBe('public, max-age=0, must-revalidate')
      expect(response.headers.get('X-Content-Type-Options'), path).toBe('nosniff')
      const etag = response.headers.get('ETag')
      expect(etag, path).toBeTruthy()
      await response.arrayBuffer()
      const again = await front().fetch(`${APP_URL}${path}`, { headers: { 'If-None-Match': etag! } })
      expect(again.status, path).toBe(304)
    }
  })

  it('does not publish the _headers file itself', async () => {
    const response = await front().fetch(`${APP_URL}/_headers`)
    expect(await response.text()).not.toContain('must-revalidate')
  })
})
