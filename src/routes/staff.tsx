import { Hono } from 'hono'
import { MessagePage } from '../../views/pages/message'
import { StaffFormPage, type FormErrors } from '../../views/pages/staff-form'
import { ResultsCount, StaffListPage, StaffResults } from '../../views/pages/staff-list'
import { StaffProfilePage, type ProfileTab } from '../../views/pages/staff-profile'
import { currentUser, type AppContext, type AppEnv } from '../http/env'
import { fieldErrors, readForm } from '../http/form'
import { requireAdmin } from '../http/guards'
import { render, renderFragment, wantsFragment } from '../http/render'
import type { ClientIp } from '../http/client-ip'
import { createStaff, getStaffProfile, listStaff, updateStaff, type SaveStaffResult } from '../staff/staff'
import { expiryChoices } from '../password-reset/reset-link'
import { listQuerySchema, staffInputSchema, type StaffFormValues } from '../staff/staff-input'

const STAFF_ID = /^[a-z2-7]{16}$/

const notFound = (c: AppContext) =>
  render(
    c,
    <MessagePage
      title="Staff member not found"
      message="There is no such staff member in your practice."
      user={c.get('user')}
      link={{ href: '/staff', label: 'Back to Staffs' }}
    />,
    404,
  )

function duplicateErrors(values: StaffFormValues, duplicates: string[]): FormErrors {
  const errors: FormErrors = {}
  for (const slot of ['email1', 'email2', 'email3'] as const) {
    if (duplicates.includes((values[slot] ?? '').trim().toLowerCase()))
      errors[slot] = 'Another staff member in your practice already uses this address.'
  }
  return errors
}

export function staffRoutes(clientIp: ClientIp) {
  const app = new Hono<AppEnv>()
  app.use('*', requireAdmin)

  app.get('/', async (c) => {
    const { db } = c.get('deps')
    const user = currentUser(c)
    const query = listQuerySchema.parse({ q: c.req.query('q'), page: c.req.query('page') })
    const page = await listStaff(db, user.practiceId, query, c.get('deps').clock.now())
    c.header('Vary', 'HX-Request')
    if (wantsFragment(c))
      return renderFragment(
        c,
        <>
          <StaffResults page={page} />
          <ResultsCount page={page} oob />
        </>,
      )
    return render(c, <StaffListPage user={user} page={page} />)
  })

  app.get('/new', (c) => render(c, <StaffFormPage user={currentUser(c)} values={{ active: 'on', primaryEmail: '1' }} errors={{}} />))

  const save = async (c: AppContext, staffId?: string) => {
    const { db, clock } = c.get('deps')
    const user = currentUser(c)
    const form = await readForm(c)
    const values: StaffFormValues = {
      firstName: form.firstName,
      lastName: form.lastName,
      credentials: form.credentials,
      phone: form.phone,
      email1: form.email1,
      email2: form.email2,
      email3: form.email3,
      primaryEmail: form.primaryEmail,
      active: form.active,
    }
    const parsed = staffInputSchema.safeParse(values)
    if (!parsed.success)
      return render(c, <StaffFormPage user={user} staffId={staffId} values={values} errors={fieldErrors(parsed.error)} />, 422)
    const actor = { practiceId: user.practiceId, accountId: user.accountId, ip: clientIp(c) }
    const result: SaveStaffResult | null = staffId
      ? await updateStaff(db, clock, actor, staffId, parsed.data)
      : await createStaff(db, clock, actor, parsed.data)
    if (result === null) return notFound(c)
    if (!result.ok)
      return render(
        c,
        <StaffFormPage user={user} staffId={staffId} values={values} errors={duplicateErrors(values, result.duplicates)} />,
        422,
      )
    return c.redirect(`/staff/${result.staffId}?saved`, 303)
  }

  app.post('/', (c) => save(c))

  app.post('/:id', (c) => {
    const id = c.req.param('id')
    return STAFF_ID.test(id) ? save(c, id) : notFound(c)
  })

  app.get('/:id/edit', async (c) => {
    const user = currentUser(c)
    const id = c.req.param('id')
    const profile = STAFF_ID.test(id) ? await getStaffProfile(c.get('deps').db, user.practiceId, id, c.get('deps').clock.now()) : null
    if (!profile) return notFound(c)
    const { staff, emails } = profile
    const values: StaffFormValues = {
      firstName: staff.firstName,
      lastName: staff.lastName,
      credentials: staff.credentials,
      phone: staff.phone,
      email1: emails[0]?.email ?? '',
      email2: emails[1]?.email ?? '',
      email3: emails[2]?.email ?? '',
      primaryEmail: String(Math.max(1, emails.findIndex((e) => e.isPrimary) + 1)),
      active: staff.isActive ? 'on' : undefined,
    }
    return render(c, <StaffFormPage user={user} staffId={id} values={values} errors={{}} />)
  })

  const showProfile = (tab: ProfileTab) => async (c: AppContext) => {
    const user = currentUser(c)
    const id = c.req.param('id') ?? ''
    const profile = STAFF_ID.test(id) ? await getStaffProfile(c.get('deps').db, user.practiceId, id, c.get('deps').clock.now()) : null
    if (!profile) return notFound(c)
    const notice = c.req.query('saved') !== undefined ? 'Saved.' : undefined
    const reset = { choices: expiryChoices(c.get('deps').clock.now(), user.timeZone, c.get('deps').config.RESET_LINK_MAX_DAYS) }
    return render(c, <StaffProfilePage user={user} profile={profile} tab={tab} notice={notice} reset={reset} />)
  }
  app.get('/:id', showProfile('details'))
  app.get('/:id/portal', showProfile('portal'))

  return app
}
