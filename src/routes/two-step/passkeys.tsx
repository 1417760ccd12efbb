import { Hono } from 'hono'
import { z } from 'zod'
import { currentUser, type AppContext, type AppEnv } from '../../http/env'
import { readForm } from '../../http/form'
import { messagesOf } from '../../http/locale'
import { addPasskey, startPasskeyRegistration } from '../../two-step/passkey-registration'
import { PASSKEY_NAME_MAX } from '../../two-step/passkeys'
import { PATH, personOf, twoStepPage } from './shared'

// Adding a passkey: the browser asks for options, then posts the named passkey it made.

// The messages name keys of the twoStep catalog, said in the person's language.
const passkeyNameSchema = z
  .string()
  .default('')
  .transform((v) => v.trim())
  .pipe(z.string().min(1, 'enterPasskeyName').max(PASSKEY_NAME_MAX, 'passkeyNameTooLong'))

// Asked for with fetch by public/passkey.js, posted as a form so the CSRF check (Origin) applies to it.
async function postPasskeyOptions(c: AppContext) {
  const user = currentUser(c)
  const options = await startPasskeyRegistration(c.get('deps'), {
    person: personOf(user),
    email: user.email,
    displayName: `${user.firstName} ${user.lastName}`,
  })
  return c.json(options)
}

async function postPasskey(c: AppContext) {
  const deps = c.get('deps')
  const user = currentUser(c)
  const t = messagesOf(c).twoStep
  const form = await readForm(c)
  const name = passkeyNameSchema.safeParse(form.name)
  if (!name.success) {
    const tooLong = name.error.issues[0]?.message === 'passkeyNameTooLong'
    return twoStepPage(
      c,
      { errors: { passkeyName: tooLong ? t.passkeyNameTooLong : t.enterPasskeyName }, passkeyName: form.name?.slice(0, 200) },
      422,
    )
  }
  // Whether this is the first factor (recovery codes then) is read in the change's own batch.
  const result = await addPasskey(deps, {
    person: personOf(user),
    name: name.data,
    response: (form.credential ?? '').slice(0, 32_768),
    ip: c.get('ip'),
  })
  if (!result.ok) {
    const message = t.passkeyNotAdded[result.reason === 'too-many' ? 'tooMany' : result.reason]
    return twoStepPage(c, { errors: { passkey: message }, passkeyName: name.data }, 422)
  }
  if (result.recoveryCodes) return twoStepPage(c, { notice: t.passkeyOnNotice, recoveryCodes: result.recoveryCodes }, 200, result.status)
  return c.redirect(`${PATH}?added`, 303)
}

export function passkeyRoutes() {
  const app = new Hono<AppEnv>()
  app.post('/passkeys/options', postPasskeyOptions)
  app.post('/passkeys', postPasskey)
  return app
}
