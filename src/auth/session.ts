import { and, eq, lt, sql, type Placeholder, type SQL } from 'drizzle-orm'
import { accounts, practices, sessions, staff } from '../../db/schema'
import type { Database } from '../db'
import type { Deps } from '../deps'
import type { Locale } from '../text/locale'
import { issueToken, parseToken, verifySecret } from './tokens'

/** Practice Settings "Sign Out After": the idle limit each practice picks, in minutes. */
export const SESSION_IDLE_MINUTES = { min: 5, max: 60, default: 30 } as const
export const SESSION_IDLE_MS = SESSION_IDLE_MINUTES.default * 60 * 1000
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000

/** A practice's idle limit in ms; a value outside the allowed range (a hand-edited row) is held to it. */
export function idleLimitMs(minutes: number): number {
  const bounded = Math.min(
    SESSION_IDLE_MINUTES.max,
    Math.max(SESSION_IDLE_MINUTES.min, Math.trunc(minutes) || SESSION_IDLE_MINUTES.default),
  )
  return bounded * 60 * 1000
}
// Writing last_seen_at on every request would double the round trips; a minute of slack
// on a 30-minute idle limit is harmless.
const TOUCH_AFTER_MS = 60 * 1000

export interface SessionUser {
  accountId: string
  staffId: string
  practiceId: string
  practiceName: string
  timeZone: string
  email: string
  role: 'staff' | 'admin'
  firstName: string
  lastName: string
  /** The language of this person's pages and emails. */
  language: Locale
  /** The practice's "Sign Out After", in minutes. */
  sessionIdleMinutes: number
}

export interface SessionInfo {
  id: string
  createdAt: Date
  lastSeenAt: Date
  /** Opens only "Set Up Two-Step Sign-In" until a factor is on (the practice requires one). */
  twoStepSetup: boolean
}

export type SessionValidation = { session: SessionInfo; user: SessionUser } | { session: null; user: null }

const none = { session: null, user: null } as const

export async function createSession(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { accountId: string; ip: string; userAgent: string; twoStepSetup?: boolean },
): Promise<{ token: string; session: SessionInfo }> {
  const { token, session, insert } = newSession(deps.db, deps.clock.now(), input)
  await insert
  return { token, session }
}

/**
 * A new session for the caller's batch: its token, what it is, and the statement that stores it.
 * With `onlyIf`, an INSERT … SELECT that stores it only where that condition holds when it runs
 * (a login whose last check is a later statement of the same batch).
 */
export function newSession(
  db: Database,
  now: Date,
  input: { accountId: string; ip: string; userAgent: string; twoStepSetup?: boolean },
  onlyIf?: SQL,
) {
  const { id, token, secretHash } = issueToken()
  const { accountId, twoStepSetup = false, ...meta } = input
  const ip = meta.ip.slice(0, 64)
  const userAgent = meta.userAgent.slice(0, 256)
  const insert = onlyIf
    ? db.insert(sessions).select(
        db
          .select({
            id: sql<string>`${id}`.as('id'),
            secretHash: sql<string>`${secretHash}`.as('secret_hash'),
            accountId: accounts.id,
            createdAt: sql<number>`${now.getTime()}`.as('created_at'),
            lastSeenAt: sql<number>`${now.getTime()}`.as('last_seen_at'),
            ip: sql<string>`${ip}`.as('ip'),
            userAgent: sql<string>`${userAgent}`.as('user_agent'),
            twoStepSetup: sql<number>`${twoStepSetup ? 1 : 0}`.as('two_step_setup'),
          })
          .from(accounts)
          .where(and(eq(accounts.id, accountId), onlyIf)),
      )
    : db.insert(sessions).values({ id, secretHash, accountId, createdAt: now, lastSeenAt: now, ip, userAgent, twoStepSetup })
  const session: SessionInfo = { id, createdAt: now, lastSeenAt: now, twoStepSetup }
  return { token, session, insert }
}

