import { Hono } from 'hono'
import { currentUser, type AppContext, type AppEnv } from '../../http/env'
import { messagesOf } from '../../http/locale'
import { checkRemoval, getTwoStepStatus, removeSecondFactor, type RemovableFactor } from '../../two-step/two-step'
import { confirmation, confirmed, type Again } from './confirmation'
import { PATH, personOf } from './shared'

// Removing the authenticator app or a passkey, each confirmed with a current factor.

// Credential ids are base64url; authenticators keep them well under this.
const PASSKEY_ID = '{[A-Za-z0-9_-]{1,1400}}'

const passkeyIdOf = (c: AppContext) => c.req.param('id') ?? ''

const passkeyName = async (c: AppContext, id: string) =>
  (await getTwoStepStatus(c.get('deps'), currentUser(c).accountId)).passkeys.find((p) => p.id === id)?.name

// The last second factor of a person the practice requires two-step sign-in of stays: said
// above the confirmation form, before a factor is asked for (and spent), and again if the
// removal's own check refuses it.
const refusal = (c: AppContext, again: Again, factor: RemovableFactor) =>
  again({}, 409, messagesOf(c).twoStep.lastFactorRequired(currentUser(c).practiceName, factor.kind === 'totp' ? 'app' : 'passkey'))

async function remove(c: AppContext, factor: RemovableFactor, again: Again) {
  const check = await confirmed(c, again)
  if (!check.ok) return check.response
  const removed = await removeSecondFactor(c.get('deps'), {
    person: personOf(currentUser(c)),
    factor,
    ip: c.get('ip'),
    followUp: check.followUp,
  })
  if (!removed.ok && removed.reason === 'required') return refusal(c, again, factor)
  return c.redirect(`${PATH}?removed`, 303)
}

function showRemoveApp(c: AppContext) {
  return confirmation(c, { kind: 'totp' })()
}

async function showRemovePasskey(c: AppContext) {
  const name = await passkeyName(c, passkeyIdOf(c))
  if (!name) return c.notFound()
  return confirmation(c, { kind: 'passkey', id: passkeyIdOf(c) }, name)()
}

async function postRemoveApp(c: AppContext) {
  const factor: RemovableFactor = { kind: 'totp' }
  const again = confirmation(c, factor)
  const removable = await checkRemoval(c.get('deps'), { person: personOf(currentUser(c)), factor })
  if (removable.found && !removable.allowed) return refusal(c, again, factor)
  return remove(c, factor, again)
}

async function postRemovePasskey(c: AppContext) {
  const factor: RemovableFactor = { kind: 'passkey', id: passkeyIdOf(c) }
  const removable = await checkRemoval(c.get('deps'), { person: personOf(currentUser(c)), factor })
  if (!removable.found) return c.notFound()
  const again = confirmation(c, factor, removable.name)
  if (!removable.allowed) return refusal(c, again, factor)
  return remove(c, factor, again)
}

export function removalRoutes() {
  const app = new Hono<AppEnv>()
  app.get('/remove/app', showRemoveApp)
  app.get(`/remove/passkey/:id${PASSKEY_ID}`, showRemovePasskey)
  app.post('/remove/app', postRemoveApp)
  app.post(`/remove/passkey/:id${PASSKEY_ID}`, postRemovePasskey)
  return app
}
