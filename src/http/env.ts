import type { Context } from 'hono'
import type { SessionInfo, SessionUser } from '../auth/session'
import type { Deps } from '../deps'

export interface AppEnv {
  Variables: {
    deps: Deps
    session: SessionInfo | null
    user: SessionUser | null
  }
}

export type AppContext = Context<AppEnv>

/** The signed-in user on routes behind requireUser/requireAdmin. */
export function currentUser(c: AppContext): SessionUser {
  const user = c.get('user')
  if (!user) throw new Error('currentUser() used on a route without an authentication guard')
  return user
}
