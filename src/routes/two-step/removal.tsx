import { Hono } from 'hono'
import { currentUser, type AppContext, type AppEnv } from '../../http/env'
import { messagesOf } from '../../http/locale'
import { removalGate, removeSecondFactor, type RemovableFactor, type RemovalCheck } from '../../two-step/removal'
import { getTwoStepStatus } from '../../two-step/two-step'
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

/**
 * The removal check (is the factor the person's, may it go) is answered before a factor is
 * asked for, and so before one is spent: its read rides in the confirming code's first read (or
 * comes first on its own for a passkey's answer or none). `refuses` says which checks refuse
 * here; the removal's own batch checks again.
 */
async function remove(c: AppContext, factor: RemovableFactor, refuses: (check: RemovalCheck) => boolean) {
  const deps = c.get('deps')
  const person = personOf(currentUser(c))
  const removal = removalGate(deps, { person, factor, refuses })
  const name = () => {
    const check = removal.check()
    return check?.found ? check.name : ''
  }
  const again = confirmation(c, factor, name)
  const answer = () => {
    const check = removal.check()
    if (!check || !refuses(check)) return null
    return check.found ? refusal(c, again, factor) : c.notFound()
  }
  // A recovery code is checked, counted and spent in the removal's own batch.
  const check = await confirmed(c, again, { gate: { gate: removal.gate, answer }, codeInBatch: true })
  if (!check.ok) return check.response
  const removed = await removeSecondFactor(deps, {
    person,
    factor,
    ip: c.get('ip'),
    followUp: check.followUp,
    notify: check.notify,
    code: check.code,
  })
  if (!removed.ok && removed.reason === 'refused') return check.refuse(removed.refused)
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

// The app: a removal the practice's policy refuses is said at once; an app already gone goes on
// to the removal, which finds nothing to remove.
function postRemoveApp(c: AppContext) {
  return remove(c, { kind: 'totp' }, (check) => check.found && !check.allowed)
}

// A passkey: not the person's (or gone) is a 404; one the policy keeps is said at once.
function postRemovePasskey(c: AppContext) {
  return remove(c, { kind: 'passkey', id: passkeyIdOf(c) }, (check) => !check.found || !check.allowed)
}

export function removalRoutes() {
  const app = new Hono<AppEnv>()
  app.get('/remove/app', showRemoveApp)
  app.get(`/remove/passkey/:id${PASSKEY_ID}`, showRemovePasskey)
  app.post('/remove/app', postRemoveApp)
  app.post(`/remove/passkey/:id${PASSKEY_ID}`, postRemovePasskey)
  return app
}
