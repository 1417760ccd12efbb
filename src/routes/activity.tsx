import { Hono } from 'hono'
import { ActivityPage } from '../../views/pages/activity'
import { activityFilterSchema, EVENT_CHOICES, listActivity } from '../activity/activity'
import { currentUser, type AppContext, type AppEnv } from '../http/env'
import { requireAdmin } from '../http/guards'
import { render } from '../http/render'

async function showActivity(c: AppContext) {
  const user = currentUser(c)
  const query = activityFilterSchema.parse({
    staff: c.req.query('staff') ?? '',
    person: c.req.query('person') ?? '',
    event: c.req.query('event') ?? '',
    page: c.req.query('page'),
  })
  const activity = await listActivity(c.get('deps'), { practiceId: user.practiceId, query })
  return render(c, <ActivityPage user={user} {...activity} page={query.page} eventChoices={EVENT_CHOICES} />)
}

/** The practice-wide audit trail: read only, filterable by person and event. */
export function activityRoutes() {
  const app = new Hono<AppEnv>()
  app.use('*', requireAdmin)
  app.get('/', showActivity)
  return app
}
