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

const SESSION_IDLE_MS = 30 * 60 * 1000
const SESSION_MAX_MS = 12 * 60 * 60 * 1000
const PAGE_SIZE = 25
const RESET_LINK_MAX_DAYS = 7

const client = createClient({ url: process.env.DATABASE_URL ?? 'file:data/app.db' })

// ---------------------------------------------------------------- SQL, as drizzle sends it

const SESSION_SQL =
  'select "sessions"."id", "sessions"."secret_hash", "sessions"."created_at", "sessions"."last_seen_at", "accounts"."id", "accounts"."disabled_at", "accounts"."email", "staff"."id", "staff"."is_active", "staff"."role", "staff"."first_name", "staff"."last_name", "practices"."id", "practices"."name", "practices"."time_zone" from "sessions" inner join "accounts" on "accounts"."id" = "sessions"."account_id" inner join "staff" on "staff"."id" = "accounts"."staff_id" inner join "practices" on "practices"."id" = "staff"."practice_id" where "sessions"."id" = ?'

const LIST_COLUMNS =
  'select "staff"."id", "staff"."first_name", "staff"."last_name", "staff"."credentials", "staff"."is_active", (select "staff_emails"."email" from "staff_emails" where "staff_emails"."staff_id" = "staff"."id" and "staff_emails"."is_primary" = 1), "accounts"."id", exists (select 1 from "invitations" where ("invitations"."staff_id" = "staff"."id" and ("invitations"."used_at" is null and "invitations"."revoked_at" is null and "invitations"."replaced_at" is null and "invitations"."expires_at" > ?))) from "staff" left join "accounts" on "accounts"."staff_id" = "staff"."id" where '
const ORDER = ' order by "staff"."last_name" collate nocase, "staff"."first_name" collate nocase, "staff"."id" asc'
const LIST_ORDER = `${ORDER} limit ?`
const IN_PRACTICE = '"staff"."practice_id" = ?'
const SEARCH =
  '(("staff"."practice_id" = ? and ("staff"."first_name" collate nocase >= ? and "staff"."first_name" collate nocase < ?)) or ("staff"."practice_id" = ? and ("staff"."last_name" collate nocase >= ? and "staff"."last_name" collate nocase < ?)) or ("staff"."practice_id" = ? and ("staff"."credentials" collate nocase >= ? and "staff"."credentials" collate nocase < ?)) or "staff"."id" in (select "staff_emails"."staff_id" from "staff_emails" where "staff_emails"."practice_id" = ? and ("staff_emails"."email" >= ? and "staff_emails"."email" < ?)))'

// The full page's Onboarding summary (src/staff/directory.ts onboardingQuery): each active
// profile's kind, counted per kind. Args: now three times, then practice id.
const ONBOARDING_SQL = `select case when exists (select 1 from "accounts" where "accounts"."staff_id" = "staff"."id") then 1
    when exists (select 1 from "invitations" where ("invitations"."staff_id" = "staff"."id" and ("invitations"."used_at" is null and "invitations"."revoked_at" is null and "invitations"."replaced_at" is null and "invitations"."expires_at" > ?1))) then (case when exists (select 1 from "invitations" join "email_outbox" on "email_outbox"."ref_id" = "invitations"."id"
    where ("invitations"."staff_id" = "staff"."id" and ("invitations"."used_at" is null and "invitations"."revoked_at" is null and "invitations"."replaced_at" is null and "invitations"."expires_at" > ?1)) and "email_outbox"."status" = 'failed') then 3 else 2 end)
    when exists (select 1 from "invitations" where "invitations"."staff_id" = "staff"."id"
    and "invitations"."used_at" is null and "invitations"."revoked_at" is null and "invitations"."replaced_at" is null
    and "invitations"."expires_at" <= ?1) then 4 else 0 end as "kind", count(*) from "staff" where ("staff"."practice_id" = ?2 and "staff"."is_active" = 1) group by kind`

