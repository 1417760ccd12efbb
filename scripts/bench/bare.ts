// The bare equivalent: each measured page done with the least machinery, as the ceiling the
// app is compared with in `npm run bench`. node:http, the same @libsql/client on the same
// database, the same SQL statements (copied from what drizzle sends; the session check's join,
// then one batch), the same session rules, template strings for HTML of the same content and
// size, the app's response headers, and gzip at level 1 from 1 KB as src/http/gzip.ts does.
// What it leaves out is the framework: routing, middleware, a query builder, JSX, Response
// objects. It only reads; anything it does not know answers 404.
import { createHash, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { gzipSync } from 'node:zlib'
import { createClient, type Row } from '@libsql/client'

const SESSION_IDLE_MINUTES = 30
const SESSION_MAX_MS = 12 * 60 * 60 * 1000
const PAGE_SIZE = 25
const RESET_LINK_MAX_DAYS = 7

const client = createClient({ url: process.env.DATABASE_URL ?? 'file:data/app.db' })

// ---------------------------------------------------------------- SQL, as drizzle sends it

const SESSION_SQL =
  'select "sessions"."id", "sessions"."secret_hash", "sessions"."created_at", "sessions"."last_seen_at", "sessions"."two_step_setup", "accounts"."id", "accounts"."disabled_at", "accounts"."email", "staff"."id", "staff"."is_active", "staff"."role", "staff"."first_name", "staff"."last_name", "staff"."language", "practices"."id", "practices"."name", "practices"."time_zone", "practices"."session_idle_minutes" from "sessions" inner join "accounts" on "accounts"."id" = "sessions"."account_id" inner join "staff" on "staff"."id" = "accounts"."staff_id" inner join "practices" on "practices"."id" = "staff"."practice_id" where "sessions"."id" = ?'

const LIST_COLUMNS =
  'select "staff"."id", "staff"."first_name", "staff"."last_name", "staff"."credentials", "staff"."is_active", (select "staff_emails"."email" from "staff_emails" where "staff_emails"."staff_id" = "staff"."id" and "staff_emails"."is_primary" = 1), "accounts"."id", exists (select 1 from "invitations" where ("invitations"."staff_id" = "staff"."id" and ("invitations"."used_at" is null and "invitations"."revoked_at" is null and "invitations"."replaced_at" is null and "invitations"."expires_at" > ?))) from "staff" left join "accounts" on "accounts"."staff_id" = "staff"."id" where '
const ORDER = ' order by "staff"."last_name" collate nocase, "staff"."first_name" collate nocase, "staff"."id" asc'
const LIST_ORDER = `${ORDER} limit ?`
const IN_PRACTICE = '"staff"."practice_id" = ?'
const SEARCH =
  '(("staff"."practice_id" = ? and ("staff"."first_name" collate nocase >= ? and "staff"."first_name" collate nocase < ?)) or ("staff"."practice_id" = ? and ("staff"."last_name" collate nocase >= ? and "staff"."last_name" collate nocase < ?)) or ("staff"."practice_id" = ? and ("staff"."credentials" collate nocase >= ? and "staff"."credentials" collate nocase < ?)) or "staff"."id" in (select "staff_emails"."staff_id" from "staff_emails" where "staff_emails"."practice_id" = ? and ("staff_emails"."email" >= ? and "staff_emails"."email" < ?)))'

// The full page's Onboarding summary (src/staff/onboarding.ts): each active profile's kind,
// counted per kind. Args as the app binds them: the kinds' numbers, now, practice id, 1.
const ONBOARDING_SQL = `select case when exists (select 1 from "accounts" where "accounts"."staff_id" = "staff"."id") then ?
    when exists (select 1 from "invitations" where ("invitations"."staff_id" = "staff"."id" and ("invitations"."used_at" is null and "invitations"."revoked_at" is null and "invitations"."replaced_at" is null and "invitations"."expires_at" > ?))) then (case when exists (select 1 from "invitations" join "email_outbox" on "email_outbox"."ref_id" = "invitations"."id"
    where ("invitations"."staff_id" = "staff"."id" and ("invitations"."used_at" is null and "invitations"."revoked_at" is null and "invitations"."replaced_at" is null and "invitations"."expires_at" > ?)) and "email_outbox"."status" = 'failed') then ? else ? end)
    when exists (select 1 from "invitations" where "invitations"."staff_id" = "staff"."id"
    and "invitations"."used_at" is null and "invitations"."revoked_at" is null and "invitations"."replaced_at" is null
    and "invitations"."expires_at" <= ?) then ? else ? end as "kind", count(*) from "staff" where ("staff"."practice_id" = ? and "staff"."is_active" = ?) group by kind`
const ONBOARDING_ARGS = (now: number, practiceId: string) => [1, now, now, 3, 2, now, 4, 0, practiceId, 1]

// The Staff Portal tab (src/profile/staff-profile.ts), in the order the app batches them.
const PROFILE_SQL = [
  'select "id", "practice_id", "first_name", "last_name", "credentials", "phone", "is_active", "role", "language", "created_at", "updated_at" from "staff" where ("staff"."id" = ? and "staff"."practice_id" = ?)',
  'select "id", "practice_id", "staff_id", "email", "is_primary", "position" from "staff_emails" where ("staff_emails"."staff_id" = ? and "staff_emails"."practice_id" = ?) order by "staff_emails"."position" asc',
  'select "id", "email", "created_at", "last_login_at", "disabled_at" from "accounts" where ("accounts"."staff_id" = ? and "accounts"."practice_id" = ?)',
  'select "invitations"."id", "invitations"."secret_hash", "invitations"."practice_id", "invitations"."staff_id", "invitations"."email", "invitations"."invited_by_account_id", "invitations"."created_at", "invitations"."expires_at", "invitations"."used_at", "invitations"."revoked_at", "invitations"."revoked_reason", "invitations"."replaced_at", "invitations"."batch_id", "inviter"."first_name", "inviter"."last_name", (select status from "email_outbox" where "email_outbox"."ref_id" = "invitations"."id" order by "email_outbox"."created_at" desc limit 1), (select last_error from "email_outbox" where "email_outbox"."ref_id" = "invitations"."id" order by "email_outbox"."created_at" desc limit 1) from "invitations" left join "accounts" on "accounts"."id" = "invitations"."invited_by_account_id" left join "staff" "inviter" on "inviter"."id" = "accounts"."staff_id" where ("invitations"."staff_id" = ? and "invitations"."practice_id" = ?) order by "invitations"."created_at" desc limit ?',
  'select "password_reset_links"."id", "password_reset_links"."created_at", "password_reset_links"."expires_at" from "password_reset_links" inner join "accounts" on "accounts"."id" = "password_reset_links"."account_id" where ("accounts"."staff_id" = ? and "password_reset_links"."practice_id" = ? and ("password_reset_links"."used_at" is null and "password_reset_links"."revoked_at" is null and "password_reset_links"."replaced_at" is null and "password_reset_links"."expires_at" > ?)) order by "password_reset_links"."created_at" desc limit ?',
  'select "failures" from "login_failures" where "login_failures"."account_id" in (select "id" from "accounts" where ("accounts"."staff_id" = ? and "accounts"."practice_id" = ?))',
  'select count(*) from "sessions" where ("sessions"."account_id" in (select "id" from "accounts" where ("accounts"."staff_id" = ? and "accounts"."practice_id" = ?)) and "sessions"."last_seen_at" > ? - 60000 * coalesce((select "practices"."session_idle_minutes" from "practices" where "practices"."id" = ?), ?))',
  'select "audit_events"."id", "audit_events"."event", "audit_events"."created_at", "audit_events"."ip", "audit_events"."detail", "actor_staff"."first_name", "actor_staff"."last_name", "audit_events"."target_staff_id", "target_staff"."first_name", "target_staff"."last_name" from "audit_events" left join "accounts" on "accounts"."id" = "audit_events"."actor_account_id" left join "staff" "actor_staff" on "actor_staff"."id" = "accounts"."staff_id" left join "staff" "target_staff" on "target_staff"."id" = "audit_events"."target_staff_id" where ("audit_events"."practice_id" = ? and "audit_events"."target_staff_id" = ?) order by "audit_events"."created_at" desc, "audit_events"."id" desc limit ?',
  'select "new_email", "created_at", "expires_at" from "login_email_changes" where ("login_email_changes"."account_id" in (select "id" from "accounts" where ("accounts"."staff_id" = ? and "accounts"."practice_id" = ?)) and "login_email_changes"."practice_id" = ? and "login_email_changes"."used_at" is null and "login_email_changes"."replaced_at" is null and "login_email_changes"."expires_at" > ?) order by "login_email_changes"."created_at" desc limit ?',
  'select "status" from "totp_factors" where ("totp_factors"."account_id" in (select "id" from "accounts" where ("accounts"."staff_id" = ? and "accounts"."practice_id" = ?)) and "totp_factors"."status" = ?)',
  'select "name" from "passkeys" where "passkeys"."account_id" in (select "id" from "accounts" where ("accounts"."staff_id" = ? and "accounts"."practice_id" = ?)) order by "passkeys"."created_at" asc',
  'select count(*) from "recovery_codes" where ("recovery_codes"."account_id" in (select "id" from "accounts" where ("accounts"."staff_id" = ? and "accounts"."practice_id" = ?)) and "recovery_codes"."used_at" is null)',
]

const OWN_SQL = [
  'select "first_name", "last_name", "credentials", "phone", "language" from "staff" where ("staff"."id" = ? and "staff"."practice_id" = ?)',
  'select "email", "is_primary" from "staff_emails" where ("staff_emails"."staff_id" = ? and "staff_emails"."practice_id" = ?) order by "staff_emails"."position" asc',
  'select "id", "ip", "user_agent", "created_at", "last_seen_at" from "sessions" where ("sessions"."account_id" = ? and "sessions"."last_seen_at" > ? - 60000 * coalesce((select "practices"."session_idle_minutes" from "practices" where "practices"."id" = ?), ?)) order by "sessions"."last_seen_at" desc',
]

// ---------------------------------------------------------------- HTTP

const HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Frame-Options': 'DENY',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
  'Cache-Control': 'no-store',
  'Content-Type': 'text/html; charset=UTF-8',
}

