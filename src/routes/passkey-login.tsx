import { Hono } from 'hono'
import { LoginPage } from '../../views/pages/login'
import { getDeviceCookie, setDeviceCookie, setSessionCookie } from '../auth/cookie'
import { addKnownDevice, readKnownDevices } from '../auth/devices'
import { redirectAfterLogin } from '../http/after-login'
import type { AppContext, AppEnv } from '../http/env'
import { messagesOf } from '../http/locale'
import { readForm } from '../http/form'
import { deletePasskeyLoginCookie, getPasskeyLoginCookie, setPasskeyLoginCookie } from '../http/passkey-login-cookie'
import { render } from '../http/render'
import { safeReturnPath } from '../http/return-path'
import { logInWithPasskey, startPasskeyLogin } from '../two-step/passkey-login'

// Fetched by public/passkey.js as a form post, so the CSRF check (Origin) applies to it.
async function postOptions(c: AppContext) {
  const browserSecret = getPasskeyLoginCookie(c) ?? setPasskeyLoginCookie(c)
  const started = await startPasskeyLogin(c.get('deps'), { browserSecret, ip: c.get('ip') })
  if (!started.ok) {
    c.header('Retry-After', '60')
    return c.json({ error: 'busy' }, 429)
  }
  return c.json(started.options)
}

async function postPasskey(c: AppContext) {
  const browserSecret = getPasskeyLoginCookie(c)
  const form = await readForm(c)
  const response = (form.passkeyResponse ?? '').slice(0, 32_768)
  const next = safeReturnPath(form.next)
  const t = messagesOf(c)
  const deps = c.get('deps')
  const secret = deps.config.DEVICE_COOKIE_SECRET
  const deviceCookie = getDeviceCookie(c)
  const result = browserSecret
    ? await logInWithPasskey(deps, {
        browserSecret,
        knownDevices: readKnownDevices(secret, deviceCookie, deps.clock.now()),
        response,
        ip: c.get('ip'),
        userAgent: c.req.header('User-Agent') ?? '',
        previousSessionId: c.get('session')?.id,
      })
    : ({ ok: false, reason: 'failed' } as const)
  deletePasskeyLoginCookie(c)
  if (result.ok) {
    setSessionCookie(c, result.token)
    // Only once the login has fully succeeded: this browser is now one of the account's own.
    const devices = addKnownDevice(secret, deviceCookie, result.accountId, deps.clock.now())
    if (devices) setDeviceCookie(c, devices)
    return redirectAfterLogin(c, result, next)
  }
  if (result.reason === 'throttled') {
    c.header('Retry-After', String(Math.ceil(result.retryAfterMs / 1000)))
    return render(c, <LoginPage t={t} error={t.login.throttled(result.retryAfterMs)} next={next} />, { status: 429 })
  }
  return render(c, <LoginPage t={t} error={result.reason === 'locked' ? t.login.passkeyLocked : t.login.passkeyFailed} next={next} />, {
    status: result.reason === 'locked' ? 429 : 401,
  })
}

/** "Log In with a Passkey" on the login page: a discoverable, user-verified passkey alone. */
export function passkeyLoginRoutes() {
  const app = new Hono<AppEnv>()
  app.post('/options', postOptions)
  app.post('/', postPasskey)
  return app
}
