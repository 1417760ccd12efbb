import { Hono } from 'hono'
import { ChangePasswordPage } from '../../views/pages/change-password'
import { PortalHomePage } from '../../views/pages/portal-home'
import { deleteSessionCookie } from '../auth/cookie'
import { endOtherSessions } from '../auth/own-account'
import { PASSWORD_RULES } from '../auth/password-policy'
import { describeWait } from '../auth/throttle'
import type { Defer } from '../http/defer'
import { currentUser, type AppContext, type AppEnv } from '../http/env'
import { fieldErrors, readForm } from '../http/form'
import { requireUser } from '../http/guards'
import { render } from '../http/render'
import { changeOwnPassword, changeOwnPasswordSchema } from '../password-reset/password-change'
import { getOwnProfile } from '../profile/own-profile'

async function showPortalHome(c: AppContext) {
  const user = currentUser(c)
  const profile = await getOwnProfile(c.get('deps'), user)
  if (!profile) return c.notFound()
  const notice = c.req.query('signed_out_others') !== undefined ? 'You were signed out on your other devices.' : undefined
  return render(c, <PortalHomePage user={user} profile={profile} currentSessionId={c.get('session')!.id} notice={notice} />)
}

async function signOutOthers(c: AppContext) {
  await endOtherSessions(c.get('deps'), { user: currentUser(c), currentSessionId: c.get('session')!.id, ip: c.get('ip') })
  return c.redirect('/portal?signed_out_others', 303)
}

const showChangePassword = (c: AppContext) => render(c, <ChangePasswordPage user={currentUser(c)} rules={PASSWORD_RULES} errors={{}} />)

const changePassword = (defer: Defer) => async (c: AppContext) => {
  const user = currentUser(c)
  const again = (errors: Record<string, string>, status: 422 | 429 = 422) =>
    render(c, <ChangePasswordPage user={user} rules={PASSWORD_RULES} errors={errors} />, { status })
  const parsed = changeOwnPasswordSchema.safeParse(await readForm(c))
  if (!parsed.success) return again(fieldErrors(parsed.error))
  const { currentPassword, password } = parsed.data
  const result = await changeOwnPassword(c.get('deps'), {
    accountId: user.accountId,
    email: user.email,
    currentPassword,
    password,
    ip: c.get('ip'),
  })
  if (result.ok) {
    defer(c, result.delivery)
    deleteSessionCookie(c)
    return c.redirect(`/login?reset&email=${encodeURIComponent(result.email)}`, 303)
  }
  switch (result.reason) {
    case 'throttled':
      return again({ currentPassword: `Too many failed attempts. Try again in ${describeWait(result.retryAfterMs)}.` }, 429)
    case 'wrong-password':
      return again({ currentPassword: 'That is not your current password.' })
    case 'weak-password':
      return again({ password: result.message })
    case 'no-account':
      return c.notFound()
  }
}

/** The signed-in person's own side of the portal. The password-changed notice goes out after the response. */
export function portalRoutes(defer: Defer) {
  const app = new Hono<AppEnv>()
  app.use('*', requireUser)
  app.get('/', showPortalHome)
  app.post('/sessions/end-others', signOutOthers)
  app.get('/password', showChangePassword)
  // Needs the current password, so a session left open on a shared computer cannot lock its owner out.
  app.post('/password', changePassword(defer))
  return app
}
