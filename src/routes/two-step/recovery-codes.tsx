import { Hono } from 'hono'
import { currentUser, type AppContext, type AppEnv } from '../../http/env'
import { messagesOf } from '../../http/locale'
import { renewRecoveryCodes } from '../../two-step/recovery-codes'
import { confirmation, confirmed } from './confirmation'
import { personOf, twoStepPage } from './shared'

// New recovery codes, confirmed with a current factor: the old codes stop working.

function showNewRecoveryCodes(c: AppContext) {
  return confirmation(c, null)()
}

async function postNewRecoveryCodes(c: AppContext) {
  // An app code is used up in the new codes' own batch (claimInBatch), a recovery code checked and spent there (codeInBatch).
  const check = await confirmed(c, confirmation(c, null), { claimInBatch: true, codeInBatch: true })
  if (!check.ok) return check.response
  const renewed = await renewRecoveryCodes(c.get('deps'), {
    person: personOf(currentUser(c)),
    ip: c.get('ip'),
    followUp: check.followUp,
    claim: check.claim,
    code: check.code,
  })
  if (!renewed.ok) return check.refuse(renewed.refused)
  await check.notify?.()
  return twoStepPage(c, { notice: messagesOf(c).twoStep.newCodesNotice, recoveryCodes: renewed.codes }, 200, renewed.status)
}

export function recoveryCodeRoutes() {
  const app = new Hono<AppEnv>()
  app.get('/recovery-codes/new', showNewRecoveryCodes)
  app.post('/recovery-codes/new', postNewRecoveryCodes)
  return app
}
