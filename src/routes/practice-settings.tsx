import { Hono } from 'hono'
import { PracticeSettingsPage, type SettingsErrors, type SettingsValues } from '../../views/pages/practice-settings'
import { actorOf, currentUser, type AppContext, type AppEnv } from '../http/env'
import { fieldErrors, readForm } from '../http/form'
import { requireAdmin } from '../http/guards'
import { noticeOf } from '../http/notice'
import { render } from '../http/render'
import { SIGN_OUT_AFTER_CHOICES, practiceSettingsSchema } from '../practice/practice-input'
import { getPracticeSettings, updatePracticeSettings } from '../practice/settings'
import { signOutEveryone } from '../practice/sign-out-everyone'
import { TIME_ZONES } from '../practice/time-zones'
import { askToConfirm, isConfirmed } from './confirm'

const NAME_TAKEN = 'Another practice already uses this name. Choose another.'
const NO_SECOND_FACTOR =
  'Turn on two-step sign-in for your own account first (My Portal → Two-Step Sign-In), so requiring it cannot lock you out.'

async function showSettings(c: AppContext) {
  const deps = c.get('deps')
  const settings = await getPracticeSettings(deps, currentUser(c).practiceId)
  if (!settings) return c.notFound()
  const notice = noticeOf(c, {
    saved: 'Saved. The new settings apply from now on.',
    signed_out_everyone: 'Everyone else in your practice was signed out.',
  })
  return render(
    c,
    <PracticeSettingsPage
      values={{ ...settings, sessionIdleMinutes: String(settings.sessionIdleMinutes) }}
      errors={{}}
      now={deps.clock.now()}
      savedZone={settings.timeZone}
      timeZones={TIME_ZONES}
      signOutChoices={SIGN_OUT_AFTER_CHOICES}
      notice={notice}
    />,
  )
}

async function saveSettings(c: AppContext) {
  const deps = c.get('deps')
  const current = await getPracticeSettings(deps, currentUser(c).practiceId)
  if (!current) return c.notFound()
  const form = await readForm(c)
  const values: SettingsValues = {
    name: form.name,
    timeZone: form.timeZone,
    senderName: form.senderName,
    // A form from before these settings existed leaves them as they are.
    sessionIdleMinutes: form.sessionIdleMinutes ?? String(current.sessionIdleMinutes),
    twoStepPolicy: form.twoStepPolicy ?? current.twoStepPolicy,
  }
  const again = (errors: SettingsErrors) =>
    render(
      c,
      <PracticeSettingsPage
        values={values}
        errors={errors}
        now={deps.clock.now()}
        savedZone={current.timeZone}
        timeZones={TIME_ZONES}
        signOutChoices={SIGN_OUT_AFTER_CHOICES}
      />,
      { status: 422 },
    )
  const parsed = practiceSettingsSchema(current.timeZone).safeParse(values)
  if (!parsed.success) return again(fieldErrors(parsed.error))
  const result = await updatePracticeSettings(deps, { actor: actorOf(c), current, settings: parsed.data })
  if (!result.ok) return result.reason === 'no-second-factor' ? again({ twoStepPolicy: NO_SECOND_FACTOR }) : again({ name: NAME_TAKEN })
  return c.redirect('/settings?saved', 303)
}

/** Sign Out Everyone: asks first (the dialog, or a page without script), then every session of the practice but this one ends. */
async function postSignOutEveryone(c: AppContext) {
  if (!isConfirmed(await readForm(c))) {
    return askToConfirm(c, {
      question: `Sign out everyone in ${currentUser(c).practiceName}?`,
      consequence:
        'Every staff member and admin of the practice is logged out on every device, at once. Your own session here stays. Use it when a device was lost or an account may have been misused.',
      label: 'Sign Out Everyone',
      action: '/settings/sign-out-everyone',
      fields: [],
      tone: 'danger',
      cancelHref: '/settings',
    })
  }
  await signOutEveryone(c.get('deps'), { actor: actorOf(c), keepSessionId: c.get('session')!.id })
  return c.redirect('/settings?signed_out_everyone', 303)
}

/** Practice Settings, for admins: the practice's name, time zone and email sender name. */
export function practiceSettingsRoutes() {
  const app = new Hono<AppEnv>()
  app.use('*', requireAdmin)
  app.get('/', showSettings)
  app.post('/', saveSettings)
  app.post('/sign-out-everyone', postSignOutEveryone)
  return app
}