const PROFILE_SQL = [
  'select "id", "practice_id", "first_name", "last_name", "credentials", "phone", "is_active", "role", "created_at", "updated_at" from "staff" where ("staff"."id" = ? and "staff"."practice_id" = ?)',
  'select "id", "practice_id", "staff_id", "email", "is_primary", "position" from "staff_emails" where ("staff_emails"."staff_id" = ? and "staff_emails"."practice_id" = ?) order by "staff_emails"."position" asc',
  'select "id", "email", "created_at", "last_login_at", "disabled_at" from "accounts" where ("accounts"."staff_id" = ? and "accounts"."practice_id" = ?)',
  'select "invitations"."id", "invitations"."secret_hash", "invitations"."practice_id", "invitations"."staff_id", "invitations"."email", "invitations"."invited_by_account_id", "invitations"."created_at", "invitations"."expires_at", "invitations"."used_at", "invitations"."revoked_at", "invitations"."replaced_at", "inviter"."first_name", "inviter"."last_name", (select status from "email_outbox" where "email_outbox"."ref_id" = "invitations"."id" order by "email_outbox"."created_at" desc limit 1), (select last_error from "email_outbox" where "email_outbox"."ref_id" = "invitations"."id" order by "email_outbox"."created_at" desc limit 1) from "invitations" left join "accounts" on "accounts"."id" = "invitations"."invited_by_account_id" left join "staff" "inviter" on "inviter"."id" = "accounts"."staff_id" where ("invitations"."staff_id" = ? and "invitations"."practice_id" = ?) order by "invitations"."created_at" desc limit ?',
  'select "password_reset_links"."id", "password_reset_links"."created_at", "password_reset_links"."expires_at" from "password_reset_links" inner join "accounts" on "accounts"."id" = "password_reset_links"."account_id" where ("accounts"."staff_id" = ? and "password_reset_links"."practice_id" = ? and ("password_reset_links"."used_at" is null and "password_reset_links"."revoked_at" is null and "password_reset_links"."replaced_at" is null and "password_reset_links"."expires_at" > ?)) order by "password_reset_links"."created_at" desc limit ?',
  'select "failures" from "login_failures" where "login_failures"."account_id" in (select "id" from "accounts" where ("accounts"."staff_id" = ? and "accounts"."practice_id" = ?))',
  'select count(*) from "sessions" where ("sessions"."account_id" in (select "id" from "accounts" where ("accounts"."staff_id" = ? and "accounts"."practice_id" = ?)) and "sessions"."last_seen_at" > ?)',
  'select "audit_events"."id", "audit_events"."event", "audit_events"."created_at", "audit_events"."ip", "audit_events"."detail", "actor_staff"."first_name", "actor_staff"."last_name", "audit_events"."target_staff_id", "target_staff"."first_name", "target_staff"."last_name" from "audit_events" left join "accounts" on "accounts"."id" = "audit_events"."actor_account_id" left join "staff" "actor_staff" on "actor_staff"."id" = "accounts"."staff_id" left join "staff" "target_staff" on "target_staff"."id" = "audit_events"."target_staff_id" where ("audit_events"."practice_id" = ? and "audit_events"."target_staff_id" = ?) order by "audit_events"."created_at" desc, "audit_events"."id" desc limit ?',
]

const OWN_SQL = [
  'select "first_name", "last_name", "credentials", "phone" from "staff" where ("staff"."id" = ? and "staff"."practice_id" = ?)',
  'select "email", "is_primary" from "staff_emails" where ("staff_emails"."staff_id" = ? and "staff_emails"."practice_id" = ?) order by "staff_emails"."position" asc',
  'select "id", "ip", "user_agent", "created_at", "last_seen_at" from "sessions" where ("sessions"."account_id" = ? and "sessions"."last_seen_at" > ?) order by "sessions"."last_seen_at" desc',
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
  if (now - Number(row[3]) >= SESSION_IDLE_MS || now - Number(row[2]) >= SESSION_MAX_MS || row[5] !== null || !row[8]) return null
  return {
    sessionId: String(row[0]),
    accountId: String(row[4]),
    email: String(row[6]),
    staffId: String(row[7]),
    role: String(row[9]),
    firstName: String(row[10]),
    lastName: String(row[11]),
    practiceId: String(row[12]),
    practiceName: String(row[13]),
    timeZone: String(row[14]),
  }
}

