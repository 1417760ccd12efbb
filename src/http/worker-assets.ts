// The Worker's static files. Workers static assets serve public/ (with public/_headers:
// revalidate, nosniff), but the Worker has no file system to hash the files at start as the
// Node host does. So, once per isolate, it reads the files the pages link through the ASSETS
// binding and hashes them; pages then link /name?v=<hash>. wrangler.toml sends requests for
// those files to the Worker first (run_worker_first), and a request carrying the current hash
// is answered as immutable for a year; any other keeps the revalidating headers.
import type { MiddlewareHandler } from 'hono'
import { LINKED_ASSETS, setAssetVersions } from './assets'

export const IMMUTABLE = 'public, max-age=31536000, immutable'

async function hashOf(body: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body))
  return [...digest.slice(0, 8)].map((byte) => byte.toString(16).padStart(2, '0')).join('')
}

export function serveWorkerAssets(assets: Fetcher): MiddlewareHandler {
  let loading: Promise<Record<string, string>> | undefined
  const versions = (origin: string) =>
    (loading ??= (async () => {
      const entries = await Promise.all(
        LINKED_ASSETS.map(async (name) => {
          const response = await assets.fetch(`${origin}/${name}`)
          if (!response.ok) throw new Error(`static file ${name} answered ${response.status}`)
          return [name, await hashOf(await response.arrayBuffer())] as const
        }),
      )
      const known = Object.fromEntries(entries)
      setAssetVersions(known)
      return known
    })().catch((error: unknown) => {
      // Pages keep linking plain names (revalidated) until a later request manages it.
      loading = undefined
      throw error
    }))

  return async (c, next) => {
    const url = new URL(c.req.url)
    let known: Record<string, string> = {}
    try {
      known = await versions(url.origin)
    } catch {
      // Not fatal: the files are still served, just not as immutable.
    }
    const name = url.pathname.slice(1)
    if (!(LINKED_ASSETS as readonly string[]).includes(name)) return next()
    const response = await assets.fetch(new Request(`${url.origin}/${name}`, { headers: c.req.raw.headers }))
    // Headers of a fetched response are immutable, and the app's middleware adds its own.
    const headers = new Headers(response.headers)
    const version = url.searchParams.get('v')
    if (version && version === known[name] && response.status === 200) headers.set('Cache-Control', IMMUTABLE)
    return new Response(response.body, { status: response.status, headers })
  }
}
