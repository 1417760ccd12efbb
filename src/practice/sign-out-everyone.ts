import { and, eq, inArray, ne, sql } from 'drizzle-orm'
import { accounts, practices, sessions } from '../../db/schema'
import { insertAuditWhere, type Actor } from '../audit/audit'
import type { Deps } from '../deps'

/**
 * Practice Settings' "Sign Out Everyone" (ASVS 7.4.5): ends every session of the practice's
 * accounts except the admin's own current one. One batch: the audit row, counting the sessions
 * about to end, then the delete.
 */
export async function signOutEveryone(deps: Pick<Deps, 'db' | 'clock'>, input: { actor: Actor; keepSessionId: string }) {
  const { db } = deps
  const { actor, keepSessionId } = input
  const practiceAccounts = db.select({ id: accounts.id }).from(accounts).where(eq(accounts.practiceId, actor.practiceId))
  const ending = and(inArray(sessions.accountId, practiceAccounts), ne(sessions.id, keepSessionId))
  const count = sql`(select count(*) from ${sessions} where ${ending})`
  const [, ended] = await db.batch([
    insertAuditWhere(
      db,
      deps.clock.now(),
      {
        practiceId: actor.practiceId,
        actorAccountId: actor.accountId,
        targetStaffId: null,
        event: 'sessions.ended_practice',
        ip: actor.ip,
        detail: sql<string>`${count} || case when ${count} = 1 then ' session ended' else ' sessions ended' end`,
      },
      practices,
      eq(practices.id, actor.practiceId),
    ),
    db.delete(sessions).where(ending).returning({ id: sessions.id }),
  ])
  return { ended: ended.length }
}
