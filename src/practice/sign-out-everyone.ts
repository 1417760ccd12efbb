import { and, eq, inArray, ne } from 'drizzle-orm'
import { accounts, sessions } from '../../db/schema'
import { insertAudit, type Actor } from '../audit/audit'
import type { Deps } from '../deps'

/**
 * Practice Settings' "Sign Out Everyone" (ASVS 7.4.5): ends every session of the practice's
 * accounts except the admin's own current one, and audits how many ended.
 */
export async function signOutEveryone(deps: Pick<Deps, 'db' | 'clock'>, input: { actor: Actor; keepSessionId: string }) {
  const { db } = deps
  const { actor, keepSessionId } = input
  const practiceAccounts = db.select({ id: accounts.id }).from(accounts).where(eq(accounts.practiceId, actor.practiceId))
  const ended = await db
    .delete(sessions)
    .where(and(inArray(sessions.accountId, practiceAccounts), ne(sessions.id, keepSessionId)))
    .returning({ id: sessions.id })
  await db.batch([
    insertAudit(db, deps.clock.now(), {
      practiceId: actor.practiceId,
      actorAccountId: actor.accountId,
      event: 'sessions.ended_practice',
      ip: actor.ip,
      detail: `${ended.length} session${ended.length === 1 ? '' : 's'} ended`,
    }),
  ])
  return { ended: ended.length }
}
