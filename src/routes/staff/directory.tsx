import { Hono } from 'hono'
import { ResultsCount, StaffListPage, StaffResults } from '../../../views/pages/staff-list'
import { actorOf, currentUser, type AppContext, type AppEnv } from '../../http/env'
import { render } from '../../http/render'
import { isId } from '../../ids'
import { BULK_LIMIT, inviteMany } from '../../invitations/bulk-invite'
import { listStaff } from '../../staff/directory'
import { listQuerySchema } from '../../staff/staff-input'
import { fullName } from '../../text/format'

/** The Staffs list; htmx (Search as you type, the pager) gets the rows, with the count out of band. */
async function showStaffList(c: AppContext) {
  const query = listQuerySchema.parse({ q: c.req.query('q'), page: c.req.query('page') })
  const page = await listStaff(c.get('deps'), { practiceId: currentUser(c).practiceId, ...query })
  const fragment = (
    <>
      <StaffResults page={page} />
      <ResultsCount page={page} oob />
    </>
  )
  return render(c, <StaffListPage page={page} />, { fragment })
}

/** The ids ticked on the Staffs list; anything that is not an id is dropped. */
async function selectedIds(c: AppContext): Promise<string[]> {
  try {
    const raw = (await c.req.parseBody({ all: true })).staffId
    return (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string' && isId(v))
  } catch {
    return []
  }
}

/** Invite Selected: each ticked person at their primary address, or the reason they were skipped. */
async function inviteSelected(c: AppContext) {
  const deps = c.get('deps')
  const user = currentUser(c)
  const selected = await selectedIds(c)
  const firstPage = () => listStaff(deps, { practiceId: user.practiceId, ...listQuerySchema.parse({}) })
  const refuse = async (bulkError: string) => render(c, <StaffListPage page={await firstPage()} bulkError={bulkError} />, { status: 422 })
  if (selected.length === 0) return refuse('Select at least one staff member to invite.')
  if (selected.length > BULK_LIMIT) return refuse(`Select at most ${BULK_LIMIT} people at a time.`)
  const bulk = await inviteMany(deps, { actor: { ...actorOf(c), name: fullName(user) }, staffIds: selected })
  return render(c, <StaffListPage page={await firstPage()} bulk={bulk} />)
}

export function directoryRoutes() {
  const app = new Hono<AppEnv>()
  app.get('/', showStaffList)
  app.post('/invitations', inviteSelected)
  return app
}
