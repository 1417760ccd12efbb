import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { accounts, emailOutbox, invitations, staff, staffEmails } from '../../db/schema'
import { isLiveLink } from '../auth/link-state'
import type { Deps } from '../deps'
import type { StatusFilter } from '../text/status-filters'
import { portalStatusOf, type PortalStatus } from './portal-status'
import { matchesSearch } from './staff-search'

export const PAGE_SIZE = 25

/** What the statuses are made of, as conditions on a staff row (correlated on staff.id). */
function statusParts(now: Date) {
  const hasAccount = sql`exists (select 1 from ${accounts} where ${accounts.staffId} = ${staff.id})`
  const live = and(eq(invitations.staffId, staff.id), isLiveLink(invitations, now))
  const hasLive = sql`exists (select 1 from ${invitations} where ${live})`
  // Ended by time alone: a revoked or replaced link is not "expired".
  const hasExpired = sql`exists (select 1 from ${invitations} where ${invitations.staffId} = ${staff.id}
    and ${invitations.usedAt} is null and ${invitations.revokedAt} is null and ${invitations.replacedAt} is null
    and ${invitations.expiresAt} <= ${now.getTime()})`
  const undelivered = sql`exists (select 1 from ${invitations} join ${emailOutbox} on ${emailOutbox.refId} = ${invitations.id}
    where ${live} and ${emailOutbox.status} = 'failed')`
  return { hasAccount, hasLive, hasExpired, undelivered }
}

/** Each Status filter as a condition on a staff row (correlated on staff.id). */
function statusConditions(now: Date): Record<StatusFilter, SQL> {
  const { hasAccount, hasLive, hasExpired, undelivered } = statusParts(now)
  return {
    'signed-up': hasAccount,
    'signup-initiated': sql`(not ${hasAccount} and ${hasLive})`,
    'yet-to-sign-up': sql`(not ${hasAccount} and not ${hasLive})`,
    'invitation-expired': sql`(not ${hasAccount} and not ${hasLive} and ${hasExpired})`,
    'email-not-delivered': sql`(not ${hasAccount} and ${undelivered})`,
    'access-disabled': sql`exists (select 1 from ${accounts} where ${accounts.staffId} = ${staff.id} and ${accounts.disabledAt} is not null)`,
    inactive: eq(staff.isActive, false),
  }
}

/** The practice's staff that Search and the Status filter select: the list, the selection and the export share it. */
export function staffFilter(practiceId: string, query: { q: string; status: StatusFilter | '' }, now: Date): SQL {
  const search = query.q === '' ? eq(staff.practiceId, practiceId) : matchesSearch(practiceId, query.q)
  return query.status === '' ? search : and(search, statusConditions(now)[query.status])!
}

/** "Select all N matching": the ids of everyone the filter selects, up to `limit` (null: more than that). */
export async function matchingStaffIds(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { practiceId: string; q: string; status: StatusFilter | ''; limit: number },
): Promise<string[] | null> {
  const rows = await deps.db
    .select({ id: staff.id })
    .from(staff)
    .where(staffFilter(input.practiceId, input, deps.clock.now()))
    .limit(input.limit + 1)
  return rows.length > input.limit ? null : rows.map((r) => r.id)
}

/** Where the practice stands: the count of each onboarding status, from one query. */
export type OnboardingCounts = Record<
  'signed-up' | 'signup-initiated' | 'yet-to-sign-up' | 'invitation-expired' | 'email-not-delivered',
  number
>

function onboardingQuery(db: Deps['db'], practiceId: string, now: Date) {
  const { hasAccount, hasLive, hasExpired, undelivered } = statusParts(now)
  // Each active profile's one onboarding kind, its conditions tested in order and each at most
  // once: the five sums of the statuses' own conditions ran about ten correlated subqueries per
  // row, 38 ms of CPU at 10,000 staff; this is about half (docs/benchmarks.md). The counts are
  // the same: `undelivered` needs a live invitation, so it lies inside "signup initiated".
  const kind = sql<number>`case when ${hasAccount} then ${KIND.signedUp}
    when ${hasLive} then (case when ${undelivered} then ${KIND.undelivered} else ${KIND.initiated} end)
    when ${hasExpired} then ${KIND.expired} else ${KIND.yetToSignUp} end`
  // Inactive profiles are not part of onboarding.
  return db
    .select({ kind: kind.as('kind'), people: count() })
    .from(staff)
    .where(and(eq(staff.practiceId, practiceId), eq(staff.isActive, true)))
    .groupBy(sql`kind`)
}

const KIND = { yetToSignUp: 0, signedUp: 1, initiated: 2, undelivered: 3, expired: 4 } as const

const onboardingOf = (rows: { kind: number; people: number }[]): OnboardingCounts => {
  const n = (kind: number) => Number(rows.find((row) => Number(row.kind) === kind)?.people ?? 0)
  return {
    'signed-up': n(KIND.signedUp),
    'signup-initiated': n(KIND.initiated) + n(KIND.undelivered),
    'yet-to-sign-up': n(KIND.yetToSignUp) + n(KIND.expired),
    'invitation-expired': n(KIND.expired),
    'email-not-delivered': n(KIND.undelivered),
  }
}

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

/** Export CSV on Staffs: everyone the filter selects, with every address on file. */
export const STAFF_CSV_HEADER = [
  'First Name',
  'Last Name',
  'Credentials',
  'Email',
  'Email 2',
  'Email 3',
  'Phone',
  'Access Level',
  'Active',
  'Portal Status',
]

export async function exportStaffRows(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { practiceId: string; q: string; status: StatusFilter | '' },
): Promise<string[][]> {
  const { db } = deps
  const now = deps.clock.now()
  const where = staffFilter(input.practiceId, input, now)
  const [people, emails] = await db.batch([
    db
      .select({
        id: staff.id,
        firstName: staff.firstName,
        lastName: staff.lastName,
        credentials: staff.credentials,
        phone: staff.phone,
        role: staff.role,
        isActive: staff.isActive,
        hasAccount: sql<number>`exists (select 1 from ${accounts} where ${accounts.staffId} = ${staff.id})`,
        hasPendingInvitation: sql<number>`exists (select 1 from ${invitations} where ${and(eq(invitations.staffId, staff.id), isLiveLink(invitations, now))})`,
      })
      .from(staff)
      .where(where)
      .orderBy(sql`${staff.lastName} collate nocase`, sql`${staff.firstName} collate nocase`, asc(staff.id)),
    db
      .select({ staffId: staffEmails.staffId, email: staffEmails.email })
      .from(staffEmails)
      .where(
        and(
          eq(staffEmails.practiceId, input.practiceId),
          inArray(staffEmails.staffId, db.select({ id: staff.id }).from(staff).where(where)),
        ),
      )
      .orderBy(asc(staffEmails.staffId), sql`${staffEmails.isPrimary} desc`, asc(staffEmails.position)),
  ])
  const emailsOf = new Map<string, string[]>()
  for (const e of emails) emailsOf.set(e.staffId, [...(emailsOf.get(e.staffId) ?? []), e.email])
  return people.map((p) => {
    const [email1 = '', email2 = '', email3 = ''] = emailsOf.get(p.id) ?? []
    const status = portalStatusOf({ hasAccount: Boolean(p.hasAccount), hasPendingInvitation: Boolean(p.hasPendingInvitation) })
    return [
      p.firstName,
      p.lastName,
      p.credentials,
      email1,
      email2,
      email3,
      p.phone,
      p.role === 'admin' ? 'Admin' : 'Staff',
      p.isActive ? 'Yes' : 'No',
      status,
    ]
  })
}
