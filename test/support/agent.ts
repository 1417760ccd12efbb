import type { App } from '../../src/app'

export const ORIGIN = 'http://localhost'

/**
 * A small browser stand-in over app.request: it keeps cookies between requests and
 * sends the Origin a same-site form would, so CSRF checks see what a real browser sends.
 */
export class Agent {
  readonly cookies = new Map<string, string>()
  constructor(
    private readonly app: App,
    private readonly origin = ORIGIN,
  ) {}

  private cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';')
      const [name, ...rest] = pair!.split('=')
      const value = rest.join('=')
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === ''
      if (expired) this.cookies.delete(name!.trim())
      else this.cookies.set(name!.trim(), value)
    }
    return response
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.cookies.size > 0 && !headers.has('Cookie')) headers.set('Cookie', this.cookieHeader())
    return this.remember(await this.app.request(`${this.origin}${path}`, { ...init, headers }))
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { headers })
  }

  post(path: string, form: Record<string, string> = {}, headers: Record<string, string> = {}) {
    return this.request(path, {
      method: 'POST',
      body: new URLSearchParams(form),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: this.origin, ...headers },
    })
  }

  htmx(path: string, headers: Record<string, string> = {}) {
    return this.get(path, { 'HX-Request': 'true', ...headers })
  }
}