function send(req: IncomingMessage, res: ServerResponse, status: number, html: string, vary?: string) {
  let body = Buffer.from(html)
  const headers: Record<string, string | number> = { ...HEADERS }
  const gzip = body.length >= 1024 && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')
  if (gzip) {
    body = gzipSync(body, { level: 1 })
    headers['Content-Encoding'] = 'gzip'
  }
  if (vary || body.length >= 1024) headers.Vary = [vary, 'Accept-Encoding'].filter(Boolean).join(', ')
  headers['Content-Length'] = body.length
  res.writeHead(status, headers).end(body)
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const esc = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (ch) => ESCAPES[ch]!)

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>()
function formatDateTime(ms: unknown, timeZone: string) {
  let format = dateTimeFormats.get(timeZone)
  if (!format)
    dateTimeFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone })))
  return format.format(new Date(Number(ms)))
}
const dateFormats = new Map<string, Intl.DateTimeFormat>()
function formatDay(ms: number, timeZone: string) {
  let format = dateFormats.get(timeZone)
  if (!format) dateFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone })))
  return format.format(new Date(ms))
}
const dayFormats = new Map<string, Intl.DateTimeFormat>()
function isoDay(ms: number, timeZone: string) {
  let format = dayFormats.get(timeZone)
  if (!format) dayFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone })))
  return format.format(new Date(ms))
}

