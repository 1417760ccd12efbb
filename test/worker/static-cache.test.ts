// public/_headers on Workers static assets: the pages link plain file names there (no content
// hash), so the files must be revalidated (ETag, 304), never kept as immutable.
import { describe, expect, it } from 'vitest'
import { APP_URL, front } from './support'

describe('static files on Workers', () => {
  it('are revalidated with their ETag, and say nosniff', async () => {
    for (const path of ['/app.css', '/app.js', '/htmx.min.js']) {
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
