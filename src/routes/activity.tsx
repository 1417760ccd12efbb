import { Hono } from 'hono'
import { ActivityPage } from '../../views/pages/activity'
import { activityFilterSchema, EVENT_CHOICES, listActivity } from '../activity/activity'
import { activityCsvName, exportActivityCsv, exportFilter } from '../activity/activity-export'
import { currentUser, type AppContext, type AppEnv } from '../http/env'
import { requireAdmin } from '../http/guards'
import { render } from '../http/render'

const queryOf = (c: AppContext) =>
  activityFilterSchema.parse({
    staff: c.req.query('staff') ?? '',
    person: c.req.query('person') ?? '',
    event: c.req.query('event') ?? '',
    page: c.req.query('page'),
  })

async function showActivity(c: AppContext) {
  const user = currentUser(c)
  const query = queryOf(c)
  const activity = await listActivity(c.get('deps'), { practiceId: user.practiceId, query })
  return render(c, <ActivityPage user={user} {...activity} page={query.page} eventChoices={EVENT_CHOICES} />)
}

/** Export CSV: the activity under the page's filters, every page of it, streamed as it is read. */
function exportActivity(c: AppContext) {
  const user = currentUser(c)
  const deps = c.get('deps')
  const body = exportActivityCsv(deps, { practiceId: user.practiceId, timeZone: user.timeZone, filter: exportFilter(queryOf(c)) })
  c.header('Content-Type', 'text/csv; charset=utf-8')
  c.header('Content-Disposition', `attachment; filename="${activityCsvName(deps.clock.now(), user.timeZone)}"`)
  return c.body(body)
}

/** The practice-wide audit trail: read only, filterable by person and event, downloadable. */
export function activityRoutes() {
  const app = new Hono<AppEnv>()
  app.use('*', requireAdmin)
  app.get('/', showActivity)
  app.get('/export.csv', exportActivity)
  return app
}
