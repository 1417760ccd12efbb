import { getDeviceCookie, setDeviceCookie, setSessionCookie } from '../auth/cookie'
import { addKnownDevice, readKnownDevices } from '../auth/devices'
import type { AppContext } from './env'

// What every way in (password, second step, passkey) takes from the browser, and gives it back.

/** The browser a login comes from: its address, its user agent, the session it had, its known-device cookie. */
export function loginBrowser(c: AppContext) {
  const deps = c.get('deps')
  return {
    ip: c.get('ip'),
    userAgent: c.req.header('User-Agent') ?? '',
    previousSessionId: c.get('session')?.id,
    knownDevices: readKnownDevices(deps.config.DEVICE_COOKIE_SECRET, getDeviceCookie(c), deps.clock.now()),
  }
}

/** Only once a login has fully succeeded: the session, and this browser is now one of the account's own. */
export function keepSignedIn(c: AppContext, login: { token: string; accountId: string }) {
  const deps = c.get('deps')
  setSessionCookie(c, login.token)
  const devices = addKnownDevice(deps.config.DEVICE_COOKIE_SECRET, getDeviceCookie(c), login.accountId, deps.clock.now())
  if (devices) setDeviceCookie(c, devices)
}
