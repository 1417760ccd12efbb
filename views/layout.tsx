import type { Child } from 'hono/jsx'
import type { SessionUser } from '../src/auth/session'
import type { Locale } from '../src/text/locale'
import type { Messages } from '../src/text/messages'

// htmx under a strict CSP: no eval, no injected style tags, no history snapshots of
// personal data in localStorage, and 422 form answers swap in like 200s.
const htmxConfig = JSON.stringify({
  allowEval: false,
  allowScriptTags: false,
  includeIndicatorStyles: false,
  historyCacheSize: 0,
  refreshOnHistoryMiss: true,
  responseHandling: [
    { code: '204', swap: false },
    { code: '[23]..', swap: true },
    { code: '422', swap: true },
    { code: '[45]..', swap: false, error: true },
  ],
})

export type Section = 'staffs' | 'portal' | 'activity' | 'settings'

const NAV: { section: Section; href: string; label: string; adminOnly: boolean }[] = [
  { section: 'staffs', href: '/staff', label: 'Staffs', adminOnly: true },
  { section: 'activity', href: '/activity', label: 'Activity', adminOnly: true },
  { section: 'settings', href: '/settings', label: 'Practice Settings', adminOnly: true },
  { section: 'portal', href: '/portal', label: 'My Portal', adminOnly: false },
]

/** Two minutes before the idle limit public/app.js opens the warning. */
const WARNING_MINUTES = 2

/**
 * Every page's frame, set once by the page renderer (src/http/render.tsx). The page itself
 * brings its <title> (components/page-title.tsx), which Hono moves into the head.
 */
export function Layout(props: {
  user: SessionUser | null
  section?: Section
  /** Where the linked public/ files are, versioned by content when the host knows it. */
  assets: { css: string; htmx: string; js: string; passkey?: string }
  /** The language the page is written in, and the frame's words in it. */
  lang: Locale
  text: Messages['layout']
  /** Signed out: the same page in the other language (the "Español" / "English" link). */
  switchLanguage?: { href: string; lang: Locale }
  children: Child
}) {
  const { user, text } = props
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={htmxConfig} />
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={props.assets.css} />
        <script src={props.assets.htmx} defer></script>
        <script src={props.assets.js} defer></script>
        {/* Passkeys (public/passkey.js), on the pages that have a passkey form. */}
        {props.assets.passkey && <script src={props.assets.passkey} defer></script>}
      </head>
      <body hx-history="false" data-idle-minutes={user ? String(user.sessionIdleMinutes) : undefined}>
        <a class="skip-link" href="#main">
          {text.skipToContent}
        </a>
        <header class="topbar">
          <div class="brand">
            <span class="brand-mark" aria-hidden="true">
              SP
            </span>
            <span>
              <strong>Staff Portal</strong>
              {user && <span class="brand-practice">{user.practiceName}</span>}
            </span>
          </div>
          {user && (
            <nav aria-label="Main">
              <ul class="nav">
                {NAV.filter((item) => !item.adminOnly || user.role === 'admin').map((item) => (
                  <li>
                    <a href={item.href} aria-current={props.section === item.section ? 'true' : undefined}>
                      {item.section === 'portal' ? text.myPortal : item.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {user && (
            <div class="whoami">
              <span>
                {user.firstName} {user.lastName}
              </span>
              <form method="post" action="/logout">
                <button type="submit" class="button button-quiet">
                  {text.logOut}
                </button>
              </form>
            </div>
          )}
          {props.switchLanguage && (
            <a
              class="language-switch"
              href={props.switchLanguage.href}
              lang={props.switchLanguage.lang}
              hreflang={props.switchLanguage.lang}
            >
              {text.switchLanguage}
            </a>
          )}
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        {user && (
          <dialog
            id="session-warning"
            class="card session-warning"
            aria-labelledby="session-warning-title"
            aria-describedby="session-warning-body"
          >
            <h2 id="session-warning-title">{text.sessionWarningTitle}</h2>
            <p id="session-warning-body">{text.sessionWarningBody(WARNING_MINUTES)}</p>
            <form method="post" action="/portal/keep-alive">
              <button type="submit" class="button button-primary" autofocus>
                {text.staySignedIn}
              </button>
            </form>
          </dialog>
        )}
        {/* Confirmations asked over htmx land here as a <dialog> (components/confirmation.tsx). */}
        <div id="dialog-slot"></div>
      </body>
    </html>
  )
}
