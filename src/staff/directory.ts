import { and, asc, count, eq, inArray, sql } from 'drizzle-orm'
import { accounts, invitations, staff, staffEmails } from '../../db/schema'
import { isLiveLink } from '../auth/link-state'
import type { Deps } from '../deps'
import { portalStatusOf, type PortalStatus } from './portal-status'
import { matchesSearch } from './staff-search'

export const PAGE_SIZE = 25

export interface StaffRow {
  id: string
  firstName: string
  lastName: string
  credentials: string
  isActive: boolean
  primaryEmail: string | null
  status: PortalStatus
}

export interface StaffPage {
  rows: StaffRow[]
  total: number
  page: number
  pageCount: number
  q: string
}

/** One page of the practice's staff, sorted by last name, filtered by the Search words. */
export async function listStaff(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { practiceId: string; q: string; page: number },
): Promise<StaffPage> {
  const { db } = deps
  const { practiceId, ...query } = input
  const now = deps.clock.now()
  const where = query.q === '' ? eq(staff.practiceId, practiceId) : matchesSearch(practiceId, query.q)
  const hasPendingInvitation = sql<number>`exists (select 1 from ${invitations} where ${and(
    eq(invitations.staffId, staff.id),
    isLiveLink(invitations, now),
  )})`
  const primaryEmail = sql<
    string | null
  >`(select ${staffEmails.email} from ${staffEmails} where ${staffEmails.staffId} = ${staff.id} and ${staffEmails.isPrimary} = 1)`
  const order = [sql`${staff.lastName} collate nocase`, sql`${staff.firstName} collate nocase`, asc(staff.id)]
  const offset = (query.page - 1) * PAGE_SIZE
  const columns = {
    id: staff.id,
    firstName: staff.firstName,
    lastName: staff.lastName,
    credentials: staff.credentials,
    isActive: staff.isActive,
    primaryEmail,
    accountId: accounts.id,
    hasPendingInvitation,
  }
  const rowsQuery =
    offset === 0
      ? db
          .select(columns)
          .from(staff)
          .leftJoin(accounts, eq(accounts.staffId, staff.id))
          .where(where)
          .orderBy(...order)
          .limit(PAGE_SIZE)
      : // Past page 1, the page's ids first, then their columns: the subqueries run for the 25
        // rows shown, not for every row the OFFSET skips (docs/benchmarks.md).
        // The ids come from the practice-scoped `where`.
        db
          .select(columns)
          .from(staff)
          .leftJoin(accounts, eq(accounts.staffId, staff.id))
          .where(
            inArray(
              staff.id,
              db
                .select({ id: staff.id })
                .from(staff)
                .where(where)
                .orderBy(...order)
                .limit(PAGE_SIZE)
                .offset(offset),
            ),
          )
          .orderBy(...order)
  const [rows, [total]] = await db.batch([rowsQuery, db.select({ value: count() }).from(staff).where(where)])
  const totalCount = total?.value ?? 0
  return {
    rows: rows.map(({ accountId, hasPendingInvitation, ...row }) => ({
      ...row,
      status: portalStatusOf({ hasAccount: accountId !== null, hasPendingInvitation: Boolean(hasPendingInvitation) }),
    })),
    total: totalCount,
    page: query.page,
    pageCount: Math.max(1, Math.ceil(totalCount / PAGE_SIZE)),
    q: query.q,
  }
}