// ---------------------------------------------------------------- session

interface User {
  sessionId: string
  accountId: string
  email: string
  staffId: string
  role: string
  firstName: string
  lastName: string
  practiceId: string
  practiceName: string
  timeZone: string
  idleMinutes: number
}

const TOKEN = /(?:^|;\s*)__Host-session=([a-z2-7]{16})\.([a-z2-7]{39})(?:;|$)/

async function userOf(req: IncomingMessage): Promise<User | null> {
  const match = TOKEN.exec(req.headers.cookie ?? '')
  if (!match) return null
  const { rows } = await client.execute({ sql: SESSION_SQL, args: [match[1]!] })
  const row = rows[0]
  if (!row) return null
  const hash = createHash('sha256').update(match[2]!).digest()
  if (!timingSafeEqual(hash, Buffer.from(String(row[1]), 'hex'))) return null
  const now = Date.now()
  // The practice's own idle limit (Sign Out After), held to 5–60 minutes as the app does.
  const idleMinutes = Math.min(60, Math.max(5, Math.trunc(Number(row[17])) || SESSION_IDLE_MINUTES))
  if (now - Number(row[3]) >= idleMinutes * 60_000 || now - Number(row[2]) >= SESSION_MAX_MS || row[6] !== null || !row[9]) return null
  // A session that must first set up two-step sign-in opens only those pages.
  if (row[4]) return null
  return {
    sessionId: String(row[0]),
    accountId: String(row[5]),
    email: String(row[7]),
    staffId: String(row[8]),
    role: String(row[10]),
    firstName: String(row[11]),
    lastName: String(row[12]),
    practiceId: String(row[14]),
    practiceName: String(row[15]),
    timeZone: String(row[16]),
    idleMinutes,
  }
}

// ---------------------------------------------------------------- pages

const HTMX_CONFIG =
  '{&quot;allowEval&quot;:false,&quot;allowScriptTags&quot;:false,&quot;includeIndicatorStyles&quot;:false,&quot;historyCacheSize&quot;:0,&quot;refreshOnHistoryMiss&quot;:true,&quot;responseHandling&quot;:[{&quot;code&quot;:&quot;204&quot;,&quot;swap&quot;:false},{&quot;code&quot;:&quot;[23]..&quot;,&quot;swap&quot;:true},{&quot;code&quot;:&quot;422&quot;,&quot;swap&quot;:true},{&quot;code&quot;:&quot;[45]..&quot;,&quot;swap&quot;:false,&quot;error&quot;:true}]}'

const SESSION_WARNING =
  '<dialog id="session-warning" class="card session-warning" aria-labelledby="session-warning-title" aria-describedby="session-warning-body"><h2 id="session-warning-title">Still there?</h2><p id="session-warning-body">For your security you will be signed out in 2 minutes without activity. Anything you have not saved would be lost.</p><form method="post" action="/portal/keep-alive"><button type="submit" class="button button-primary" autofocus="">Stay Signed In</button></form></dialog>'

