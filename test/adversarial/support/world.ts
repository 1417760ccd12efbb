import { createHash } from 'node:crypto'
import { and, eq, isNull } from 'drizzle-orm'
import { accounts, invitations, passwordResetLinks } from '../../../db/schema'
import { SECURITY_EVENTS } from '../../../src/audit/audit'
import { hashPassword } from '../../../src/auth/password'
import { createSession } from '../../../src/auth/session'
import { generateId } from '../../../src/ids'
import { readablePath } from '../../support/routes'
import { expiryChoices } from '../../../src/password-reset/reset-link'
import type { Agent } from '../../support/agent'
import { ORIGIN } from '../../support/agent'
import { addPractice, TEST_IP, type TestApp } from '../../support/app'
import { addStaff, linkIn, sendInvitation, STRONG_PASSWORD } from '../../support/staff'

export const SESSION_COOKIE = '__Host-session'
export { STRONG_PASSWORD }

/**
 * Signs an existing account in without a password: a session row made by the app's own
 * createSession, its token put in the Agent's cookie jar. Keeps scrypt (about half a second
 * on these machines) out of the set-up of tests that are not about logging in.
 */
export async function signIn(t: TestApp, email: string, agent: Agent = t.agent()): Promise<Agent> {
  const [account] = await t.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email.toLowerCase()))
  if (!account) throw new Error(`no account for ${email}`)
  const { token } = await createSession(t, { accountId: account.id, ip: TEST_IP, userAgent: 'adversarial-suite' })
  agent.cookies.set(SESSION_COOKIE, token)
  return agent
}

export interface Person {
  id: string
  email: string
  firstName: string
  lastName: string
}

export interface PracticeWorld {
  key: string
  name: string
  practiceId: string
  adminEmail: string
  adminStaffId: string
  adminAccountId: string
  /** A staff member (role staff) with a portal account whose password is STRONG_PASSWORD. */
  member: Person & { accountId: string }
  /** A staff member with a pending invitation and no account. */
  invitee: Person & { invitationId: string; token: string }
  /** A live admin reset link for the member's account. */
  resetLink: { id: string; token: string }
  /** Text that only this practice's pages may ever show. */
  markers: string[]
}

const SPECS = {
  a: {
    name: 'Aldermere Therapy Collective',
    domain: 'aldermere.test',
    member: { firstName: 'Quintessa', lastName: 'Aldwyckham' },
    invitee: { firstName: 'Thaddeus', lastName: 'Aldorranby' },
  },
  b: {
    name: 'Birchholt Speech Studio',
    domain: 'birchholt.test',
    member: { firstName: 'Perpetua', lastName: 'Birchmontague' },
    invitee: { firstName: 'Ignatius', lastName: 'Birkwellson' },
  },
} as const

let sharedHash: Promise<string> | undefined
/** One scrypt hash of STRONG_PASSWORD per test file, reused for every seeded account. */
export const strongPasswordHash = () => (sharedHash ??= hashPassword(STRONG_PASSWORD))

/**
 * A practice with an admin, a signed-up staff member, a staff member with a pending
 * invitation, and a live reset link: every kind of id a route can name.
 */
export async function seedPractice(t: TestApp, key: keyof typeof SPECS): Promise<PracticeWorld> {
  const spec = SPECS[key]
  const adminEmail = `admin@${spec.domain}`
  await addPractice(t, spec.name, adminEmail)
  const [adminAccount] = await t.db.select().from(accounts).where(eq(accounts.email, adminEmail))
  const admin = await signIn(t, adminEmail)

  const memberEmail = `${spec.member.firstName.toLowerCase()}@${spec.domain}`
  const memberId = await addStaff(admin, { ...spec.member, credentials: 'LCSW', email1: memberEmail })
  const memberAccountId = generateId()
  const now = t.clock.now()
  await t.db.insert(accounts).values({
    id: memberAccountId,
    practiceId: adminAccount!.practiceId,
    staffId: memberId,
    email: memberEmail,
    passwordHash: await strongPasswordHash(),
    passwordChangedAt: now,
    createdAt: now,
  })

  const inviteeEmail = `${spec.invitee.firstName.toLowerCase()}@${spec.domain}`
  const inviteeId = await addStaff(admin, { ...spec.invitee, credentials: 'SLP', email1: inviteeEmail })
  const sent = await sendInvitation(admin, inviteeId, inviteeEmail)
  if (sent.status !== 200) throw new Error(`invitation failed with ${sent.status}`)
  const inviteToken = linkIn(t.devMailbox!.list()[0]!.text).split('/invite/')[1]!
  const [invitation] = await t.db
    .select({ id: invitations.id })
    .from(invitations)
    .where(and(eq(invitations.staffId, inviteeId), isNull(invitations.replacedAt)))

  const resetToken = await generateResetLinkFor(t, admin, memberId)
  const [link] = await t.db
    .select({ id: passwordResetLinks.id })
    .from(passwordResetLinks)
    .where(and(eq(passwordResetLinks.accountId, memberAccountId), isNull(passwordResetLinks.replacedAt)))

  return {
    key,
    name: spec.name,
    practiceId: adminAccount!.practiceId,
    adminEmail,
    adminStaffId: adminAccount!.staffId,
    adminAccountId: adminAccount!.id,
    member: { id: memberId, email: memberEmail, ...spec.member, accountId: memberAccountId },
    invitee: { id: inviteeId, email: inviteeEmail, ...spec.invitee, invitationId: invitation!.id, token: inviteToken },
    resetLink: { id: link!.id, token: resetToken },
    markers: [
      spec.name,
      spec.member.firstName,
      spec.member.lastName,
      spec.invitee.firstName,
      spec.invitee.lastName,
      memberEmail,
      inviteeEmail,
    ],
  }
}

