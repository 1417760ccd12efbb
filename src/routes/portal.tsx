import { Hono } from 'hono'
import { z } from 'zod'
import { ChangePasswordPage } from '../../views/pages/change-password'
import { PortalHomePage } from '../../views/pages/portal-home'
import { deleteSessionCookie } from '../auth/cookie'
import { endOtherSessions, endOwnSession } from '../auth/own-account'
import { PASSWORD_RULES } from '../auth/password-policy'
import { describeWait } from '../auth/throttle'
import type { Defer } from '../http/defer'
import { currentUser, type AppContext, type AppEnv } from '../http/env'
import { fieldErrors, readForm } from '../http/form'
import { requireUser } from '../http/guards'
import { render } from '../http/render'
import { changeOwnPassword, changeOwnPasswordSchema } from '../password-reset/password-change'
import { getOwnProfile } from '../profile/own-profile'
import { ID_PATTERN } from '../ids'

async function showPortalHome(c: AppContext) {
  const user = currentUser(c)
  const profile = await getOwnProfile(c.get('deps'), user)
  if (!profile) return c.notFound()
  const notice =
    c.req.query('signed_out_others') !== undefined
      ? 'You were signed out on your other devices.'
      : c.req.query('session_ended') !== undefined
        ? 'That session was ended.'
        : undefined
  return render(c, <PortalHomePage user={user} profile={profile} currentSessionId={c.get('session')!.id} notice={notice} />)
}

const currentPasswordSchema = z.object({
  currentPassword: z.string().default('').pipe(z.string().min(1, 'Enter your current password.').max(1024, 'That password is too long.')),
})

async function signOutOthers(c: AppContext) {
  const user = currentUser(c)
  const deps = c.get('deps')
  const again = async (error: string, status: 422 | 429 = 422) => {
    const profile = await getOwnProfile(deps, user)
    if (!profile) return c.notFound()
    return render(c, <PortalHomePage user={user} profile={profile} currentSessionId={c.get('session')!.id} sessionsError={error} />, {
      status,
    })
  }
  const parsed = currentPasswordSchema.safeParse(await readForm(c))
  if (!parsed.success) return again(fieldErrors(parsed.error).currentPassword ?? 'Enter your current password.')
  const result = await endOtherSessions(deps, {
    user,
    currentSessionId: c.get('session')!.id,
    ip: c.get('ip'),
    currentPassword: parsed.data.currentPassword,
  })
  if (result.ok) return c.redirect('/portal?signed_out_others', 303)
  return result.reason === 'throttled'
    ? again(`Too many failed attempts. Try again in ${describeWait(result.retryAfterMs)}.`, 429)
    : again('That is not your current password.')
}

async function endSession(c: AppContext) {
  const result = await endOwnSession(c.get('deps'), { user: currentUser(c), sessionId: c.req.param('id')!, ip: c.get('ip') })
  if (!result.ok) return c.notFound()
  return c.redirect('/portal?session_ended', 303)
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
  // Needs the current password: a session left open elsewhere cannot sign its owner out.
  app.post('/sessions/end-others', signOutOthers)
  app.post(`/sessions/:id{${ID_PATTERN}}/end`, endSession)
  app.get('/password', showChangePassword)
  // Needs the current password, so a session left open on a shared computer cannot lock its owner out.
  app.post('/password', changePassword(defer))
  return app
}
