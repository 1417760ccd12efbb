import type { BatchItem, BatchResponse } from 'drizzle-orm/batch'
import { alias } from 'drizzle-orm/sqlite-core'
import { and, asc, count, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm'
import {
  accounts,
  emailOutbox,
  invitations,
  loginEmailChanges,
  loginFailures,
  passkeys,
  passwordResetLinks,
  recoveryCodes,
  sessions,
  staff,
  staffEmails,
  totpFactors,
} from '../../db/schema'
import type { Invitation, Staff, StaffEmail } from '../../db/schema'
import { activityQuery, toActivityRow, type ActivityRow } from '../activity/activity'
import { isLiveLink, linkState, type LinkState } from '../auth/link-state'
import { isWithinIdleLimit } from '../auth/session'
import { loginHoldOf, type LoginHold } from '../auth/throttle'
import type { Deps } from '../deps'
import type { DeliveryRecord } from '../email/outbox'
import { portalStatusOf, type PortalStatus } from '../staff/portal-status'
import { fullName } from '../text/format'
import { preparedReads } from '../db-prepared'

// The admin's view of one staff member: Details and Staff Portal tabs, read in one round trip.

export interface InvitationView {
  id: string
  email: string
  createdAt: Date
  expiresAt: Date
  endedAt: Date | null
  state: Exclude<LinkState, 'unknown'>
  /** Why an edit of the profile revoked it; null when the admin pressed Revoke. */
  revokedReason: Invitation['revokedReason']
  invitedBy: string | null
  delivery: { status: 'pending' | 'sent' | 'failed' | 'cancelled'; error: string } | null
}

export interface StaffProfile {
  staff: Staff
  emails: StaffEmail[]
  account: { id: string; email: string; createdAt: Date; lastLoginAt: Date | null; disabledAt: Date | null } | null
  /** Newest first. */
  invitations: InvitationView[]
  pending: InvitationView | null
  /** A new login email waiting for its owner to follow the link sent to it, if any. */
  loginEmailChange: { newEmail: string; createdAt: Date; expiresAt: Date } | null
  /** The account's reset link that still works, if any. */
  resetLink: { id: string; createdAt: Date; expiresAt: Date } | null
  /** Failed logins in a row at the account's address, and what they mean for the next try. */
  loginFailures: number
  loginHold: LoginHold
  activeSessions: number
  /** The account's second factors, for the admin's view of its two-step sign-in. */
  twoStep: ProfileTwoStep
  /** Newest first, the last few. */
  activity: ActivityRow[]
  status: PortalStatus
}

export interface ProfileTwoStep {
  app: boolean
  passkeys: string[]
  recoveryCodesLeft: number
}

const ACTIVITY_LIMIT = 15
const HISTORY_LIMIT = 20

// Built once per database (src/db-prepared.ts): composing these twelve selects on every
// request cost more CPU than SQLite answering them (docs/benchmarks.md).
const profileReads = preparedReads((db) => {
  const staffId = sql.placeholder('staffId')
  const practiceId = sql.placeholder('practiceId')
  const now = sql.placeholder('now')
  const latestDelivery = (column: 'status' | 'last_error') =>
    sql<
      string | null
    >`(select ${sql.raw(column)} from ${emailOutbox} where ${emailOutbox.refId} = ${invitations.id} order by ${emailOutbox.createdAt} desc limit 1)`
  const inviter = alias(staff, 'inviter')
  const ofStaff = and(eq(accounts.staffId, staffId), eq(accounts.practiceId, practiceId))
  const accountOfStaff = db.select({ id: accounts.id }).from(accounts).where(ofStaff)
  return [
    db
      .select()
      .from(staff)
      .where(and(eq(staff.id, staffId), eq(staff.practiceId, practiceId))),
    db
      .select()
      .from(staffEmails)
      .where(and(eq(staffEmails.staffId, staffId), eq(staffEmails.practiceId, practiceId)))
      .orderBy(asc(staffEmails.position)),
    db
      .select({
        id: accounts.id,
        email: accounts.email,
        createdAt: accounts.createdAt,
        lastLoginAt: accounts.lastLoginAt,
        disabledAt: accounts.disabledAt,
      })
      .from(accounts)
      .where(ofStaff),
    db
      .select({
        invitation: invitations,
        inviterFirst: inviter.firstName,
        inviterLast: inviter.lastName,
        deliveryStatus: latestDelivery('status'),
        deliveryError: latestDelivery('last_error'),
      })
      .from(invitations)
      .leftJoin(accounts, eq(accounts.id, invitations.invitedByAccountId))
      .leftJoin(inviter, eq(inviter.id, accounts.staffId))
      .where(and(eq(invitations.staffId, staffId), eq(invitations.practiceId, practiceId)))
      .orderBy(desc(invitations.createdAt))
      .limit(HISTORY_LIMIT),
    db
      .select({ id: passwordResetLinks.id, createdAt: passwordResetLinks.createdAt, expiresAt: passwordResetLinks.expiresAt })
      .from(passwordResetLinks)
      .innerJoin(accounts, eq(accounts.id, passwordResetLinks.accountId))
      .where(and(eq(accounts.staffId, staffId), eq(passwordResetLinks.practiceId, practiceId), isLiveLink(passwordResetLinks, now)))
      .orderBy(desc(passwordResetLinks.createdAt))
      .limit(1),
    db.select({ failures: loginFailures.failures }).from(loginFailures).where(inArray(loginFailures.accountId, accountOfStaff)),
    db
      .select({ value: count() })
      .from(sessions)
      .where(and(inArray(sessions.accountId, accountOfStaff), isWithinIdleLimit(practiceId, now))),
    activityQuery(db, practiceId, { staffId }, ACTIVITY_LIMIT),
    db
      .select({ newEmail: loginEmailChanges.newEmail, createdAt: loginEmailChanges.createdAt, expiresAt: loginEmailChanges.expiresAt })
      .from(loginEmailChanges)
      .where(
        and(
          inArray(loginEmailChanges.accountId, accountOfStaff),
          eq(loginEmailChanges.practiceId, practiceId),
          isNull(loginEmailChanges.usedAt),
          isNull(loginEmailChanges.replacedAt),
          gt(loginEmailChanges.expiresAt, now),
        ),
      )
      .orderBy(desc(loginEmailChanges.createdAt))
      .limit(1),
    db
      .select({ status: totpFactors.status })
      .from(totpFactors)
      .where(and(inArray(totpFactors.accountId, accountOfStaff), eq(totpFactors.status, 'enabled'))),
    db.select({ name: passkeys.name }).from(passkeys).where(inArray(passkeys.accountId, accountOfStaff)).orderBy(asc(passkeys.createdAt)),
    db
      .select({ value: count() })
      .from(recoveryCodes)
      .where(and(inArray(recoveryCodes.accountId, accountOfStaff), isNull(recoveryCodes.usedAt))),
  ] as const
})

/** The profile, or null when no such staff member exists in this practice. */
export async function getStaffProfile(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: {
    practiceId: string
    staffId: string
    /** Writes to run first in the same batch (an action's delivery record), so the profile shows them. */
    first?: DeliveryRecord[]
  },
): Promise<StaffProfile | null> {
  const { db } = deps
  const now = deps.clock.now()
  const reads = profileReads(db, { staffId: input.staffId, practiceId: input.practiceId, now })
  const first: BatchItem<'sqlite'>[] = input.first ?? []
  // Reads come after the writes in one batch: the profile shows what they wrote.
  const results = (
    first.length > 0
      ? (await db.batch([...first, ...reads] as unknown as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]])).slice(first.length)
      : await db.batch(reads)
  ) as BatchResponse<typeof reads>
  const [[member], emails, [account], invitationRows, [resetLink], [failures], [sessionCount], activity, [newLogin], [app], keys, [codes]] =
    results
  if (!member) return null
  const history: InvitationView[] = invitationRows.map(({ invitation: i, inviterFirst, inviterLast, deliveryStatus, deliveryError }) => ({
    id: i.id,
    email: i.email,
    createdAt: i.createdAt,
    expiresAt: i.expiresAt,
    endedAt: i.usedAt ?? i.revokedAt ?? i.replacedAt,
    state: linkState(i, now),
    revokedReason: i.revokedReason,
    invitedBy: inviterFirst ? fullName({ firstName: inviterFirst, lastName: inviterLast ?? '' }) : null,
    delivery: deliveryStatus ? { status: deliveryStatus as 'pending' | 'sent' | 'failed' | 'cancelled', error: deliveryError ?? '' } : null,
  }))
  const pending = history.find((i) => i.state === 'valid') ?? null
  const failureCount = failures?.failures ?? 0
  return {
    staff: member,
    emails,
    account: account ?? null,
    invitations: history,
    pending,
    resetLink: resetLink ?? null,
    loginEmailChange: newLogin ?? null,
    loginFailures: failureCount,
    loginHold: loginHoldOf(failureCount),
    activeSessions: sessionCount?.value ?? 0,
    twoStep: { app: app !== undefined, passkeys: keys.map((k) => k.name), recoveryCodesLeft: codes?.value ?? 0 },
    activity: activity.map(toActivityRow),
    status: portalStatusOf({ hasAccount: account !== undefined, hasPendingInvitation: pending !== null }),
  }
}
