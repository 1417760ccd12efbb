import type { Child } from 'hono/jsx'
import type { SessionUser } from '../src/auth/session'
import { assetHref } from '../src/http/assets'

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

export function Layout(props: {
  title: string
  user?: SessionUser | null
  current?: 'staffs' | 'portal' | 'activity' | 'settings'
  children: Child
}) {
  const { user } = props
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={htmxConfig} />
        <title>{`${props.title} · Staff Portal`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={assetHref('app.css')} />
        <script src={assetHref('htmx.min.js')} defer></script>
        <script src={assetHref('app.js')} defer></script>
      </head>
      <body hx-history="false">
        <a class="skip-link" href="#main">
          Skip to content
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
                {user.role === 'admin' && (
                  <li>
                    <a href="/staff" aria-current={props.current === 'staffs' ? 'true' : undefined}>
                      Staffs
                    </a>
                  </li>
                )}
                {user.role === 'admin' && (
                  <li>
                    <a href="/activity" aria-current={props.current === 'activity' ? 'true' : undefined}>
                      Activity
                    </a>
                  </li>
                )}
                {user.role === 'admin' && (
                  <li>
                    <a href="/settings" aria-current={props.current === 'settings' ? 'true' : undefined}>
                      Practice Settings
                    </a>
                  </li>
                )}
                <li>
                  <a href="/portal" aria-current={props.current === 'portal' ? 'true' : undefined}>
                    My Portal
                  </a>
                </li>
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
                  Log Out
                </button>
              </form>
            </div>
          )}
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
      </body>
    </html>
  )
}
