import type { Context } from 'hono'
import { jsxRenderer } from 'hono/jsx-renderer'
import type { JSX } from 'hono/jsx/jsx-runtime'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { Layout, type Section } from '../../views/layout'
import { MessagePage, type Message } from '../../views/pages/message'
import type { SessionUser } from '../auth/session'
import type { Locale } from '../text/locale'
import { messagesFor, type Messages } from '../text/messages'
import { assetHref, LINKED_ASSETS } from './assets'
import { localeOf } from './locale'

const SECTIONS: [prefix: string, section: Section][] = [
  ['/staff', 'staffs'],
  ['/activity', 'activity'],
  ['/settings', 'settings'],
  ['/portal', 'portal'],
  // One's own Two-Step Sign-In page is part of one's portal.
  ['/account', 'portal'],
]

const sectionOf = (path: string) => SECTIONS.find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`))?.[1]

/**
 * The layout, set once for every page: c.render(page) puts the page in it, with the signed-in
 * user read from the context when the page is rendered and the nav section from the path.
 */
export const pageLayout = jsxRenderer(
  ({ children }, c) => {
    const user = (c.get('user') as SessionUser | null | undefined) ?? null
    const section = sectionOf(c.req.path)
    const lang = pageLocale(c)
    return (
      <Layout
        user={user}
        section={section}
        assets={{
          css: assetHref('app.css'),
          htmx: assetHref('htmx.min.js'),
          js: assetHref('app.js'),
          passkey: usesPasskeys(c.req.path) ? assetHref('passkey.js') : undefined,
        }}
        lang={lang}
        text={messagesFor(lang).layout}
        switchLanguage={user || personKnown(c.req.path) ? undefined : switchLanguageLink(c.req.url, lang)}
      >
        {children}
      </Layout>
    )
  },
  { docType: '<!doctype html>' },
)

// The second step of logging in speaks the person's own language (src/routes/login-second-step.tsx),
// as their pages do once signed in: no switch link there either.
const personKnown = (path: string) => path === '/login/two-step' || path.startsWith('/login/two-step/')

// Only the pages with a passkey form load the passkey script.
const usesPasskeys = (path: string) => path === '/login' || path.startsWith('/login/') || path.startsWith('/account/two-step')

const ADMIN_SECTIONS = new Set<Section>(['staffs', 'activity', 'settings'])

/** The language of the page at this path: admin pages are English for now, whatever the person's language. */
function pageLocale(c: Context): Locale {
  const section = sectionOf(c.req.path)
  return section && ADMIN_SECTIONS.has(section) ? 'en' : localeOf(c)
}

/** The catalog of the page at this path, for words said whatever the page (not found, refused, busy). */
export const pageMessagesOf = (c: Context): Messages => messagesFor(pageLocale(c))

/**
 * This page in the other language (?lang=, src/http/locale.ts): the same path, keeping only the
 * page to return to after logging in. Other query values (an address typed earlier) stay out,
 * so the link never repeats what the page was given.
 */
function switchLanguageLink(requestUrl: string, current: Locale): { href: string; lang: Locale } {
  const url = new URL(requestUrl)
  const other: Locale = current === 'es' ? 'en' : 'es'
  const query = new URLSearchParams()
  const next = url.searchParams.get('next')
  if (next) query.set('next', next)
  query.set('lang', other)
  return { href: `${url.pathname}?${query}`, lang: other }
}

/** htmx asks for fragments; a boosted or plain request wants the whole page. */
export const wantsFragment = (c: Context) => c.req.header('HX-Request') === 'true' && c.req.header('HX-Boosted') !== 'true'

/**
 * Answers with the page in the layout or, for htmx, with the fragment it swaps (the part of the
 * page that changed, and its out-of-band parts): the same components either way, chosen by the
 * HX-Request header. Every page of the app is answered here.
 */
export function render(c: Context, page: JSX.Element, options: { fragment?: JSX.Element; status?: ContentfulStatusCode } = {}) {
  c.status(options.status ?? 200)
  if (options.fragment) {
    c.header('Vary', 'HX-Request')
    if (wantsFragment(c)) return c.html(options.fragment)
  }
  return c.render(page)
}

/** Not found, not allowed, too large: a page that says what happened and where to go. */
export function renderMessage(c: Context, message: Message, status: ContentfulStatusCode) {
  return render(c, <MessagePage {...message} />, { status })
}

// Pages that are the same for everyone who can see them, by key and linked-asset version.
const staticPages = new Map<string, string>()

/**
 * A page that depends on nothing but the asset addresses (no user, no input, e.g. the login
 * page for someone signed out): rendered through the layout the first time, then answered as
 * the same string. The login page is the one page anyone can load as often as they like.
 */
export async function renderStatic(c: Context, key: string, page: () => JSX.Element) {
  const cacheKey = `${key} ${LINKED_ASSETS.map(assetHref).join(' ')}`
  let html = staticPages.get(cacheKey)
  if (html === undefined) {
    html = await (await c.render(page())).text()
    // Asset versions change only when public/ is edited while the host runs: keep the latest.
    for (const old of staticPages.keys()) if (old.startsWith(`${key} `)) staticPages.delete(old)
    staticPages.set(cacheKey, html)
  }
  return c.html(html)
}