export const tomorrowFor = (t: TestApp) => expiryChoices(t.clock.now(), t.config.DEFAULT_TIME_ZONE, t.config.RESET_LINK_MAX_DAYS).suggested

/** Clicks Generate Link and returns the token shown in the read-only Reset Link field. */
export async function generateResetLinkFor(t: TestApp, admin: Agent, staffId: string): Promise<string> {
  // replace: the admin confirms replacing a link that still works (it would ask first).
  const response = await admin.post(`/staff/${staffId}/portal/reset-links`, { expirationDate: tomorrowFor(t), replace: 'yes' })
  const html = await response.text()
  // How the notice's send went is recorded after the response: a snapshot waits for it.
  await t.settle()
  const token = /\/reset\/([a-z2-7]{16}\.[a-z2-7]{39})/.exec(html)?.[1]
  if (response.status !== 200 || !token) throw new Error(`Generate Link failed with ${response.status}`)
  return token
}

// ---------------------------------------------------------------------------------------
// Routes, read from the app's own router so routes added later are covered too.

export interface Route {
  method: string
  path: string
}

export const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Every (method, path) with a handler; middleware (method ALL) is left out. */
export function discoverRoutes(app: { routes: { method: string; path: string }[] }): Route[] {
  const seen = new Set<string>()
  const routes: Route[] = []
  for (const route of app.routes) {
    const { method } = route
    if (method === 'ALL') continue
    const path = readablePath(route.path)
    const key = `${method} ${path}`
    if (seen.has(key)) continue
    seen.add(key)
    routes.push({ method, path })
  }
  return routes
}

/** Pages anyone may open: everything else needs a session, and all but /portal need an admin. */
export const isPublicPath = (path: string) =>
  path === '/' ||
  path === '/login' ||
  path === '/logout' ||
  path.startsWith('/forgot-password') ||
  path.startsWith('/invite/') ||
  path.startsWith('/reset/') ||
  // The link of Change Login Email, which its token alone opens.
  path.startsWith('/login-email/') ||
  path.startsWith('/dev/') ||
  // The second step of a login and "Log In with a Passkey": before any session, by design.
  path.startsWith('/login/two-step') ||
  path.startsWith('/login/passkey') ||
  // The health check answers operators and load balancers, and says nothing about anyone.
  path === '/healthz'
export const isOwnPortalPath = (path: string) =>
  path === '/portal' || path.startsWith('/portal/') || path === '/account' || path.startsWith('/account/')
export const isAdminPath = (path: string) => !isPublicPath(path) && !isOwnPortalPath(path)
export const hasParams = (path: string) => /[:*]/.test(path)

/** Puts a practice's real ids (and tokens) where a route names them. */
export function fillPath(path: string, w: PracticeWorld): string {
  const aboutInvitation = path.includes(':invitationId')
  return path
    .replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, (_match, name: string) => {
      switch (name) {
        case 'id':
        case 'staffId':
          return aboutInvitation ? w.invitee.id : w.member.id
        case 'invitationId':
          return w.invitee.invitationId
        case 'linkId':
          return w.resetLink.id
        case 'token':
          return path.startsWith('/invite') ? w.invitee.token : w.resetLink.token
        case 'accountId':
          return w.member.accountId
        default:
          // A route added later: a staff id is what most ids here are.
          return w.member.id
      }
    })
    .replace(/\*/g, '')
}

