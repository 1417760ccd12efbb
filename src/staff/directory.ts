import { and, asc, count, eq, inArray, sql } from 'drizzle-orm'
import { accounts, invitations, staff, staffEmails } from '../../db/schema'
import { isLiveLink } from '../auth/link-state'
import type { Deps } from '../deps'
import type { StatusFilter } from '../text/status-filters'
import { onboardingOf, onboardingQuery, type OnboardingCounts } from './onboarding'
import { portalStatusOf, type PortalStatus } from './portal-status'
import { staffFilter } from './staff-filter'

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
  status: StatusFilter | ''
  /** Only for the whole page: Search as you type does not recount the practice. */
  onboarding: OnboardingCounts | null
}

/** One page of the practice's staff, sorted by last name, filtered by the Search words and the Status. */
export async function listStaff(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { practiceId: string; q: string; page: number; status?: StatusFilter | ''; withOnboarding?: boolean },
): Promise<StaffPage> {
  const { db } = deps
  const { practiceId, withOnboarding, ...rest } = input
  const query = { ...rest, status: rest.status ?? '' }
  const now = deps.clock.now()
  const where = staffFilter(practiceId, query, now)
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
  // The plain list's page 1 walks the name index and stops at 25 rows. A Search or a Status
  // filter (and any page past the first) selects the page's ids first, then their columns: the
  // per-row subqueries run for the 25 rows shown, not for every match the sort or the OFFSET
  // passes over (docs/benchmarks.md).
  const idsFirst = offset > 0 || query.q !== '' || query.status !== ''
  const rowsQuery = !idsFirst
    ? db
        .select(columns)
        .from(staff)
        .leftJoin(accounts, eq(accounts.staffId, staff.id))
        .where(where)
        .orderBy(...order)
        .limit(PAGE_SIZE)
    : // The ids come from the practice-scoped `where`.
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
  const totalQuery = db.select({ value: count() }).from(staff).where(where)
  // One round trip either way: the counts ride in the same batch as the page.
  const [rows, [total], onboarding] = withOnboarding
    ? await db.batch([rowsQuery, totalQuery, onboardingQuery(db, practiceId, now)])
    : [...(await db.batch([rowsQuery, totalQuery])), null]
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
    status: query.status,
    onboarding: onboarding ? onboardingOf(onboarding) : null,
  }
}
