import { and, desc, eq, exists, inArray, isNull, ne, notExists, sql, type SQL } from 'drizzle-orm'
import { accounts, emailOutbox, passwordResetLinks, practices, staff } from '../../db/schema'
import type { SelectedFields } from 'drizzle-orm/sqlite-core'
import type { Actor } from '../audit/audit'
import { isLiveLink } from '../auth/link-state'
import type { Database } from '../db'

// The rows behind an admin's reset link, as queries and statements for one batch: each write is
// guarded by the same condition its check reads, so a batch that checks and writes together
// changes nothing when a check fails.

/** The link that still works, when Generate Link would replace it: the admin is asked first. */
export interface LiveLink {
  createdAt: Date
  expiresAt: Date
  /** Where Send to Email sent it, if it was sent: replacing it breaks the link in that email. */
  emailedTo: string | null
}

/** Whose link it is: a staff member of the actor's practice with an account. */
export interface LinkTarget {
  actor: Actor
  staffId: string
}

const accountOf = (target: LinkTarget) => and(eq(accounts.staffId, target.staffId), eq(accounts.practiceId, target.actor.practiceId))

/** The account a link would be for, with what Generate Link checks. */
export const linkAccountQuery = (db: Database, target: LinkTarget) =>
  db.select({ id: accounts.id, disabledAt: accounts.disabledAt }).from(accounts).where(accountOf(target))

/** The account's newest live link, and where Send to Email sent it. */
export const liveLinkQuery = (db: Database, target: LinkTarget, now: Date) =>
  db
    .select({
      createdAt: passwordResetLinks.createdAt,
      expiresAt: passwordResetLinks.expiresAt,
      emailedTo: sql<string | null>`(${db
        .select({ recipient: emailOutbox.recipient })
        .from(emailOutbox)
        .where(and(eq(emailOutbox.refId, passwordResetLinks.id), eq(emailOutbox.template, 'reset-link')))
        .limit(1)})`,
    })
    .from(passwordResetLinks)
    .innerJoin(accounts, eq(accounts.id, passwordResetLinks.accountId))
    .where(and(accountOf(target), isLiveLink(passwordResetLinks, now)))
    .orderBy(desc(passwordResetLinks.createdAt))
    .limit(1)

const enabledAccountOf = (db: Database, target: LinkTarget) =>
  db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(accountOf(target), isNull(accounts.disabledAt)))

const liveLinkOfAccount = (db: Database, now: Date) =>
  db
    .select({ one: sql`1` })
    .from(passwordResetLinks)
    .where(and(eq(passwordResetLinks.accountId, accounts.id), isLiveLink(passwordResetLinks, now)))

/** Replace (when `replace`): every live link of the (enabled) account stops working. */
export const replaceLiveLinks = (db: Database, target: LinkTarget, now: Date, replace: boolean) =>
  db
    .update(passwordResetLinks)
    .set({ replacedAt: now })
    .where(
      and(
        replace ? undefined : sql`0`,
        inArray(passwordResetLinks.accountId, enabledAccountOf(db, target)),
        isLiveLink(passwordResetLinks, now),
      ),
    )

/** The new link, for an enabled account that has no live link left: returns its id when made. */
export function insertLinkUnlessLive(
  db: Database,
  target: LinkTarget,
  link: { id: string; secretHash: string; createdAt: Date; expiresAt: Date },
) {
  const { actor } = target
  return db
    .insert(passwordResetLinks)
    .select(
      db
        .select({
          id: sql<string>`${link.id}`.as('id'),
          secretHash: sql<string>`${link.secretHash}`.as('secret_hash'),
          accountId: accounts.id,
          practiceId: accounts.practiceId,
          createdByAccountId: sql<string>`${actor.accountId}`.as('created_by_account_id'),
          createdAt: sql<number>`${link.createdAt.getTime()}`.as('created_at'),
          expiresAt: sql<number>`${link.expiresAt.getTime()}`.as('expires_at'),
          usedAt: sql<null>`null`.as('used_at'),
          revokedAt: sql<null>`null`.as('revoked_at'),
          replacedAt: sql<null>`null`.as('replaced_at'),
        })
        .from(accounts)
        .where(and(accountOf(target), isNull(accounts.disabledAt), notExists(liveLinkOfAccount(db, link.createdAt)))),
    )
    .returning({ id: passwordResetLinks.id })
}

/** '; for another admin' when the link's account is an admin's other than the actor's, as SQL. */
export const forAnotherAdmin = (db: Database, actor: Actor): SQL<string> =>
  sql`case when ${exists(
    db
      .select({ one: sql`1` })
      .from(accounts)
      .innerJoin(staff, eq(staff.id, accounts.staffId))
      .where(and(eq(accounts.id, passwordResetLinks.accountId), eq(staff.role, 'admin'), ne(accounts.id, actor.accountId))),
  )} then '; for another admin' else '' end`

/** A live link of this staff member, by id and (for a token) the hash of its secret. */
export function liveLinkWhere(db: Database, target: LinkTarget, link: { id: string; secretHash?: string }, now: Date) {
  return and(
    eq(passwordResetLinks.id, link.id),
    eq(passwordResetLinks.practiceId, target.actor.practiceId),
    inArray(passwordResetLinks.accountId, db.select({ id: accounts.id }).from(accounts).where(accountOf(target))),
    link.secretHash === undefined ? undefined : eq(passwordResetLinks.secretHash, link.secretHash),
    isLiveLink(passwordResetLinks, now),
  )!
}

/** The params an email about a link reads from its person and practice. */
export const linkPersonParams = {
  firstName: staff.firstName,
  language: staff.language,
  practiceName: practices.name,
  timeZone: practices.timeZone,
}

/** The link's row joined to its person and practice: for an INSERT … SELECT of a message about it. */
export const selectFromLinkPerson = (db: Database, fields: SelectedFields, where: SQL) =>
  db
    .select(fields)
    .from(passwordResetLinks)
    .innerJoin(accounts, eq(accounts.id, passwordResetLinks.accountId))
    .innerJoin(staff, eq(staff.id, accounts.staffId))
    .innerJoin(practices, eq(practices.id, passwordResetLinks.practiceId))
    .where(where)