export type Form = Record<string, string | string[]>

/**
 * A form with a plausible value for every field any route here reads, all aimed at
 * `target`'s people and links: what an attacker would send if scoping were broken.
 * `ownPracticeName` keeps Practice Settings from echoing the target's name back.
 */
export function formAimedAt(t: TestApp, target: PracticeWorld, ownPracticeName: string): Form {
  return {
    firstName: 'Mallory',
    lastName: 'Intruder',
    credentials: 'PhD',
    phone: '',
    email1: 'mallory@intruder.test',
    email2: '',
    email3: '',
    primaryEmail: '1',
    active: 'on',
    email: target.member.email,
    staffId: [target.member.id, target.invitee.id],
    action: 'disable',
    expirationDate: tomorrowFor(t),
    token: target.resetLink.token,
    role: 'admin',
    confirm: 'yes',
    name: ownPracticeName,
    timeZone: 'UTC',
    senderName: 'Mallory',
    password: 'Velvet gazebo mortar 7731 kite',
    confirmPassword: 'Velvet gazebo mortar 7731 kite',
    currentPassword: STRONG_PASSWORD,
    code: '12345678',
  }
}

export function encodeForm(form: Form): URLSearchParams {
  const body = new URLSearchParams()
  for (const [key, value] of Object.entries(form)) for (const v of Array.isArray(value) ? value : [value]) body.append(key, v)
  return body
}

/** A same-origin form post (it passes CSRF), with repeated fields allowed. */
export function send(agent: Agent, method: string, path: string, form: Form = {}, headers: Record<string, string> = {}) {
  if (method === 'GET' || method === 'HEAD') return agent.request(path, { method, headers })
  return agent.request(path, {
    method,
    body: encodeForm(form),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN, ...headers },
  })
}

// ---------------------------------------------------------------------------------------
// Database snapshots: what changed, table by table.

type Cell = string | number | bigint | boolean | null | ArrayBuffer | Uint8Array

const show = (value: Cell): unknown =>
  typeof value === 'bigint'
    ? `${value}n`
    : value instanceof ArrayBuffer || value instanceof Uint8Array
      ? Buffer.from(value as Uint8Array).toString('hex')
      : value

// Each snapshot re-reads the table list (a migration added by someone else shows up), but a
// table's columns are read once: snapshots run hundreds of times per file.
const columnCache = new WeakMap<object, Map<string, string[]>>()

async function tables(t: TestApp): Promise<string[]> {
  const result = await t.client.execute(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '%drizzle%' order by name",
  )
  return result.rows.map((row) => String(row.name))
}

async function columns(t: TestApp, table: string): Promise<string[]> {
  let cache = columnCache.get(t.client)
  if (!cache) columnCache.set(t.client, (cache = new Map()))
  const known = cache.get(table)
  if (known) return known
  const result = await t.client.execute(`pragma table_info("${table}")`)
  const names = result.rows.map((row) => String(row.name))
  cache.set(table, names)
  return names
}

async function digest(t: TestApp, sqlText: string, args: string[] = []) {
  const result = await t.client.execute({ sql: sqlText, args })
  const rows = result.rows.map((row) => JSON.stringify(result.columns.map((c) => show(row[c] as Cell)))).sort()
  return `${rows.length} rows ${createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16)}`
}

// A refused request is recorded as a security event: that row is the refusal's trace, not a
// change the request made, so the snapshots leave those events out.
const notASecurityEvent = `event not in (${SECURITY_EVENTS.map((e) => `'${e}'`).join(', ')})`
const scoped = (table: string, where: string) =>
  table === 'audit_events'
    ? `select * from "${table}" where (${where}) and ${notASecurityEvent}`
    : `select * from "${table}" where ${where}`

/** Row count and checksum of every table in the database. */
export async function snapshotAll(t: TestApp): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const table of await tables(t)) out[table] = await digest(t, scoped(table, '1 = 1'))
  return out
}

/** Row count and checksum of every row that belongs to one practice (directly or through an account). */
export async function snapshotPractice(t: TestApp, practiceId: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const table of await tables(t)) {
    const cols = await columns(t, table)
    if (table === 'practices') out[table] = await digest(t, `select * from "${table}" where id = ?`, [practiceId])
    else if (cols.includes('practice_id')) out[table] = await digest(t, scoped(table, 'practice_id = ?'), [practiceId])
    else if (cols.includes('account_id'))
      out[table] = await digest(t, `select * from "${table}" where account_id in (select id from accounts where practice_id = ?)`, [
        practiceId,
      ])
  }
  return out
}

