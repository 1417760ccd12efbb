// Where to go after logging in again: the page the person was on, and only ever a path of this
// site. Anything that a browser could read as another host (//evil.test, /\evil.test, an
// encoded slash or backslash, a scheme) is refused, never repaired.

const BASE = 'http://return-path.invalid'
const MAX_LENGTH = 512
// Printable ASCII a path and query are made of; no backslash, no control characters, no spaces.
const PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/
// Pages it makes no sense to come back to.
const NEVER = /^\/(login|logout)(\/|\?|$)/

/** A same-site path to return to, or undefined when the value is absent or not safely one. */
export function safeReturnPath(value: string | undefined | null): string | undefined {
  if (!value || value.length > MAX_LENGTH || !PATH.test(value)) return undefined
  if (value.startsWith('//') || /%(2f|5c|00)/i.test(value) || /%25/i.test(value)) return undefined
  let url: URL
  try {
    url = new URL(value, BASE)
  } catch {
    return undefined
  }
  if (url.origin !== BASE) return undefined
  const path = `${url.pathname}${url.search}`
  if (path.startsWith('//') || NEVER.test(path)) return undefined
  return path
}

/** The same-site path of a full URL the browser reported (htmx's HX-Current-URL), if it is on this origin. */
export function pathOfUrl(value: string | undefined, origins: string[]): string | undefined {
  if (!value) return undefined
  try {
    const url = new URL(value)
    return origins.includes(url.origin) ? safeReturnPath(`${url.pathname}${url.search}`) : undefined
  } catch {
    return undefined
  }
}