// ---------------------------------------------------------------- pages

const HTMX_CONFIG =
  '{&quot;allowEval&quot;:false,&quot;allowScriptTags&quot;:false,&quot;includeIndicatorStyles&quot;:false,&quot;historyCacheSize&quot;:0,&quot;refreshOnHistoryMiss&quot;:true,&quot;responseHandling&quot;:[{&quot;code&quot;:&quot;204&quot;,&quot;swap&quot;:false},{&quot;code&quot;:&quot;[23]..&quot;,&quot;swap&quot;:true},{&quot;code&quot;:&quot;422&quot;,&quot;swap&quot;:true},{&quot;code&quot;:&quot;[45]..&quot;,&quot;swap&quot;:false,&quot;error&quot;:true}]}'

function layout(title: string, main: string, user: User | null, current?: string) {
  const nav = !user
    ? ''
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
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><meta name="htmx-config" content="${HTMX_CONFIG}"/><title>${esc(title)} · Staff Portal</title><link rel="icon" href="data:,"/><link rel="stylesheet" href="/app.css?v=0123456789abcdef"/><script src="/htmx.min.js?v=0123456789abcdef" defer=""></script><script src="/app.js?v=0123456789abcdef" defer=""></script></head><body hx-history="false"><a class="skip-link" href="#main">Skip to content</a>${nav}<main id="main" tabindex="-1">${main}</main></body></html>`
}

const LOGIN_MAIN =
  '<section class="card narrow"><h1>Log in to Staff Portal</h1><form method="post" action="/login" class="stack" novalidate=""><div class="field"><label for="field-email">Email</label><input id="field-email" name="email" type="email" autocomplete="username" required="" maxlength="254" autofocus=""/></div><div class="field"><label for="field-password">Password</label><input id="field-password" name="password" type="password" autocomplete="current-password" required="" maxlength="1024"/></div><button type="submit" class="button button-primary">Log In</button></form><p class="below-form"><a href="/forgot-password">Forgot Password</a></p></section>'

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
    ...(fullPage ? [{ sql: ONBOARDING_SQL, args: [Date.now(), user.practiceId] }] : []),
  ])
  const total = Number(count!.rows[0]![0])
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
  const query = q ? `q=${encodeURIComponent(q)}&amp;` : ''
  const body = rows!.rows
    .map((r: Row) => {
      const name = `${esc(r[1])} ${esc(r[2])}`
      const status = r[6] !== null ? 'Signed up' : r[7] ? 'Signup initiated' : 'Yet to sign up'
      return `<tr><td class="select-cell"><input type="checkbox" name="staffId" value="${esc(r[0])}" form="bulk-invite" aria-label="Select ${name}"/></td><th scope="row"><a href="/staff/${esc(r[0])}">${esc(r[2])}, ${esc(r[1])}</a>${r[4] ? '' : ' <span class="badge badge-muted">Inactive</span>'}</th><td>${r[3] ? esc(r[3]) : '<span class="muted">—</span>'}</td><td>${r[5] === null ? '<span class="muted">—</span>' : esc(r[5])}</td><td>${badge(status)}</td></tr>`
    })
    .join('')
  const next =
    pages > 1
      ? `<a href="/staff?${query}page=2" hx-get="/staff?${query}page=2" hx-target="#staff-results" hx-swap="outerHTML" hx-push-url="true" rel="next">Next</a>`
      : '<span class="muted">Next</span>'
  const results = `<div id="staff-results"><div class="table-scroll"><table class="table"><caption class="visually-hidden">Staff members, sorted by last name</caption><thead><tr><th scope="col"><span class="visually-hidden">Select</span></th><th scope="col">Name</th><th scope="col">Credentials</th><th scope="col">Primary email</th><th scope="col">Portal status</th></tr></thead><tbody>${body}</tbody></table></div><nav class="pager" aria-label="Pages"><span class="muted">Previous</span><span>Page 1 of ${pages}</span>${next}</nav></div>`
  const counted = `${total} staff member${total === 1 ? '' : 's'}${q ? ` matching “${esc(q)}”` : ''}`
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
  const summary = (
    [
      ['signed-up', 'Signed up', n(1)],
      ['signup-initiated', 'Signup initiated', n(2) + n(3)],
      ['email-not-delivered', 'Email not delivered', n(3)],
      ['invitation-expired', 'Invitation expired', n(4)],
      ['yet-to-sign-up', 'Yet to sign up', n(0) + n(4)],
    ] as const
  )
    .map(([status, label, count]) => `<li><a href="/staff?status=${status}">${label}: <strong>${count}</strong></a></li>`)
    .join('')
  const main = `<section class="onboarding" aria-labelledby="onboarding-heading"><h2 id="onboarding-heading">Onboarding</h2><ul>${summary}</ul></section><div class="page-head"><h1>Staffs</h1><div class="actions"><form id="bulk-invite" method="post" action="/staff/invitations"><button type="submit" class="button">Invite Selected</button></form><a class="button button-primary" href="/staff/new">Add Staff</a></div></div><form method="get" action="/staff" class="search" role="search"><label for="staff-search">Search</label><input id="staff-search" type="search" name="q" value="${esc(q)}" maxlength="100" placeholder="Name or email" autocomplete="off" hx-get="/staff" hx-trigger="input changed delay:250ms, search" hx-target="#staff-results" hx-swap="outerHTML" hx-push-url="true" hx-sync="this:replace"/><button type="submit" class="button">Find</button></form><p class="results-count" id="results-count" role="status">${counted}</p>${results}`
  send(req, res, 200, layout('Staffs', main, user, '/staff'), 'HX-Request')
}

const INVITATION_END: Record<string, string> = {
  used: 'Account created',
  revoked: 'Revoked',
  replaced: 'Replaced by a newer invitation',
  expired: 'Expired',
  pending: 'Pending',
}
const DELIVERY: Record<string, string> = { sent: 'Delivered', pending: 'Sending', failed: 'Not delivered', cancelled: 'Cancelled' }
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
  const [member, emails, account, invitations, resetLink, failures, sessions, activity] = await client.batch([
    { sql: PROFILE_SQL[0]!, args: scope },
    { sql: PROFILE_SQL[1]!, args: scope },
    { sql: PROFILE_SQL[2]!, args: scope },
    { sql: PROFILE_SQL[3]!, args: [...scope, 20] },
    { sql: PROFILE_SQL[4]!, args: [...scope, now, 1] },
    { sql: PROFILE_SQL[5]!, args: scope },
    { sql: PROFILE_SQL[6]!, args: [...scope, now - SESSION_IDLE_MS] },
    { sql: PROFILE_SQL[7]!, args: [user.practiceId, staffId, 15] },
  ])
  const m = member!.rows[0]
  if (!m) return send(req, res, 404, layout('Staff member not found', '<p>There is no such staff member in your practice.</p>', user))
  const tz = user.timeZone
  const a = account!.rows[0]
  const name = `${esc(m[2])} ${esc(m[3])}`
  const history = invitations!.rows.map((i) => {
    const state = i[8] ? 'used' : i[9] ? 'revoked' : i[10] ? 'replaced' : Number(i[7]) <= now ? 'expired' : 'pending'
    return { i, state }
  })
  const pending = history.some((h) => h.state === 'pending')
  const status = a ? 'Signed up' : pending ? 'Signup initiated' : 'Yet to sign up'
  const action = `/staff/${esc(staffId)}/portal`
  const accessForm = (value: string, label: string, kind: string, confirm: string) =>
    `<form method="post" action="${action}/access" hx-post="${action}/access" hx-target="#portal-panel" hx-swap="outerHTML" hx-confirm="${confirm}"><input type="hidden" name="action" value="${value}"/><button type="submit" class="button ${kind}" id="access-${value}">${label}</button></form>`
  const today = isoDay(now, tz)
  const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10)
  const sessionCount = Number(sessions!.rows[0]![0])
  const accountPart = a
    ? `<p>Account created ${formatDateTime(a[2], tz)} for <strong>${esc(a[1])}</strong>.${a[3] === null ? '' : ` Last login ${formatDateTime(a[3], tz)}.`}</p><section aria-labelledby="access-heading" class="subsection"><h3 id="access-heading">Account</h3><dl class="details"><dt>Portal access</dt><dd>${a[4] === null ? 'Enabled' : 'Disabled'}</dd><dt>Last login</dt><dd>${a[3] === null ? 'Never' : formatDateTime(a[3], tz)}</dd><dt>Signed in on</dt><dd>${sessionCount} device${sessionCount === 1 ? '' : 's'}</dd>${Number(failures!.rows[0]?.[0] ?? 0) > 0 ? `<dt>Failed logins</dt><dd>${failures!.rows[0]![0]}</dd>` : ''}</dl><div class="actions">${accessForm('disable', 'Disable Portal Access', 'button-danger', 'Disable portal access? They are signed out at once and cannot log in until you enable it again.')}${accessForm('end-sessions', 'Sign Out Everywhere', '', 'Sign them out on every device?')}</div></section><section aria-labelledby="reset-heading" class="subsection"><h3 id="reset-heading">Password reset link</h3><p class="field-hint section-intro">If they cannot get back in, give them a link to set a new password. You never see or set their password.</p>${resetLink!.rows[0] ? `<p>A link is live until ${formatDateTime(resetLink!.rows[0][2], tz)}.</p>` : ''}<form method="post" action="${action}/reset-links" hx-post="${action}/reset-links" hx-target="#portal-panel" hx-swap="outerHTML" class="inline-form"><div class="field"><label for="field-expirationDate">Expiration Date</label><p class="field-hint" id="field-expirationDate-hint">The link works until the end of this day, practice time.</p><input id="field-expirationDate" name="expirationDate" type="date" min="${today}" max="${day(RESET_LINK_MAX_DAYS)}" value="${day(1)}" required="" aria-describedby="field-expirationDate-hint"/></div><button type="submit" class="button button-primary" id="generate-link">Generate Link</button></form></section>`
    : `<form method="post" action="${action}/invitations" class="stack"><fieldset><legend>Send the invitation to</legend>${emails!.rows
        .map((e, n) => `<label><input type="radio" name="email" value="${esc(e[3])}"${n === 0 ? ' checked=""' : ''}/> ${esc(e[3])}</label>`)
        .join('')}</fieldset><button type="submit" class="button button-primary">Send Invitation</button></form>`
  const emailList = emails!.rows
    .map((e) => `<li>${esc(e[3])} ${e[4] ? '<span class="badge badge-muted">Primary</span>' : ''}</li>`)
    .join('')
  const historyRows = history
    .map(
      ({ i, state }) =>
        `<tr><td>${formatDateTime(i[6], tz)}</td><td>${esc(i[4])}</td><td>${i[11] === null ? '—' : `${esc(i[11])} ${esc(i[12])}`}</td><td>${i[13] === null ? '—' : (DELIVERY[String(i[13])] ?? esc(i[13]))}</td><td>${INVITATION_END[state]}</td></tr>`,
    )
    .join('')
  const activityRows = activity!.rows
    .map(
      (e) =>
        `<tr><td>${formatDateTime(e[2], tz)}</td><td>${EVENTS[String(e[1])] ?? esc(e[1])}</td><td>${e[5] === null ? '—' : `${esc(e[5])} ${esc(e[6])}`}</td><td>${e[3] ? esc(e[3]) : '—'}</td></tr>`,
    )
    .join('')
  const main = `<p class="breadcrumb"><a href="/staff">Staffs</a></p><div class="page-head"><h1>${name}${m[4] ? `<span class="credentials">, ${esc(m[4])}</span>` : ''}</h1></div><nav class="tabs" aria-label="Profile sections"><a href="/staff/${esc(staffId)}">Details</a><a href="${action}" aria-current="page">Staff Portal</a></nav><div id="panel-status" class="panel-message" role="status" tabindex="-1"></div><section class="card" aria-labelledby="portal-heading" id="portal-panel"><div class="section-head"><h2 id="portal-heading">Staff Portal</h2>${badge(status, 'portal-status')}</div>${accountPart}<h3>Email addresses on file</h3><ul class="plain">${emailList}</ul><h3>Invitation history</h3><table class="table table-compact"><thead><tr><th scope="col">Sent</th><th scope="col">To</th><th scope="col">By</th><th scope="col">Email</th><th scope="col">Link</th></tr></thead><tbody>${historyRows}</tbody></table><section aria-labelledby="activity-heading" class="subsection"><h3 id="activity-heading">Activity</h3><div class="table-scroll"><table class="table table-compact"><thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">By</th><th scope="col">From</th></tr></thead><tbody>${activityRows}</tbody></table></div><p><a href="/activity?staff=${esc(staffId)}">All activity for this person</a></p></section></section>`
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
    { sql: OWN_SQL[2]!, args: [user.accountId, now - SESSION_IDLE_MS] },
  ])
  const m = member!.rows[0]
  if (!m) return send(req, res, 404, layout('Not found', '<p>Your profile is not available.</p>', user))
  const emailList = emails!.rows
    .map((e) => `<li>${esc(e[0])} ${e[1] ? '<span class="badge badge-muted">Primary</span>' : ''}</li>`)
    .join('')
  const devices = sessions!.rows
    .map(
      (s) =>
        `<tr><td>${esc(describeDevice(String(s[2])))}${s[0] === user.sessionId ? '<span class="badge badge-success">This device</span>' : ''}</td><td>${s[1] ? esc(s[1]) : '—'}</td><td>${formatDateTime(s[4], user.timeZone)}</td></tr>`,
    )
    .join('')
  const main = `<h1>Welcome, ${esc(m[0])}</h1><section class="card" aria-labelledby="profile-heading"><h2 id="profile-heading">Your profile</h2><dl class="details"><dt>Name</dt><dd>${esc(m[0])} ${esc(m[1])}</dd>${m[2] ? `<dt>Credentials</dt><dd>${esc(m[2])}</dd>` : ''}${m[3] ? `<dt>Phone</dt><dd>${esc(m[3])}</dd>` : ''}<dt>Practice</dt><dd>${esc(user.practiceName)}</dd><dt>Signed in as</dt><dd>${esc(user.email)}</dd><dt>Email addresses</dt><dd><ul class="plain">${emailList}</ul></dd></dl><p class="field-hint">To change these details, ask your practice admin.</p></section><section class="card" aria-labelledby="security-heading"><div class="section-head"><h2 id="security-heading">Sign-in and security</h2><a class="button" href="/portal/password">Change Password</a></div><h3>Where you are signed in</h3><div class="table-scroll"><table class="table table-compact"><thead><tr><th scope="col">Device</th><th scope="col">Address</th><th scope="col">Last seen</th></tr></thead><tbody>${devices}</tbody></table></div></section>`
  send(req, res, 200, layout('My Portal', main, user, '/portal'))
}

// ---------------------------------------------------------------- routing

const PORTAL_TAB = /^\/staff\/([a-z2-7]{16})\/portal$/

async function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://localhost')
  if (req.method !== 'GET') return send(req, res, 404, 'not in the bare equivalent')
  if (url.pathname === '/login') return send(req, res, 200, layout('Log in', LOGIN_MAIN, null))
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
