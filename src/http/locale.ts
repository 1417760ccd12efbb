import type { MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { isLocale, localeFromAcceptLanguage, type Locale } from '../text/locale'
import { messagesFor, type Messages } from '../text/messages'
import type { AppContext, AppEnv } from './env'

// The language a signed-out browser chose with the "Español" / "English" link. Not a secret;
// __Host- keeps another site on a sibling domain from setting it.
const NAME = 'lang'
const OPTIONS = { prefix: 'host', path: '/', secure: true, httpOnly: true, sameSite: 'Lax', maxAge: 365 * 24 * 60 * 60 } as const

export function setLanguageCookie(c: AppContext, locale: Locale): void {
  setCookie(c, NAME, locale, OPTIONS)
}

/**
 * The language of this request's staff-facing words: the signed-in person's own; signed out,
 * the language just picked with the switch link (?lang=), then the one picked before, then
 * the browser's Accept-Language. Admin pages stay English whatever it says.
 */
export const pickLocale: MiddlewareHandler<AppEnv> = async (c, next) => {
  const user = c.get('user')
  const asked = c.req.query('lang')
  let locale: Locale
  if (user) locale = user.language
  else if (isLocale(asked)) {
    locale = asked
    setLanguageCookie(c, asked)
  } else locale = browserLocale(c)
  c.set('locale', locale)
  await next()
}

/** A signed-out browser's language: the one picked before with the switch link, else Accept-Language. */
function browserLocale(c: AppContext): Locale {
  const chosen = getCookie(c, NAME, 'host')
  return isLocale(chosen) ? chosen : localeFromAcceptLanguage(c.req.header('Accept-Language'))
}

/**
 * The language pickLocale chose; for a request refused before it ran (a CSRF refusal, a body
 * too large), the browser's.
 */
export const localeOf = (c: AppContext): Locale => (c.get('locale') as Locale | undefined) ?? browserLocale(c)

/** The catalog of this request's language, for the route to pass to its view. */
export const messagesOf = (c: AppContext): Messages => messagesFor(localeOf(c))