function layout(title: string, main: string, user: User | null, current?: string, scripts = '') {
  const header = !user
    ? `<header class="topbar"><div class="brand"><span class="brand-mark" aria-hidden="true">SP</span><span><strong>Staff Portal</strong></span></div><a class="language-switch" href="/login?lang=es" lang="es" hreflang="es">Español</a></header>`
    : `<header class="topbar"><div class="brand"><span class="brand-mark" aria-hidden="true">SP</span><span><strong>Staff Portal</strong><span class="brand-practice">${esc(user.practiceName)}</span></span></div><nav aria-label="Main"><ul class="nav">${(user.role ===
      'admin'
        ? [
            ['/staff', 'Staffs'],
            ['/activity', 'Activity'],
            ['/settings', 'Practice Settings'],
            ['/portal', 'My Portal'],
          ]
        : [['/portal', 'My Portal']]
      )
        .map(([href, label]) => `<li><a href="${href}"${href === current ? ' aria-current="true"' : ''}>${label}</a></li>`)
        .join(
          '',
        )}</ul></nav><div class="whoami"><span>${esc(user.firstName)} ${esc(user.lastName)}</span><form method="post" action="/logout"><button type="submit" class="button button-quiet">Log Out</button></form></div></header>`
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><meta name="htmx-config" content="${HTMX_CONFIG}"/><link rel="icon" href="data:,"/><link rel="stylesheet" href="/app.css?v=0123456789abcdef"/><script src="/htmx.min.js?v=0123456789abcdef" defer=""></script><script src="/app.js?v=0123456789abcdef" defer=""></script>${scripts}<title>${esc(title)} · Staff Portal</title></head><body hx-history="false"${user ? ` data-idle-minutes="${user.idleMinutes}"` : ''}><a class="skip-link" href="#main">Skip to content</a>${header}<main id="main" tabindex="-1">${main}</main>${user ? SESSION_WARNING : ''}<div id="dialog-slot"></div></body></html>`
}

const LOGIN_SCRIPTS = '<script src="/passkey.js?v=0123456789abcdef" defer=""></script>'
const LOGIN_MAIN =
  '<section class="card narrow"><h1>Log in to Staff Portal</h1><form method="post" action="/login" class="stack" novalidate=""><div class="field"><label for="field-email">Email</label><input id="field-email" name="email" type="email" autocomplete="username" required="" maxlength="254" autofocus=""/></div><div class="field"><label for="field-password">Password</label><div class="password-input"><input id="field-password" name="password" type="password" autocomplete="current-password" required="" maxlength="1024"/><button type="button" class="button button-quiet password-toggle" aria-controls="field-password" aria-pressed="false" data-label-show="Show Password" data-label-hide="Hide Password" hidden="">Show Password</button></div></div><button type="submit" class="button button-primary">Log In</button></form><p class="below-form"><a href="/forgot-password">Forgot Password</a></p><form method="post" action="/login/passkey" class="stack below-form" data-passkey="get" data-options="/login/passkey/options" data-webauthn="true" data-say-prompt="Follow your browser’s prompt to use your passkey…" data-say-failed="The passkey was not used. You can try again." hidden=""><input type="hidden" name="passkeyResponse" value=""/><p class="passkey-status" role="status" aria-live="polite"></p><button type="submit" class="button">Log In with a Passkey</button></form></section>'

const BADGES: Record<string, string> = { 'Signed up': 'success', 'Signup initiated': 'pending', 'Yet to sign up': 'neutral' }
const badge = (status: string, id = '') => `<span class="badge badge-${BADGES[status]}"${id ? ` id="${id}"` : ''}>${status}</span>`

/** The same bounds as src/staff/staff-search.ts for an ASCII query. */
function upperBound(prefix: string, nocase: boolean) {
  let next = prefix.charCodeAt(prefix.length - 1) + 1
  if (nocase && next >= 0x41 && next <= 0x5a) next = 0x5b
  return prefix.slice(0, -1) + String.fromCharCode(next)
}

async function staffList(req: IncomingMessage, res: ServerResponse, user: User, url: URL) {
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 100)
  const page = Math.max(1, Number(url.searchParams.get('page')) || 1)
  if (page !== 1 || /[^\x20-\x7e]| /.test(q)) return send(req, res, 404, 'not in the bare equivalent')
  const prefix = q.toLowerCase()
  const where = q === '' ? IN_PRACTICE : SEARCH
  const whereArgs =
    q === ''
      ? [user.practiceId]
      : [
          user.practiceId,
          prefix,
          upperBound(prefix, true),
          user.practiceId,
          prefix,
          upperBound(prefix, true),
          user.practiceId,
          prefix,
          upperBound(prefix, true),
          user.practiceId,
          prefix,
          upperBound(prefix, false),
        ]
  // As the app: a search selects the page's 25 ids first, then their columns.
  const rowsSql =
    q === ''
      ? LIST_COLUMNS + where + LIST_ORDER
      : `${LIST_COLUMNS}"staff"."id" in (select "id" from "staff" where ${where}${LIST_ORDER})${ORDER}`
  const fullPage = req.headers['hx-request'] !== 'true'
  const [rows, count, onboarding] = await client.batch([
    { sql: rowsSql, args: [Date.now(), ...whereArgs, PAGE_SIZE] },
    { sql: `select count(*) from "staff" where ${where}`, args: whereArgs },
    // As the app: the summary only on the whole page (Search as you type does not recount).
    ...(fullPage ? [{ sql: ONBOARDING_SQL, args: ONBOARDING_ARGS(Date.now(), user.practiceId) }] : []),
  ])
  const total = Number(count!.rows[0]![0])
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
  const query = q ? `q=${encodeURIComponent(q)}&amp;` : ''
  const list = rows!.rows
  const body = list
    .map((r: Row) => {
      const status = r[6] !== null ? 'Signed up' : r[7] ? 'Signup initiated' : 'Yet to sign up'
      return `<tr><td class="select-cell"><input type="checkbox" name="staffId" value="${esc(r[0])}" form="bulk-invite" aria-label="${esc(r[1])} ${esc(r[2])}"/></td><th scope="row"><a href="/staff/${esc(r[0])}">${esc(r[2])}, ${esc(r[1])}</a>${r[4] ? '' : '<span class="badge badge-muted">Inactive</span>'}</th><td data-label="Credentials">${r[3] ? esc(r[3]) : '<span class="muted">—</span>'}</td><td data-label="Primary email" class="cell-email">${r[5] === null ? '<span class="muted">—</span>' : esc(r[5])}</td><td data-label="Portal status">${badge(status)}</td></tr>`
    })
    .join('')
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${esc(value)}"/>`
  const bulk =
    list.length === 0
      ? ''
      : `<div class="bulk-bar"><form id="bulk-invite" method="post" action="/staff/invitations" hx-post="/staff/invitations" hx-target="#bulk-outcome" hx-swap="outerHTML">${hidden('q', q)}${hidden('status', '')}${hidden('mode', 'invite')}${list.map((r) => hidden('pageStaffId', String(r[0]))).join('')}${total > list.length ? `<label class="check-line"><input type="checkbox" name="scope" value="matching" data-select-matching=""/>Select all ${total.toLocaleString('en-US')} matching</label>` : ''}<button type="submit" class="button">Invite Selected</button></form><form method="post" action="/staff/invitations" hx-post="/staff/invitations" hx-target="#bulk-outcome" hx-swap="outerHTML">${hidden('scope', 'matching')}${hidden('q', q)}${hidden('status', '')}${hidden('mode', 'resend')}<button type="submit" class="button button-quiet">Resend to all pending or expired</button></form></div>`
  const pager =
    pages > 1
      ? `<nav class="pager" aria-label="Pages"><span class="muted">Previous</span><span>Page 1 of ${pages}</span><a href="/staff?${query}page=2" hx-get="/staff?${query}page=2" hx-target="#staff-results" hx-swap="outerHTML" hx-push-url="true" rel="next">Next</a></nav>`
      : ''
  const table =
    list.length === 0
      ? ''
      : `<div class="table-scroll"><table class="table table-stack table-select"><caption class="visually-hidden">Staff members, sorted by last name</caption><thead><tr><th scope="col" class="select-cell"><label class="select-all"><input type="checkbox" name="scope" value="page" form="bulk-invite" data-select-all=""/><span>Select All</span></label></th><th scope="col">Name</th><th scope="col">Credentials</th><th scope="col">Primary email</th><th scope="col">Portal status</th></tr></thead><tbody>${body}</tbody></table></div>`
  const results = `<div id="staff-results">${bulk}${table}${pager}</div>`
  const counted =
    total === 0
      ? q
        ? `No staff matching “${esc(q)}”.`
        : 'No staff yet.'
      : `${total.toLocaleString('en-US')} staff member${total === 1 ? '' : 's'}${q ? ` matching “${esc(q)}”` : ''}`
  if (req.headers['hx-request'] === 'true')
    return send(
      req,
      res,
      200,
      `${results}<p class="results-count" id="results-count" role="status" hx-swap-oob="true">${counted}</p>`,
      'HX-Request',
    )
  const kinds = new Map((onboarding?.rows ?? []).map((r: Row) => [Number(r[0]), Number(r[1])]))
  const n = (kind: number) => kinds.get(kind) ?? 0
  const counts = {
    'signed-up': n(1),
    'signup-initiated': n(2) + n(3),
    'email-not-delivered': n(3),
    'invitation-expired': n(4),
    'yet-to-sign-up': n(0) + n(4),
  }
  const segments = [
    ['signed-up', 'Signed up', 'seg-success', counts['signed-up']],
    ['signup-initiated', 'Signup initiated', 'seg-pending', counts['signup-initiated'] - counts['email-not-delivered']],
    ['email-not-delivered', 'Email not delivered', 'seg-error', counts['email-not-delivered']],
    ['invitation-expired', 'Invitation expired', 'seg-warning', counts['invitation-expired']],
    ['yet-to-sign-up', 'Yet to sign up', 'seg-neutral', counts['yet-to-sign-up'] - counts['invitation-expired']],
  ] as const
  const summary = segments
    .map(
      ([status, label, tone]) =>
        `<li><span class="swatch ${tone}" aria-hidden="true"></span><a href="/staff?status=${status}">${label}: <strong>${counts[status].toLocaleString('en-US')}</strong></a></li>`,
    )
    .join('')
  const whole = segments.reduce((sum, segment) => sum + Math.max(0, segment[3]), 0)
  let x = 0
  const bar =
    whole === 0
      ? ''
      : `<svg class="onboarding-bar" viewBox="0 0 1000 24" preserveAspectRatio="none" aria-hidden="true" focusable="false">${segments
          .filter((segment) => segment[3] > 0)
          .map(([status, label, tone, value]) => {
            const width = (value / whole) * 1000
            const part = `<a href="/staff?status=${status}" tabindex="-1"><title>${label}: ${counts[status]}</title><rect class="${tone}" x="${x.toFixed(2)}" y="0" width="${width.toFixed(2)}" height="24"></rect></a>`
            x += width
            return part
          })
          .join('')}</svg>`
  const statusOptions = [
    ['', 'Any status'],
    ['yet-to-sign-up', 'Yet to sign up'],
    ['signup-initiated', 'Signup initiated'],
    ['signed-up', 'Signed up'],
    ['invitation-expired', 'Invitation expired'],
    ['email-not-delivered', 'Email not delivered'],
    ['access-disabled', 'Access disabled'],
    ['inactive', 'Inactive'],
  ]
    .map(([value, label]) => `<option value="${value}"${value === '' ? ' selected=""' : ''}>${label}</option>`)
    .join('')
  const main = `<div class="page-head"><h1>Staffs</h1><div class="actions"><a class="button" href="/staff/export.csv" download="">Export CSV</a><a class="button" href="/staff/import">Import Staff</a><a class="button button-primary" href="/staff/new">Add Staff</a></div></div><section class="onboarding" aria-labelledby="onboarding-heading"><h2 id="onboarding-heading">Onboarding</h2><ul class="onboarding-counts">${summary}</ul>${bar}</section><form method="get" action="/staff" class="search" role="search"><div class="field-inline"><label for="staff-search">Search</label><input id="staff-search" type="search" name="q" value="${esc(q)}" maxlength="100" placeholder="Name, credentials or email" autocomplete="off" hx-get="/staff" hx-trigger="input changed delay:250ms, search" hx-include="closest form" hx-target="#staff-results" hx-swap="outerHTML" hx-push-url="true" hx-sync="this:replace"/></div><div class="field-inline"><label for="staff-status">Status</label><select id="staff-status" name="status" hx-get="/staff" hx-trigger="change" hx-include="closest form" hx-target="#staff-results" hx-swap="outerHTML" hx-push-url="true">${statusOptions}</select></div><button type="submit" class="button">Find</button></form><div id="bulk-outcome" role="alert"></div><p class="results-count" id="results-count" role="status">${counted}</p>${results}`
  send(req, res, 200, layout('Staffs', main, user, '/staff'), 'HX-Request')
}

