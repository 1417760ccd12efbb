import { Hono } from 'hono'
import { z } from 'zod'
import { ChangePasswordPage } from '../../views/pages/change-password'
import { PortalHomePage } from '../../views/pages/portal-home'
import { YourNamePage } from '../../views/pages/your-name'
import { deleteSessionCookie } from '../auth/cookie'
import { endOtherSessions, endOwnSession } from '../auth/own-account'
import { PASSWORD_RULES, describePasswordProblem } from '../auth/password-policy'
import { touchSession } from '../auth/session'
import type { Defer } from '../http/defer'
import { actorOf, currentUser, type AppContext, type AppEnv } from '../http/env'
import { fieldErrors, readForm } from '../http/form'
import { requireUser } from '../http/guards'
import { messagesOf } from '../http/locale'
import { noticeOf } from '../http/notice'
import { render } from '../http/render'
import { safeReturnPath } from '../http/return-path'
import { changeOwnPassword, changeOwnPasswordSchema } from '../password-reset/password-change'
import { getOwnProfile } from '../profile/own-profile'
import { hasPlaceholderName } from '../text/placeholder-name'
import { saveOwnLanguage, saveOwnName } from '../staff/staff'
import { ownLanguageSchema, ownNameSchema } from '../staff/staff-input'
import { ID_PATTERN } from '../ids'
import { LANGUAGE_NAMES, LOCALES } from '../text/locale'
import { errorKey } from '../text/messages'

const LANGUAGES = LOCALES.map((code) => ({ code, name: LANGUAGE_NAMES[code] }))

async function showPortalHome(c: AppContext) {
  const user = currentUser(c)
  const t = messagesOf(c)
  const profile = await getOwnProfile(c.get('deps'), user)
  if (!profile) return c.notFound()
  const notice = noticeOf(c, {
    signed_out_others: t.portal.signedOutOthers,
    session_ended: t.portal.sessionEnded,
    language_saved: t.portal.languageSaved,
  })
  return render(
    c,
    <PortalHomePage t={t} user={user} profile={profile} languages={LANGUAGES} currentSessionId={c.get('session')!.id} notice={notice} />,
  )
}

const currentPasswordSchema = z.object({
  currentPassword: z
    .string()
    .default('')
    .pipe(z.string().min(1, errorKey('enterCurrentPassword')).max(1024, errorKey('passwordTooLong'))),
})

async function signOutOthers(c: AppContext) {
  const user = currentUser(c)
  const deps = c.get('deps')
  const t = messagesOf(c)
  const again = async (error: string, status: 422 | 429 = 422) => {
    const profile = await getOwnProfile(deps, user)
    if (!profile) return c.notFound()
    return render(
      c,
      <PortalHomePage
        t={t}
        user={user}
        profile={profile}
        languages={LANGUAGES}
        currentSessionId={c.get('session')!.id}
        sessionsError={error}
      />,
      { status },
    )
  }
  const parsed = currentPasswordSchema.safeParse(await readForm(c))
  if (!parsed.success) return again(fieldErrors(parsed.error, t).currentPassword ?? t.errors.enterCurrentPassword)
  const result = await endOtherSessions(deps, {
    user,
    currentSessionId: c.get('session')!.id,
    ip: c.get('ip'),
    currentPassword: parsed.data.currentPassword,
  })
  if (result.ok) return c.redirect('/portal?signed_out_others', 303)
  return result.reason === 'throttled' ? again(t.login.throttled(result.retryAfterMs), 429) : again(t.changePassword.wrongPassword)
}

async function endSession(c: AppContext) {
  const result = await endOwnSession(c.get('deps'), { user: currentUser(c), sessionId: c.req.param('id')!, ip: c.get('ip') })
  if (!result.ok) return c.notFound()
  return c.redirect('/portal?session_ended', 303)
}

