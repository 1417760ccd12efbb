import { createClient } from '@libsql/client/web'
import { env } from 'cloudflare:test'
import { createDatabase } from '../../src/db'
import type { DeliveredEmail } from '../../src/mailer/dev-mailbox'
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './constants'

/** The Worker's public address (the APP_URL binding of vitest.worker.config.ts). */
export const APP_URL = env.APP_URL

/**
 * The Worker as deployed: requests go through Workers static assets first, then the fetch
 * handler. (SELF calls the fetch handler directly and never sees public/; the pool's own service
 * binding to the current worker goes through the assets router, as Cloudflare's edge does.)
 */
export function front(): Fetcher {
  const binding = (env as unknown as Record<string, Fetcher | undefined>).__VITEST_POOL_WORKERS_SELF_SERVICE
  if (!binding) throw new Error('the pool no longer provides __VITEST_POOL_WORKERS_SELF_SERVICE: see test/worker/support.ts')
  return binding
}

/**
 * A small browser stand-in over the deployed Worker in workerd: it keeps cookies and sends the
 * Origin a same-site form would, so CSRF checks see what a browser sends.
 */
export class WorkerAgent {
  readonly cookies = new Map<string, string>()

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.cookies.size > 0) headers.set('Cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '))
    const response = await front().fetch(`${APP_URL}${path}`, { ...init, headers, redirect: 'manual' })
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';')
      const [name, ...rest] = pair!.split('=')
      const value = rest.join('=')
      if (attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') this.cookies.delete(name!.trim())
      else this.cookies.set(name!.trim(), value)
    }
    return response
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { headers })
  }

  post(path: string, form: Record<string, string> = {}, headers: Record<string, string> = {}) {
    return this.request(path, {
      method: 'POST',
      body: new URLSearchParams(form),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: APP_URL, ...headers },
    })
  }
}

export async function logIn(email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
  const agent = new WorkerAgent()
  const response = await agent.post('/login', { email, password })
  if (response.status !== 303) throw new Error(`login as ${email} failed with ${response.status}: ${await response.text()}`)
  return agent
}

/** The development outbox, newest first, as the Worker serves it. */
export async function outbox(): Promise<DeliveredEmail[]> {
  const response = await front().fetch(`${APP_URL}/dev/outbox.json`)
  if (response.status !== 200) throw new Error(`/dev/outbox.json answered ${response.status}`)
  return response.json()
}

/** Mail to one address, newest first; waits a little for mail sent after the response (waitUntil). */
export async function mailTo(address: string, atLeast = 1): Promise<DeliveredEmail[]> {
  for (let i = 0; ; i++) {
    const mail = (await outbox()).filter((m) => m.to === address)
    if (mail.length >= atLeast || i >= 50) return mail
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** The same database the Worker uses, over the same HTTP protocol, for checks and for setting up old rows. */
export function database() {
  return createDatabase(createClient({ url: env.TURSO_DATABASE_URL, authToken: env.TURSO_AUTH_TOKEN }))
}

export { addStaff, linkIn, pathOf, staffForm } from '../support/staff'