const INVITATION_END: Record<string, string> = {
  used: 'Account created',
  revoked: 'Revoked',
  replaced: 'Replaced by a newer invitation',
  expired: 'Expired',
  pending: 'Pending',
}
const EVENTS: Record<string, string> = {
  'staff.created': 'Profile created',
  'staff.updated': 'Profile updated',
  'invitation.sent': 'Invitation sent',
  'invitation.resent': 'Invitation sent again',
  'account.created': 'Account created',
  'login.succeeded': 'Logged in',
  'login.failed': 'Login failed',
}

async function portalTab(req: IncomingMessage, res: ServerResponse, user: User, staffId: string) {
  const now = Date.now()
  const scope = [staffId, user.practiceId]
  const [member, emails, account, invitations, resetLink, failures, sessions, activity, loginEmailChange, totp, passkeys, recoveryCodes] =
    await client.batch([
      { sql: PROFILE_SQL[0]!, args: scope },
      { sql: PROFILE_SQL[1]!, args: scope },
      { sql: PROFILE_SQL[2]!, args: scope },
      { sql: PROFILE_SQL[3]!, args: [...scope, 20] },
      { sql: PROFILE_SQL[4]!, args: [...scope, now, 1] },
      { sql: PROFILE_SQL[5]!, args: scope },
      { sql: PROFILE_SQL[6]!, args: [...scope, now, user.practiceId, SESSION_IDLE_MINUTES] },
      { sql: PROFILE_SQL[7]!, args: [user.practiceId, staffId, 15] },
      { sql: PROFILE_SQL[8]!, args: [...scope, user.practiceId, now, 1] },
      { sql: PROFILE_SQL[9]!, args: [...scope, 'enabled'] },
      { sql: PROFILE_SQL[10]!, args: scope },
      { sql: PROFILE_SQL[11]!, args: scope },
    ])
  const m = member!.rows[0]
  if (!m) return send(req, res, 404, layout('Staff member not found', '<p>There is no such staff member in your practice.</p>', user))
  const tz = user.timeZone
  const a = account!.rows[0]
  const name = `${esc(m[2])} ${esc(m[3])}`
  const history = invitations!.rows.map((i) => {
    const state = i[8] ? 'used' : i[9] ? 'revoked' : i[11] ? 'replaced' : Number(i[7]) <= now ? 'expired' : 'pending'
    return { i, state }
  })
  const pending = history.find((h) => h.state === 'pending')
  const status = a ? 'Signed up' : pending ? 'Signup initiated' : 'Yet to sign up'
  const action = `/staff/${esc(staffId)}/portal`
  const swap = `hx-target="#portal-panel" hx-swap="outerHTML"`
  const post = (path: string, inner: string, attributes = '') =>
    `<form method="post" action="${action}${path}" hx-post="${action}${path}" ${swap}${attributes}>${inner}</form>`
  const accessForm = (value: string, label: string, tone = '') =>
    post(
      '/access',
      `<input type="hidden" name="action" value="${value}"/><button type="submit" class="button ${tone}" id="access-${value}">${label}</button>`,
    )
  const today = isoDay(now, tz)
  const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10)
  let accountPart = ''
  if (a) {
    const activeSessions = Number(sessions!.rows[0]![0])
    const failed = Number(failures!.rows[0]?.[0] ?? 0)
    const names = passkeys!.rows.map((p) => esc(p[0]))
    const app = totp!.rows.length > 0
    const on = app || names.length > 0
    const twoStep = `<h4 id="two-step-heading">Two-step sign-in</h4><dl class="details" aria-labelledby="two-step-heading"><dt>Status</dt><dd>${on ? 'On' : 'Off'}</dd>${on ? `<dt>Authenticator app</dt><dd>${app ? 'On' : 'None'}</dd><dt>Passkeys</dt><dd>${names.length === 0 ? 'None' : names.join(', ')}</dd><dt>Recovery codes left</dt><dd>${Number(recoveryCodes!.rows[0]![0])} of 10</dd>` : ''}</dl>${on ? `<div class="actions">${post('/two-step/reset', '<button type="submit" class="button button-danger">Reset Two-Step Sign-In</button>')}</div>` : ''}`
    const controls = `<section aria-labelledby="access-heading" class="subsection"><h3 id="access-heading">Account</h3><dl class="details"><dt>Portal access</dt><dd>${a[4] === null ? 'Enabled' : `<strong class="text-error">Disabled ${formatDateTime(a[4], tz)}</strong>`}</dd><dt>Last login</dt><dd>${a[3] === null ? 'Never' : formatDateTime(a[3], tz)}</dd><dt>Signed in on</dt><dd>${activeSessions === 0 ? 'No devices' : `${activeSessions} device${activeSessions === 1 ? '' : 's'}`}</dd>${failed > 0 ? `<dt>Failed logins</dt><dd>${failed} in a row</dd>` : ''}</dl><div class="actions">${a[4] === null ? accessForm('disable', 'Disable Portal Access', 'button-danger') : accessForm('enable', 'Enable Portal Access', 'button-primary')}${activeSessions > 0 ? accessForm('end-sessions', 'Sign Out Everywhere') : ''}</div>${twoStep}</section>`
    const change = loginEmailChange!.rows[0]
    const loginEmail = `<section aria-labelledby="login-email-heading" class="subsection"><h3 id="login-email-heading">Login email</h3><dl class="details"><dt>Login email</dt><dd>${esc(a[1])}</dd></dl>${emails!.rows.some((e) => e[3] === a[1]) ? '' : '<p class="callout" id="login-email-off-file">This login email is no longer among the addresses on file. They still log in with it. To change it, use Change Login Email.</p>'}${change ? `<p class="callout">A verification link was sent to <strong>${esc(change[0])}</strong> on ${formatDateTime(change[1], tz)}; it works until ${formatDateTime(change[2], tz)}. The login email changes when they follow it.</p>` : ''}${post('/login-email', '<fieldset><legend>Change Login Email</legend><div class="field"><label for="field-newEmail">New Login Email</label><p class="field-hint" id="field-newEmail-hint">We email a link to this address. The login changes only when they follow it, and the current address is told.</p><input id="field-newEmail" name="newEmail" type="email" autocomplete="off" maxlength="254" aria-describedby="field-newEmail-hint"/></div><button type="submit" class="button" id="send-login-email-verification">Send Verification</button></fieldset>', ' class="inline-form" novalidate=""')}</section>`
    const live = resetLink!.rows[0]
    const reset = `<section aria-labelledby="reset-heading" class="subsection"><h3 id="reset-heading">Password reset link</h3><p class="field-hint section-intro">If they cannot get back in, give them a link to set a new password. You never see or set their password.</p>${post('/reset-links', `<div class="field"><label for="field-expirationDate">Expiration Date</label><p class="field-hint" id="field-expirationDate-hint">The link works until the end of this day, practice time.</p><input id="field-expirationDate" name="expirationDate" type="date" min="${today}" max="${day(RESET_LINK_MAX_DAYS)}" value="${day(1)}" required="" aria-describedby="field-expirationDate-hint"/></div><button type="submit" class="button button-primary" id="generate-link">Generate Link</button>`, ' class="inline-form"')}${live ? `<div class="callout"><p>A reset link made ${formatDateTime(live[1], tz)} works through the end of ${formatDay(Number(live[2]) - 1, tz)}. Generate a new one to see or send it again.</p></div>${post(`/reset-links/${esc(live[0])}/revoke`, '<button type="submit" class="button button-danger" id="revoke-link">Revoke</button>')}` : ''}</section>`
    accountPart = `<p>Account created ${formatDateTime(a[2], tz)} for <strong>${esc(a[1])}</strong>.${a[3] === null ? '' : ` Last login ${formatDateTime(a[3], tz)}.`}</p>${controls}${loginEmail}${reset}`
  } else if (pending) {
    const i = pending.i
    const base = `/invitations/${esc(i[0])}`
    accountPart = `<div class="callout"><p>Invitation sent to <strong>${esc(i[4])}</strong> on ${formatDateTime(i[6], tz)}; the link expires ${formatDateTime(i[7], tz)}.</p><div class="actions">${post('/invitations', `<input type="hidden" name="email" value="${esc(i[4])}"/><button type="submit" class="button" id="resend-invitation">Resend</button>`)}${post(`${base}/revoke`, '<button type="submit" class="button button-danger" id="revoke-invitation">Revoke</button>')}</div></div>`
  } else {
    accountPart = post(
      '/invitations',
      `<fieldset><legend>Send the invitation to</legend>${emails!.rows
        .map(
          (e, n) =>
            `<label class="radio-line"><input type="radio" name="email" value="${esc(e[3])}"${n === 0 ? ' checked=""' : ''}/>${esc(e[3])}${e[4] ? '<span class="badge badge-muted">Primary</span>' : ''}</label>`,
        )
        .join('')}</fieldset><button type="submit" class="button button-primary" id="send-invitation">Send Invitation</button>`,
      ' class="stack"',
    )
  }
  const emailList = emails!.rows
    .map((e) => `<li>${esc(e[3])} ${e[4] ? '<span class="badge badge-muted">Primary</span>' : ''}</li>`)
    .join('')
  const historyRows = history
    .map(
      ({ i, state }) =>
        `<tr><td class="cell-key">${formatDateTime(i[6], tz)}</td><td data-label="To" class="cell-email">${esc(i[4])}</td><td data-label="By">${i[13] === null ? '—' : `${esc(i[13])} ${esc(i[14])}`}</td><td data-label="Email">${i[15] === 'failed' ? 'Not delivered' : i[15] === 'sent' ? 'Delivered' : 'Queued'}</td><td data-label="Link">${INVITATION_END[state]}</td></tr>`,
    )
    .join('')
  const activityRows = activity!.rows
    .map(
      (e) =>
        `<tr><td class="cell-key">${formatDateTime(e[2], tz)}</td><td data-label="What">${EVENTS[String(e[1])] ?? esc(e[1])}${e[4] ? `<span class="muted"> (${esc(e[4])})</span>` : ''}</td><td data-label="By">${e[5] === null ? '—' : `${esc(e[5])} ${esc(e[6])}`}</td><td data-label="From">${e[3] ? esc(e[3]) : '—'}</td></tr>`,
    )
    .join('')
  const main = `<p class="breadcrumb"><a href="/staff">Staffs</a></p><div class="page-head"><h1>${name}${m[4] ? `<span class="credentials">, ${esc(m[4])}</span>` : ''}</h1></div><nav class="tabs" aria-label="Profile sections"><a href="/staff/${esc(staffId)}">Details</a><a href="${action}" aria-current="page">Staff Portal</a></nav><div id="panel-status" class="panel-message" role="status" tabindex="-1"></div><section class="card" aria-labelledby="portal-heading" id="portal-panel"><div class="section-head"><h2 id="portal-heading">Staff Portal</h2>${badge(status, 'portal-status')}</div>${accountPart}<h3>Email addresses on file</h3><ul class="plain">${emailList}</ul>${history.length > 0 ? `<h3>Invitation history</h3><table class="table table-compact table-stack"><thead><tr><th scope="col">Sent</th><th scope="col">To</th><th scope="col">By</th><th scope="col">Email</th><th scope="col">Link</th></tr></thead><tbody>${historyRows}</tbody></table>` : ''}<section aria-labelledby="activity-heading" class="subsection"><h3 id="activity-heading">Activity</h3><div class="table-scroll"><table class="table table-compact table-stack"><thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">By</th><th scope="col">From</th></tr></thead><tbody>${activityRows}</tbody></table></div><p><a href="/activity?staff=${esc(staffId)}">All activity for this person</a></p></section></section>`
  send(req, res, 200, layout(`${m[2]} ${m[3]}`, main, user, '/staff'))
}