// Every request checks its session, so the statement is built once per database: composing
// this join on each request was half of a redirect's CPU (docs/benchmarks.md).
function buildSessionQuery(db: Database) {
  return db
    .select({
      id: sessions.id,
      secretHash: sessions.secretHash,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      twoStepSetup: sessions.twoStepSetup,
      accountId: accounts.id,
      disabledAt: accounts.disabledAt,
      email: accounts.email,
      staffId: staff.id,
      isActive: staff.isActive,
      role: staff.role,
      firstName: staff.firstName,
      lastName: staff.lastName,
      language: staff.language,
      practiceId: practices.id,
      practiceName: practices.name,
      timeZone: practices.timeZone,
      sessionIdleMinutes: practices.sessionIdleMinutes,
    })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .innerJoin(staff, eq(staff.id, accounts.staffId))
    .innerJoin(practices, eq(practices.id, staff.practiceId))
    .where(eq(sessions.id, sql.placeholder('id')))
    .prepare()
}

const sessionQueries = new WeakMap<Database, ReturnType<typeof buildSessionQuery>>()

function sessionQuery(db: Database) {
  let query = sessionQueries.get(db)
  if (!query) sessionQueries.set(db, (query = buildSessionQuery(db)))
  return query
}

export async function validateSessionToken(deps: Pick<Deps, 'db' | 'clock'>, token: string): Promise<SessionValidation> {
  const { db, clock } = deps
  const parsed = parseToken(token)
  if (!parsed) return none
  const [row] = await sessionQuery(db).all({ id: parsed.id })
  if (!row || !verifySecret(parsed.secret, row.secretHash)) return none

  const now = clock.now().getTime()
  // The practice's own idle limit, read in the same joined statement: no extra round trip.
  const expired = now - row.lastSeenAt.getTime() >= idleLimitMs(row.sessionIdleMinutes) || now - row.createdAt.getTime() >= SESSION_MAX_MS
  if (expired || row.disabledAt || !row.isActive) {
    await invalidateSession(deps, row.id)
    return none
  }
  return {
    session: { id: row.id, createdAt: row.createdAt, lastSeenAt: row.lastSeenAt, twoStepSetup: row.twoStepSetup },
    user: {
      accountId: row.accountId,
      staffId: row.staffId,
      practiceId: row.practiceId,
      practiceName: row.practiceName,
      timeZone: row.timeZone,
      email: row.email,
      role: row.role,
      firstName: row.firstName,
      lastName: row.lastName,
      language: row.language,
      sessionIdleMinutes: idleLimitMs(row.sessionIdleMinutes) / 60_000,
    },
  }
}

/** The session was last recorded long enough ago that this request should record it again. */
export function sessionNeedsTouch(session: SessionInfo, now: Date): boolean {
  return now.getTime() - session.lastSeenAt.getTime() >= TOUCH_AFTER_MS
}

/**
 * Records that the session was used at `now`. Never moves last_seen_at backwards, so a touch
 * that runs late cannot shorten a session another request has already extended.
 */
export async function touchSession(deps: Pick<Deps, 'db'>, input: { sessionId: string; now: Date }): Promise<void> {
  const { sessionId, now } = input
  await deps.db
    .update(sessions)
    .set({ lastSeenAt: now })
    .where(and(eq(sessions.id, sessionId), lt(sessions.lastSeenAt, now)))
}

/**
 * A session used within its practice's idle limit: for lists of live sessions, where the
 * practice's setting is read by a subquery so the list stays one statement.
 */
export function isWithinIdleLimit(practiceId: string | Placeholder, now: Date | Placeholder) {
  return sql`${sessions.lastSeenAt} > ${now instanceof Date ? now.getTime() : now} - 60000 * coalesce((select ${practices.sessionIdleMinutes} from ${practices} where ${practices.id} = ${practiceId}), ${SESSION_IDLE_MINUTES.default})`
}

export async function invalidateSession(deps: Pick<Deps, 'db'>, sessionId: string): Promise<void> {
  await deleteSession(deps.db, sessionId)
}

/** Ends one session: a statement for the caller's batch; with `onlyIf`, only where that holds. */
export function deleteSession(db: Database, sessionId: string, onlyIf?: SQL) {
  return db.delete(sessions).where(and(eq(sessions.id, sessionId), onlyIf))
}

/** A first factor is on: the account's sessions held to "Set Up Two-Step Sign-In" open everything again. */
export function endTwoStepSetup(db: Database, accountId: string, onlyIf?: SQL) {
  return db
    .update(sessions)
    .set({ twoStepSetup: false })
    .where(and(eq(sessions.accountId, accountId), eq(sessions.twoStepSetup, true), onlyIf))
}