/** The Language select on one's portal home: the pages and emails follow it from now on. */
async function saveLanguage(c: AppContext) {
  const user = currentUser(c)
  const parsed = ownLanguageSchema.safeParse(await readForm(c))
  // The select offers only our languages: anything else is a hand-made post, answered with the page as it was.
  if (!parsed.success) return c.redirect('/portal', 303)
  await saveOwnLanguage(c.get('deps'), { actor: actorOf(c), staffId: user.staffId, language: parsed.data.language })
  return c.redirect('/portal?language_saved', 303)
}

const showChangePassword = (c: AppContext) =>
  render(c, <ChangePasswordPage t={messagesOf(c)} user={currentUser(c)} rules={PASSWORD_RULES} errors={{}} />)

const changePassword = (defer: Defer) => async (c: AppContext) => {
  const user = currentUser(c)
  const t = messagesOf(c)
  const again = (errors: Record<string, string>, status: 422 | 429 = 422) =>
    render(c, <ChangePasswordPage t={t} user={user} rules={PASSWORD_RULES} errors={errors} />, { status })
  const parsed = changeOwnPasswordSchema.safeParse(await readForm(c))
  if (!parsed.success) return again(fieldErrors(parsed.error, t))
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
      return again({ currentPassword: t.password.tooManyTries(result.retryAfterMs) }, 429)
    case 'wrong-password':
      return again({ currentPassword: t.changePassword.wrongPassword })
    case 'weak-password':
      return again({ password: result.problem ? describePasswordProblem(result.problem, t) : result.message })
    case 'no-account':
      return c.notFound()
  }
}

/** "Stay Signed In" in the session warning: records the session as used now, nothing else. */
async function keepSessionAlive(c: AppContext) {
  const deps = c.get('deps')
  await touchSession(deps, { sessionId: c.get('session')!.id, now: deps.clock.now() })
  return c.body(null, 204)
}

/** Where the name prompt sends the person next: the page they were going to, or their home. */
const afterName = (c: AppContext, next: string | undefined) => next ?? (currentUser(c).role === 'admin' ? '/staff' : '/portal')

/** The first admin, still "Practice Admin", is asked for their name at each login until they give it. */
function showYourName(c: AppContext) {
  const user = currentUser(c)
  const next = safeReturnPath(c.req.query('next'))
  if (!hasPlaceholderName(user)) return c.redirect(afterName(c, next), 303)
  return render(c, <YourNamePage t={messagesOf(c)} values={{}} errors={{}} next={afterName(c, next)} />)
}

async function saveYourName(c: AppContext) {
  const user = currentUser(c)
  const t = messagesOf(c)
  const form = await readForm(c)
  const next = afterName(c, safeReturnPath(form.next))
  if (!hasPlaceholderName(user)) return c.redirect(next, 303)
  const parsed = ownNameSchema.safeParse(form)
  if (!parsed.success)
    return render(
      c,
      <YourNamePage
        t={t}
        values={{ firstName: form.firstName, lastName: form.lastName }}
        errors={fieldErrors(parsed.error, t)}
        next={next}
      />,
      { status: 422 },
    )
  await saveOwnName(c.get('deps'), { actor: actorOf(c), staffId: user.staffId, ...parsed.data })
  return c.redirect(next, 303)
}

/** The signed-in person's own side of the portal. The password-changed notice goes out after the response. */
export function portalRoutes(defer: Defer) {
  const app = new Hono<AppEnv>()
  app.use('*', requireUser)
  app.get('/', showPortalHome)
  app.post('/language', saveLanguage)
  // Needs the current password: a session left open elsewhere cannot sign its owner out.
  app.post('/sessions/end-others', signOutOthers)
  app.post(`/sessions/:id{${ID_PATTERN}}/end`, endSession)
  app.get('/password', showChangePassword)
  // Needs the current password, so a session left open on a shared computer cannot lock its owner out.
  app.post('/password', changePassword(defer))
  app.post('/keep-alive', keepSessionAlive)
  app.get('/name', showYourName)
  app.post('/name', saveYourName)
  return app
}
