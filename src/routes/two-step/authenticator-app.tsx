import { Hono } from 'hono'
import { currentUser, type AppContext, type AppEnv } from '../../http/env'
import { readForm } from '../../http/form'
import { TWO_STEP_SETUP_PATH } from '../../http/guards'
import { messagesOf } from '../../http/locale'
import { startTotpSetup, turnOnTotp } from '../../two-step/totp'
import { getTwoStepStatus } from '../../two-step/two-step'
import { PATH, personOf, twoStepPage } from './shared'

// The authenticator app: a new secret to scan, then a code from it turns it on.

async function postAppSetup(c: AppContext) {
  await startTotpSetup(c.get('deps'), personOf(currentUser(c)))
  return c.redirect(c.get('session')?.twoStepSetup ? TWO_STEP_SETUP_PATH : PATH, 303)
}

async function postAppTurnOn(c: AppContext) {
  const deps = c.get('deps')
  const user = currentUser(c)
  const t = messagesOf(c).twoStep
  const form = await readForm(c)
  const code = (form.code ?? '').slice(0, 32)
  if (code.trim() === '') return twoStepPage(c, { errors: { code: t.enterAppCode } }, 422)
  const status = await getTwoStepStatus(deps, user.accountId)
  const result = await turnOnTotp(deps, {
    person: personOf(user),
    code,
    ip: c.get('ip'),
    hadFactor: status.on,
    pendingSecret: status.totp.status === 'pending' ? status.totp.secret : null,
  })
  if (!result.ok) return result.reason === 'no-setup' ? c.redirect(PATH, 303) : twoStepPage(c, { errors: { code: t.wrongSetupCode } }, 422)
  return twoStepPage(c, { notice: t.appOnNotice, recoveryCodes: result.recoveryCodes ?? undefined }, 200, result.status)
}

export function authenticatorAppRoutes() {
  const app = new Hono<AppEnv>()
  app.post('/app/setup', postAppSetup)
  app.post('/app/turn-on', postAppTurnOn)
  return app
}
