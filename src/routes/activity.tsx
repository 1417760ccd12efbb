import { asc, eq, sql } from 'drizzle-orm'
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
  staff: z.string().regex(/^[a-z2-7]{16}$/).catch(''),
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
    const filter = filterSchema.parse({ staff: c.req.query('staff') ?? '', event: c.req.query('event') ?? '', page: c.req.query('page') })
    const where = { staffId: filter.staff || undefined, event: filter.event || undefined }
    const [rows, [total], staffOptions] = await db.batch([
      activityQuery(db, user.practiceId, where, PAGE_SIZE, (filter.page - 1) * PAGE_SIZE),
      activityCountQuery(db, user.practiceId, where),
      db
        .select({ id: staff.id, name: sql<string>`${staff.lastName} || ', ' || ${staff.firstName}` })
        .from(staff)
        .where(eq(staff.practiceId, user.practiceId))
        .orderBy(asc(sql`${staff.lastName} collate nocase`), asc(sql`${staff.firstName} collate nocase`)),
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
        filter={{ staff: filter.staff, event: filter.event }}
        staffOptions={staffOptions}
      />,
    )
  })

  return app
}
