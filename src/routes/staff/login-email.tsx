import { Hono } from 'hono'
import { actorOf, type AppContext, type AppEnv } from '../../http/env'
import { readForm } from '../../http/form'
import { newLoginEmailSchema, requestLoginEmailChange } from '../../login-email/login-email'
import { answer, error, info, staffIdOf, TAB } from './portal-tab'

// Change Login Email on the Staff Portal tab: the verification goes to the new address.

const loginEmailRefusal = {
  'no-account': 'This staff member has no portal account.',
  same: 'This is already their login email.',
  // The same words whether the address is a login here or in another practice: nothing about
  // another practice's accounts may show.
  unavailable: 'This address cannot be used for a login. Choose another address.',
} as const

async function postLoginEmail(c: AppContext) {
  const form = await readForm(c)
  const value = (form.newEmail ?? '').slice(0, 254)
  const parsed = newLoginEmailSchema.safeParse(form)
  if (!parsed.success) return answer(c, { status: 422, loginEmail: { value, error: parsed.error.issues[0]?.message } })
  const { newEmail } = parsed.data
  const result = await requestLoginEmailChange(c.get('deps'), { actor: actorOf(c), staffId: staffIdOf(c), newEmail })
  if (!result.ok) {
    if (result.reason === 'not-found') return c.notFound()
    if (result.reason === 'no-account') return answer(c, { status: 422, message: error(loginEmailRefusal[result.reason]) })
    return answer(c, { status: 422, loginEmail: { value, error: loginEmailRefusal[result.reason] } })
  }
  return answer(c, {
    record: result.record,
    message: result.delivered
      ? info(`A verification link was sent to ${result.to}. The login email changes when they follow it.`)
      : error(`The verification email to ${result.to} could not be delivered. Try Send Verification again later.`),
  })
}

export function loginEmailRoutes() {
  const app = new Hono<AppEnv>()
  app.post(`${TAB}/login-email`, postLoginEmail)
  return app
}
