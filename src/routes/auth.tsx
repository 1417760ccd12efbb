import { Hono } from 'hono'
import { LoginPage } from '../../views/pages/login'
import { logOut } from '../auth/logout'
import { deleteSessionCookie } from '../auth/cookie'
import { keepSignedIn, loginBrowser } from '../http/login-browser'
import { logIn, loginSchema } from '../login/log-in'
import type { AppContext, AppEnv } from '../http/env'
import { keepReturnPath, redirectAfterLogin } from '../http/after-login'
import { fieldErrors, readForm } from '../http/form'
import { messagesOf } from '../http/locale'
import { noticeOf } from '../http/notice'
import { setPendingLoginCookie } from '../http/pending-login-cookie'
import { render, renderStatic } from '../http/render'
import { safeReturnPath } from '../http/return-path'

/** English words kept for callers and tests that compare them; the page says them in its language. */
export const LOGIN_FAILED = 'That email and password do not match an account with portal access.'

const SECOND_STEP = '/login/two-step'

const homeOf = (role: 'staff' | 'admin') => (role === 'admin' ? '/staff' : '/portal')

function showHome(c: AppContext) {
  const user = c.get('user')
  return c.redirect(user ? homeOf(user.role) : '/login', 303)
}

function showLogin(c: AppContext) {
  const next = safeReturnPath(c.req.query('next'))
  const user = c.get('user')
  if (user) return c.redirect(next ?? '/', 303)
  const t = messagesOf(c)
  const notice = noticeOf(c, {
    welcome: t.login.welcome,
    reset: t.login.passwordChanged,
    login_email_changed: t.login.loginEmailChanged,
    signed_out: t.login.loggedOut,
    expired: t.login.sessionEnded,
    two_step_expired: t.login.twoStepExpired,
  })
  const email = c.req.query('email')?.slice(0, 254)
  // The plain login page is the same for every signed-out visitor of one language: rendered once.
  if (notice === undefined && email === undefined && next === undefined)
    return renderStatic(c, `login ${c.get('locale')}`, () => <LoginPage t={t} />)
  return render(c, <LoginPage t={t} email={email} notice={notice} next={next} />)
}

async function postLogin(c: AppContext) {
  const t = messagesOf(c)
  const form = await readForm(c)
  const next = safeReturnPath(form.next)
  const again = (email: string | undefined, error: string, status: 401 | 422 | 429) =>
    render(c, <LoginPage t={t} email={email?.slice(0, 254)} error={error} next={next} />, { status })
  const parsed = loginSchema.safeParse(form)
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error, t)
    return again(form.email, (errors.email ?? errors.password)!, 422)
  }
  const { email } = parsed.data
  const result = await logIn(c.get('deps'), { ...parsed.data, ...loginBrowser(c) })
  if (result.ok === 'second-step') {
    setPendingLoginCookie(c, result.pendingToken)
    keepReturnPath(c, next)
    return c.redirect(SECOND_STEP, 303)
  }
  if (result.ok) {
    keepSignedIn(c, result)
    return redirectAfterLogin(c, result, next)
  }
  switch (result.reason) {
    case 'locked':
      return again(email, t.login.locked, 429)
    case 'throttled':
      c.header('Retry-After', String(Math.ceil(result.retryAfterMs / 1000)))
      return again(email, t.login.throttled(result.retryAfterMs), 429)
    case 'failed':
      return again(email, t.login.failed, 401)
  }
}

async function postLogout(c: AppContext) {
  const session = c.get('session')
  const user = c.get('user')
  if (session && user) await logOut(c.get('deps'), { sessionId: session.id, user, ip: c.get('ip') })
  deleteSessionCookie(c)
  return c.redirect('/login?signed_out', 303)
}

/** The way in and out: /, /login, /logout. */
export function authRoutes() {
  const app = new Hono<AppEnv>()
  app.get('/', showHome)
  app.get('/login', showLogin)
  app.post('/login', postLogin)
  app.post('/logout', postLogout)
  return app
}
