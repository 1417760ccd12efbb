import { and, eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import { staff } from '../../db/schema'
import { ActivityPage } from '../../views/pages/activity'
import { activityCountQuery, activityQuery, EVENT_LABELS, toActivityRow } from '../audit/activity'
import { currentUser, type AppEnv } from '../http/env'
import { requireAdmin } from '../http/guards'
import { render } from '../http/render'

const PAGE_SIZE = 50

const filterSchema = z.object({
  staff: z
    .string()
    .regex(/^[a-z2-7]{16}$/)
    .catch(''),
  // Words typed into the Staff field; the same prefix matching as the Staffs Search.
  person: z
    .string()
    .transform((value) => value.trim().replace(/\s+/g, ' ').slice(0, 100))
    .catch(''),
  event: z
    .string()
    .refine((value) => value in EVENT_LABELS)
    .catch(''),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
})

/** The practice-wide audit trail: read only, filterable by person and event. */
export function activityRoutes() {
  const app = new Hono<AppEnv>()
  app.use('*', requireAdmin)

  app.get('/', async (c) => {
    const { db } = c.get('deps')
    const user = currentUser(c)
    const filter = filterSchema.parse({
      staff: c.req.query('staff') ?? '',
      person: c.req.query('person') ?? '',
      event: c.req.query('event') ?? '',
      page: c.req.query('page'),
    })
    // One person chosen by id (the profile's "All activity for this person") wins over typed words.
    const person = filter.staff ? '' : filter.person
    const where = { staffId: filter.staff || undefined, person: person || undefined, event: filter.event || undefined }
    // No list of every staff member to choose from: at thousands of staff it was most of the page.
    const [rows, [total], [chosen]] = await db.batch([
      activityQuery(db, user.practiceId, where, PAGE_SIZE, (filter.page - 1) * PAGE_SIZE),
      activityCountQuery(db, user.practiceId, where),
      db
        .select({ firstName: staff.firstName, lastName: staff.lastName })
        .from(staff)
        .where(and(eq(staff.id, filter.staff || ''), eq(staff.practiceId, user.practiceId))),
    ])
    const count = total?.value ?? 0
    return render(
      c,
      <ActivityPage
        user={user}
        rows={rows.map(toActivityRow)}
        total={count}
        page={filter.page}
        pageCount={Math.max(1, Math.ceil(count / PAGE_SIZE))}
        filter={{ staff: filter.staff, person, event: filter.event }}
        chosenName={filter.staff ? (chosen ? `${chosen.firstName} ${chosen.lastName}` : null) : undefined}
      />,
    )
  })

  return app
}