function describeDevice(userAgent: string) {
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'A browser'
  const system = /Windows/.test(userAgent)
    ? 'Windows'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Android/.test(userAgent)
        ? 'Android'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : 'an unknown system'
  return `${browser} on ${system}`
}

async function portalHome(req: IncomingMessage, res: ServerResponse, user: User) {
  const now = Date.now()
  const scope = [user.staffId, user.practiceId]
  const [member, emails, sessions] = await client.batch([
    { sql: OWN_SQL[0]!, args: scope },
    { sql: OWN_SQL[1]!, args: scope },
    { sql: OWN_SQL[2]!, args: [user.accountId, now, user.practiceId, SESSION_IDLE_MINUTES] },
  ])
  const m = member!.rows[0]
  if (!m) return send(req, res, 404, layout('Not found', '<p>Your profile is not available.</p>', user))
  const emailList = emails!.rows
    .map((e) => `<li>${esc(e[0])} ${e[1] ? '<span class="badge badge-muted">Primary</span>' : ''}</li>`)
    .join('')
  const devices = sessions!.rows
    .map((s) => {
      const device = describeDevice(String(s[2]))
      const end =
        s[0] === user.sessionId
          ? ''
          : `<form method="post" action="/portal/sessions/${esc(s[0])}/end"><button type="submit" class="button">End<span class="visually-hidden"> the session of ${esc(device)}</span></button></form>`
      return `<tr><td class="cell-key">${esc(device)}${s[0] === user.sessionId ? '<span class="badge badge-success">This device</span>' : ''}</td><td data-label="Address">${s[1] ? esc(s[1]) : '—'}</td><td data-label="Last seen">${formatDateTime(s[4], user.timeZone)}</td><td>${end}</td></tr>`
    })
    .join('')
  const others =
    sessions!.rows.length > 1
      ? '<form method="post" action="/portal/sessions/end-others" class="below-form stack" novalidate=""><div class="field"><label for="field-currentPassword">Current Password</label><p class="field-hint" id="field-currentPassword-hint">To sign out your other sessions, confirm it is you.</p><div class="password-input"><input id="field-currentPassword" name="currentPassword" type="password" required="" maxlength="1024" autocomplete="current-password" aria-describedby="field-currentPassword-hint"/><button type="button" class="button button-quiet password-toggle" aria-controls="field-currentPassword" aria-pressed="false" data-label-show="Show Password" data-label-hide="Hide Password" hidden="">Show Password</button></div></div><button type="submit" class="button">Sign out other sessions</button></form>'
      : ''
  const language = m[4] === 'es' ? 'es' : 'en'
  const option = (value: string, label: string) =>
    `<option value="${value}" lang="${value}"${value === language ? ' selected=""' : ''}>${label}</option>`
  const main = `<h1>Welcome, ${esc(m[0])}</h1><section class="card" aria-labelledby="profile-heading"><h2 id="profile-heading">Your profile</h2><dl class="details"><dt>Name</dt><dd>${esc(m[0])} ${esc(m[1])}</dd><dt>Credentials</dt><dd>${m[2] ? esc(m[2]) : '—'}</dd><dt>Practice</dt><dd>${esc(user.practiceName)}</dd><dt>Signed in as</dt><dd>${esc(user.email)}</dd><dt>Email addresses</dt><dd><ul class="plain">${emailList}</ul></dd></dl><p class="field-hint">To change these details, ask your practice admin.</p><form method="post" action="/portal/language" class="language-form"><div class="field"><label for="field-language">Language</label><p class="field-hint" id="field-language-hint">The language of your portal pages and of the emails you get from the portal.</p><select id="field-language" name="language" aria-describedby="field-language-hint">${option('en', 'English')}${option('es', 'Español')}</select></div><button type="submit" class="button">Save Language</button></form></section><section class="card" aria-labelledby="security-heading"><div class="section-head"><h2 id="security-heading">Sign-in and security</h2><div class="actions actions-wrap"><a class="button" href="/portal/password">Change Password</a><a class="button" href="/account/two-step">Two-Step Sign-In</a></div></div><h3>Where you are signed in</h3><div class="table-scroll"><table class="table table-compact table-stack"><thead><tr><th scope="col">Device</th><th scope="col">Address</th><th scope="col">Last seen</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead><tbody>${devices}</tbody></table></div>${others}</section>`
  send(req, res, 200, layout('Your portal', main, user, '/portal'))
}