/** Mail delivered so far (development mailbox): a forged request must not send any. */
export const mailCount = (t: TestApp) => t.devMailbox!.list().length

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

// ---------------------------------------------------------------------------------------
// Form fields, read from the pages the app serves.

interface FoundForm {
  action: string
  fields: Set<string>
}

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1]
const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')

/** Forms posting somewhere, with the names of their fields (inside, linked by form="", or in hx-vals). */
export function formsIn(html: string): FoundForm[] {
  const found: FoundForm[] = []
  const byId = new Map<string, FoundForm>()
  for (const match of html.matchAll(/(<form\b[^>]*>)([\s\S]*?)<\/form>/g)) {
    const [, open, inner] = match
    const method = (attr(open!, 'method') ?? 'get').toLowerCase()
    const action = attr(open!, 'hx-post') ?? (method === 'post' ? attr(open!, 'action') : undefined)
    if (!action) continue
    const form: FoundForm = { action: unescapeHtml(action).split('?')[0]!, fields: new Set() }
    for (const name of inner!.matchAll(/\sname="([^"]+)"/g)) form.fields.add(unescapeHtml(name[1]!))
    for (const source of [open!, ...Array.from(inner!.matchAll(/<[^>]+hx-vals="[^"]*"[^>]*>/g), (m) => m[0])]) {
      const vals = attr(source, 'hx-vals')
      if (vals) for (const key of Object.keys(JSON.parse(unescapeHtml(vals)) as object)) form.fields.add(key)
    }
    const id = attr(open!, 'id')
    if (id) byId.set(id, form)
    found.push(form)
  }
  for (const tag of html.matchAll(/<[^>]+\sform="([^"]+)"[^>]*>/g)) {
    const name = attr(tag[0], 'name')
    if (name) byId.get(tag[1]!)?.fields.add(name)
  }
  // Buttons and links that post by themselves with htmx.
  for (const tag of html.matchAll(/<(?!form\b)[a-z]+\b[^>]*\shx-post="([^"]+)"[^>]*>/g)) {
    const form: FoundForm = { action: unescapeHtml(tag[1]!).split('?')[0]!, fields: new Set() }
    const name = attr(tag[0], 'name')
    if (name) form.fields.add(name)
    const vals = attr(tag[0], 'hx-vals')
    if (vals) for (const key of Object.keys(JSON.parse(unescapeHtml(vals)) as object)) form.fields.add(key)
    found.push(form)
  }
  return found
}

const patternOf = (path: string) =>
  new RegExp(
    `^${path
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\/:[A-Za-z0-9_]+(\\\{[^}]*\\\})?/g, '/[^/]+')
      .replace(/\*/g, '.*')}$`,
  )

/**
 * The field names each state-changing route's forms send, found by opening every page as an
 * admin, as a staff member and as a stranger. A route with no form found (an htmx-only action
 * added later, or Send to Email, whose form shows only after Generate Link) gets every field
 * name seen anywhere plus `extraNames`.
 */
export async function formFieldsByRoute(
  t: TestApp,
  w: PracticeWorld,
  routes: Route[],
  extraNames: string[] = [],
): Promise<Map<string, string[]>> {
  const viewers = [await signIn(t, w.adminEmail), await signIn(t, w.member.email), t.agent()]
  const urls = new Set<string>(['/forgot-password/verify?email=someone%40example.test'])
  const asInvitee: PracticeWorld = { ...w, member: { ...w.member, id: w.invitee.id } }
  for (const route of routes) {
    if (route.method !== 'GET') continue
    urls.add(fillPath(route.path, w))
    urls.add(fillPath(route.path, asInvitee))
  }
  const forms: FoundForm[] = []
  for (const viewer of viewers)
    for (const url of urls) {
      const response = await viewer.get(url)
      if ((response.headers.get('Content-Type') ?? '').includes('text/html')) forms.push(...formsIn(await response.text()))
    }
  const everything = new Set([...forms.flatMap((f) => [...f.fields]), ...extraNames])
  const result = new Map<string, string[]>()
  for (const route of routes) {
    if (!STATE_CHANGING.has(route.method)) continue
    const pattern = patternOf(route.path)
    const matching = forms.filter((f) => pattern.test(f.action))
    const fields = matching.length > 0 ? new Set(matching.flatMap((f) => [...f.fields])) : everything
    result.set(
      `${route.method} ${route.path}`,
      [...fields].filter((name) => name !== 'username'),
    )
  }
  return result
}
