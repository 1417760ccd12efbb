import { Hono } from 'hono'
import { LoginPage } from '../../views/pages/login'
import { logOut } from '../auth/logout'
import { deleteSessionCookie, getDeviceCookie, setDeviceCookie, setSessionCookie } from '../auth/cookie'
import { addKnownDevice, readKnownDevices } from '../auth/devices'
import { logIn, loginSchema } from '../auth/login'
import { describeWait } from '../auth/throttle'
import type { AppContext, AppEnv } from '../http/env'
import { fieldErrors, readForm } from '../http/form'
import { setPendingLoginCookie } from '../http/pending-login-cookie'
import { render, renderStatic } from '../http/render'

export const LOGIN_FAILED = 'That email and password do not match an account with portal access.'
const LOCKED =
  'Too many failed attempts: logging in with this address is locked. Reset your password with Forgot Password, or ask your practice admin to unlock it.'

const SECOND_STEP = '/login/two-step'
const TWO_STEP_SETUP = '/account/two-step/setup'

const homeOf = (role: 'staff' | 'admin') => (role === 'admin' ? '/staff' : '/portal')

function showHome(c: AppContext) {
  const user = c.get('user')
  return c.redirect(user ? homeOf(user.role) : '/login', 303)
}

function showLogin(c: AppContext) {
  if (c.get('user')) return c.redirect('/', 303)
  const notice =
    c.req.query('welcome') !== undefined
      ? 'Your account is ready. Log in with your email and password.'
      : c.req.query('reset') !== undefined
        ? 'Your password was changed. Log in with your new password.'
        : c.req.query('login_email_changed') !== undefined
          ? 'Your login email was changed. Log in with your new email address.'
          : c.req.query('signed_out') !== undefined
            ? 'You have logged out.'
            : c.req.query('two_step_expired') !== undefined
              ? 'Your sign-in took too long or was finished elsewhere. Log in again.'
              : undefined
  const email = c.req.query('email')?.slice(0, 254)
  if (notice === undefined && email === undefined) return renderStatic(c, 'login', () => <LoginPage />)
  return render(c, <LoginPage email={email} notice={notice} />)
}

async function postLogin(c: AppContext) {
  const form = await readForm(c)
  const parsed = loginSchema.safeParse(form)
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error)
    return render(c, <LoginPage email={form.email?.slice(0, 254)} error={errors.email ?? errors.password} />, { status: 422 })
  }
  const { email } = parsed.data
  const deps = c.get('deps')
  const secret = deps.config.DEVICE_COOKIE_SECRET
  const deviceCookie = getDeviceCookie(c)
  const result = await logIn(deps, {
    ...parsed.data,
    ip: c.get('ip'),
    userAgent: c.req.header('User-Agent') ?? '',
    previousSessionId: c.get('session')?.id,
    knownDevices: readKnownDevices(secret, deviceCookie, deps.clock.now()),
  })
  if (result.ok === 'second-step') {
    setPendingLoginCookie(c, result.pendingToken)
    return c.redirect(SECOND_STEP, 303)
  }
  if (result.ok) {
    setSessionCookie(c, result.token)
    // Only once the login has fully succeeded: this browser is now one of the account's own.
    const devices = addKnownDevice(secret, deviceCookie, result.accountId, deps.clock.now())
    if (devices) setDeviceCookie(c, devices)
    return c.redirect(result.twoStepSetup ? TWO_STEP_SETUP : homeOf(result.role), 303)
  }
  switch (result.reason) {
    case 'locked':
      return render(c, <LoginPage email={email} error={LOCKED} />, { status: 429 })
    case 'throttled':
      c.header('Retry-After', String(Math.ceil(result.retryAfterMs / 1000)))
      return render(c, <LoginPage email={email} error={`Too many failed attempts. Try again in ${describeWait(result.retryAfterMs)}.`} />, {
        status: 429,
      })
    case 'failed':
      return render(c, <LoginPage email={email} error={LOGIN_FAILED} />, { status: 401 })
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