// ---------------------------------------------------------------- routing

const PORTAL_TAB = /^\/staff\/([a-z2-7]{16})\/portal$/

async function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://localhost')
  if (req.method !== 'GET') return send(req, res, 404, 'not in the bare equivalent')
  if (url.pathname === '/login') return send(req, res, 200, layout('Log In', LOGIN_MAIN, null, undefined, LOGIN_SCRIPTS))
  const user = await userOf(req)
  if (!user) {
    res.writeHead(303, { ...HEADERS, Location: '/login', 'Content-Length': 0 }).end()
    return
  }
  if (url.pathname === '/portal') return portalHome(req, res, user)
  if (user.role !== 'admin') return send(req, res, 403, layout('Not available', '<p>Only practice admins can open this page.</p>', user))
  if (url.pathname === '/staff') return staffList(req, res, user, url)
  const tab = PORTAL_TAB.exec(url.pathname)
  if (tab) return portalTab(req, res, user, tab[1]!)
  send(req, res, 404, 'not in the bare equivalent')
}

const port = Number(process.env.PORT || 8789)
const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    console.error(error)
    if (!res.headersSent) res.writeHead(500).end()
  })
})
server.listen(port, process.env.HOST || '127.0.0.1', () => console.log(`bare listening on http://127.0.0.1:${port}`))
const stop = () => server.close(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
