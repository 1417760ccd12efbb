import { insertAudit } from '../audit/audit'
import type { Deps } from '../deps'
import { invalidateSession, type SessionUser } from './session'

/** Ends the browser's session and audits the logout. */
export async function logOut(deps: Pick<Deps, 'db' | 'clock'>, input: { sessionId: string; user: SessionUser; ip: string }) {
  const { user } = input
  await invalidateSession(deps, input.sessionId)
  await insertAudit(deps.db, deps.clock.now(), {
    practiceId: user.practiceId,
    actorAccountId: user.accountId,
    targetStaffId: user.staffId,
    event: 'logout',
    ip: input.ip,
  })
}
