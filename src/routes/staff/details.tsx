import { Hono } from 'hono'
import { StaffFormPage, type FormErrors } from '../../../views/pages/staff-form'
import { actorOf, currentUser, type AppContext, type AppEnv } from '../../http/env'
import { fieldErrors, readForm } from '../../http/form'
import { render } from '../../http/render'
import { getStaffProfile } from '../../profile/staff-profile'
import { saveStaff } from '../../staff-form/save-staff'
import { emailsOf, staffInputSchema, type StaffFormValues } from '../../staff/staff-input'
import { sendInvitation } from '../../invitations/invitation'
import { fullName } from '../../text/format'
import { ID, notFound, renderProfile } from './shared'

const showDetails = (c: AppContext) =>
  renderProfile(c, c.req.param('id') ?? '', 'details', { notice: c.req.query('saved') !== undefined ? 'Saved.' : undefined })

const showNewStaff = (c: AppContext) =>
  render(c, <StaffFormPage values={{ active: 'on', primaryEmail: '1', language: 'en' }} errors={{}} />)

async function showEditStaff(c: AppContext) {
  const id = c.req.param('id') ?? ''
  const profile = await getStaffProfile(c.get('deps'), { practiceId: currentUser(c).practiceId, staffId: id })
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
    language: staff.language,
  }
  return render(c, <StaffFormPage staffId={id} values={values} errors={{}} />)
}

function duplicateErrors(values: StaffFormValues, duplicates: string[]): FormErrors {
  const errors: FormErrors = {}
  for (const slot of ['email1', 'email2', 'email3'] as const) {
    if (duplicates.includes((values[slot] ?? '').trim().toLowerCase()))
      errors[slot] = 'Another staff member in your practice already uses this address.'
  }
  return errors
}

export const LAST_ADMIN_INACTIVE = 'This is the only admin who can log in. Make someone else an admin before marking this profile inactive.'

/** Save on Add Staff (no id) and Edit: the form comes back with its messages, values kept. */
async function saveStaffForm(c: AppContext) {
  const staffId = c.req.param('id')
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
    language: form.language,
  }
  const again = (errors: FormErrors) => render(c, <StaffFormPage staffId={staffId} values={values} errors={errors} />, { status: 422 })
  const parsed = staffInputSchema.safeParse(values)
  if (!parsed.success) return again(fieldErrors(parsed.error))
  const result = await saveStaff(c.get('deps'), { actor: actorOf(c), staffId, staff: parsed.data })
  if (!result.ok) {
    if ('duplicates' in result) return again(duplicateErrors(values, result.duplicates))
    return result.reason === 'last-admin' ? again({ active: LAST_ADMIN_INACTIVE }) : notFound(c)
  }
  if (staffId !== undefined || form.then !== 'invite') return c.redirect(`/staff/${result.staffId}?saved`, 303)
  // Save and Invite: the invitation goes to the primary address, and the admin lands where it shows.
  const primary = emailsOf(parsed.data).find((e) => e.isPrimary)!.email
  const user = currentUser(c)
  const sent = await sendInvitation(c.get('deps'), {
    actor: { ...actorOf(c), name: fullName(user) },
    staffId: result.staffId,
    email: primary,
  })
  const outcome = !sent.ok ? 'refused' : sent.delivered ? 'sent' : 'failed'
  return c.redirect(`/staff/${result.staffId}/portal?saved&invited=${outcome}`, 303)
}

/** Add Staff, Edit, and a profile's Details tab. */
export function detailsRoutes() {
  const app = new Hono<AppEnv>()
  app.get('/new', showNewStaff)
  app.post('/', saveStaffForm)
  app.get(`/:id${ID}`, showDetails)
  app.get(`/:id${ID}/edit`, showEditStaff)
  app.post(`/:id${ID}`, saveStaffForm)
  return app
}
