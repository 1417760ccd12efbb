import { insertAudit } from '../audit/audit'
import type { Deps } from '../deps'
import { deleteSession, type SessionUser } from './session'

/** Ends the browser's session and audits the logout, in one batch. */
export async function logOut(deps: Pick<Deps, 'db' | 'clock'>, input: { sessionId: string; user: SessionUser; ip: string }) {
  const { db } = deps
  const { user } = input
  await db.batch([
    deleteSession(db, input.sessionId),
    insertAudit(db, deps.clock.now(), {
      practiceId: user.practiceId,
      actorAccountId: user.accountId,
      targetStaffId: user.staffId,
      event: 'logout',
      ip: input.ip,
    }),
  ])
}
