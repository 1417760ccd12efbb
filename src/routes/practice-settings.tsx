import { Hono } from 'hono'
import { PracticeSettingsPage, type SettingsErrors } from '../../views/pages/practice-settings'
import type { ClientIp } from '../http/client-ip'
import { currentUser, type AppEnv } from '../http/env'
import { fieldErrors, readForm } from '../http/form'
import { requireAdmin } from '../http/guards'
import { render } from '../http/render'
import { practiceSettingsSchema, type PracticeSettingsValues } from '../practice/practice-input'
import { getPracticeSettings, updatePracticeSettings } from '../practice/settings'

const NAME_TAKEN = 'Another practice already uses this name. Choose another.'

/** Practice Settings, for admins: the practice's name, time zone and email sender name. */
export function practiceSettingsRoutes(clientIp: ClientIp) {
  const app = new Hono<AppEnv>()
  app.use('*', requireAdmin)

  app.get('/', async (c) => {
    const { db, clock } = c.get('deps')
    const user = currentUser(c)
    const settings = await getPracticeSettings(db, user.practiceId)
    if (!settings) return c.notFound()
    const notice = c.req.query('saved') !== undefined ? 'Saved. The new settings apply from now on.' : undefined
    return render(
      c,
      <PracticeSettingsPage user={user} values={settings} errors={{}} now={clock.now()} savedZone={settings.timeZone} notice={notice} />,
    )
  })

  app.post('/', async (c) => {
    const { db, clock } = c.get('deps')
    const user = currentUser(c)
    const current = await getPracticeSettings(db, user.practiceId)
    if (!current) return c.notFound()
    const form = await readForm(c)
    const values: PracticeSettingsValues = { name: form.name, timeZone: form.timeZone, senderName: form.senderName }
    const again = (errors: SettingsErrors) =>
      render(c, <PracticeSettingsPage user={user} values={values} errors={errors} now={clock.now()} savedZone={current.timeZone} />, 422)
    const parsed = practiceSettingsSchema(current.timeZone).safeParse(values)
    if (!parsed.success) return again(fieldErrors(parsed.error))
    const actor = { practiceId: user.practiceId, accountId: user.accountId, ip: clientIp(c) }
    const result = await updatePracticeSettings(db, clock, actor, parsed.data)
    if (!result.ok) return result.reason === 'not-found' ? c.notFound() : again({ name: NAME_TAKEN })
    return c.redirect('/settings?saved', 303)
  })

  return app
}
