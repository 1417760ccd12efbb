import type { Context } from 'hono'
import type { Actor } from '../audit/audit'
import type { SessionInfo, SessionUser } from '../auth/session'
import type { Deps } from '../deps'
import type { Locale } from '../text/locale'

export interface AppEnv {
  Variables: {
    deps: Deps
    /** The client's address as the host trusts it ('' when it trusts none). */
    ip: string
    session: SessionInfo | null
    user: SessionUser | null
    /** The request came with a session cookie that no longer works (idle, too old, or ended). */
    sessionEnded: boolean
    /** The language of the staff-facing words (src/http/locale.ts). */
    locale: Locale
  }
}

export type AppContext = Context<AppEnv>

/** The signed-in user on routes behind requireUser/requireAdmin. */
export function currentUser(c: AppContext): SessionUser {
  const user = c.get('user')
  if (!user) throw new Error('currentUser() used on a route without an authentication guard')
  return user
}

/** The signed-in user as the actor of a change, for use cases and their audit rows. */
export function actorOf(c: AppContext): Actor {
  const user = currentUser(c)
  return { practiceId: user.practiceId, accountId: user.accountId, ip: c.get('ip') }
}
