import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { accounts, invitations, staff, staffEmails } from '../../db/schema'
import { isLiveLink } from '../auth/link-state'
import type { Deps } from '../deps'
import type { StatusFilter } from '../text/status-filters'
import { portalStatusOf } from './portal-status'
import { staffFilter } from './staff-filter'

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
