import { Hono } from 'hono'
import { renderSVG } from 'uqr'
import { z } from 'zod'
import { TwoStepConfirmPage, type TwoStepConfirmProps } from '../../views/pages/two-step-confirm'
import { TwoStepPage, type TwoStepPageProps } from '../../views/pages/two-step'
import type { SessionUser } from '../auth/session'
import { currentUser, type AppContext, type AppEnv } from '../http/env'
import { readForm } from '../http/form'
import { messagesOf } from '../http/locale'
import { requireUser, TWO_STEP_SETUP_PATH } from '../http/guards'
import { render } from '../http/render'
import { startPasskeyAssertion } from '../two-step/passkey-assertion'
import { addPasskey, startPasskeyRegistration } from '../two-step/passkey-registration'
import { PASSKEY_NAME_MAX } from '../two-step/passkeys'
import type { FactorResult, TwoStepPerson } from '../two-step/person'
import { replaceRecoveryCodes } from '../two-step/recovery-codes'
import { formatSetupKey, startTotpSetup, totpKeyUri, turnOnTotp } from '../two-step/totp'
import {
  checkRemoval,
  confirmWithFactor,
  getTwoStepStatus,
  removeSecondFactor,
  type FactorAnswer,
  type RemovableFactor,
} from '../two-step/two-step'
import type { Messages } from '../text/messages'

const PATH = '/account/two-step'
// Credential ids are base64url; authenticators keep them well under this.
const PASSKEY_ID = '{[A-Za-z0-9_-]{1,1400}}'

const personOf = (user: SessionUser): TwoStepPerson => ({ accountId: user.accountId, practiceId: user.practiceId, staffId: user.staffId })

// The messages name keys of the twoStep catalog, said in the person's language.
const passkeyNameSchema = z
  .string()
  .default('')
  .transform((v) => v.trim())
  .pipe(z.string().min(1, 'enterPasskeyName').max(PASSKEY_NAME_MAX, 'passkeyNameTooLong'))

/** Which answer a second factor was refused for. */
export type FactorKind = 'code' | 'recoveryCode' | 'passkey'

/** Words for a refused second factor; the same for a wrong and a replayed code. */
export function factorMessage(result: Extract<FactorResult, { ok: false }>, what: FactorKind, t: Messages): string {
  const words = t.twoStep.refused
  if (result.reason === 'throttled') return words.throttled(result.retryAfterMs ?? 60_000)
  if (result.reason === 'locked') return words.locked
  if (result.reason === 'unavailable') return words.unavailable[what]
  return words.wrong[what]
}

/** The person's own Two-Step Sign-In page (staff and admins alike), under /account/two-step. */
export function twoStepRoutes() {
  const app = new Hono<AppEnv>()
  app.use('*', requireUser)

  const page = async (c: AppContext, extra: Omit<TwoStepPageProps, 't' | 'user' | 'status' | 'setup'> = {}, status: 200 | 422 = 200) => {
    const deps = c.get('deps')
    const user = currentUser(c)
    const twoStep = await getTwoStepStatus(deps, user.accountId)
    const setup =
      twoStep.totp.status === 'pending'
        ? {
            qrSvg: renderSVG(totpKeyUri({ issuer: user.practiceName, accountName: user.email, secret: twoStep.totp.secret }), {
              border: 2,
            }),
            setupKey: formatSetupKey(twoStep.totp.secret),
          }
        : undefined
    const setUpRequired = (c.get('session')?.twoStepSetup ?? false) && !twoStep.on
    return render(
      c,
      <TwoStepPage t={messagesOf(c)} user={user} status={twoStep} setup={setup} setUpRequired={setUpRequired} {...extra} />,
      { status },
    )
  }

  // Where a session held by the practice's policy lands (src/http/guards.ts); anyone else has the page itself.
  app.get('/setup', (c) => (c.get('session')?.twoStepSetup ? page(c) : c.redirect(PATH, 303)))

  app.get('/', (c) => {
    const t = messagesOf(c).twoStep
    const notices: Record<string, string> = { removed: t.removedNotice, added: t.passkeyAddedNotice }
    const key = Object.keys(notices).find((k) => c.req.query(k) !== undefined)
    return page(c, { notice: key ? notices[key] : undefined })
  })

  app.post('/app/setup', async (c) => {
    await startTotpSetup(c.get('deps'), personOf(currentUser(c)))
    return c.redirect(c.get('session')?.twoStepSetup ? TWO_STEP_SETUP_PATH : PATH, 303)
  })

  app.post('/app/turn-on', async (c) => {
    const deps = c.get('deps')
    const user = currentUser(c)
    const t = messagesOf(c).twoStep
    const form = await readForm(c)
    const code = (form.code ?? '').slice(0, 32)
    if (code.trim() === '') return page(c, { errors: { code: t.enterAppCode } }, 422)
    const status = await getTwoStepStatus(deps, user.accountId)
    const result = await turnOnTotp(deps, {
      person: personOf(user),
      code,
      ip: c.get('ip'),
      hadFactor: status.on,
      pendingSecret: status.totp.status === 'pending' ? status.totp.secret : null,
    })
    if (!result.ok) return result.reason === 'no-setup' ? c.redirect(PATH, 303) : page(c, { errors: { code: t.wrongSetupCode } }, 422)
    return page(c, { notice: t.appOnNotice, recoveryCodes: result.recoveryCodes ?? undefined })
  })

  // Asked for with fetch by public/passkey.js, posted as a form so the CSRF check (Origin) applies to it.
  app.post('/passkeys/options', async (c) => {
    const user = currentUser(c)
    const options = await startPasskeyRegistration(c.get('deps'), {
      person: personOf(user),
      email: user.email,
      displayName: `${user.firstName} ${user.lastName}`,
    })
    return c.json(options)
  })

  app.post('/passkeys', async (c) => {
    const deps = c.get('deps')
    const user = currentUser(c)
    const t = messagesOf(c).twoStep
    const form = await readForm(c)
    const name = passkeyNameSchema.safeParse(form.name)
    if (!name.success) {
      const tooLong = name.error.issues[0]?.message === 'passkeyNameTooLong'
      return page(
        c,
        { errors: { passkeyName: tooLong ? t.passkeyNameTooLong : t.enterPasskeyName }, passkeyName: form.name?.slice(0, 200) },
        422,
      )
    }
    const status = await getTwoStepStatus(deps, user.accountId)
    const result = await addPasskey(deps, {
      person: personOf(user),
      name: name.data,
      response: (form.credential ?? '').slice(0, 32_768),
      ip: c.get('ip'),
      hadFactor: status.on,
    })
    if (!result.ok) {
      const message = t.passkeyNotAdded[result.reason === 'too-many' ? 'tooMany' : result.reason]
      return page(c, { errors: { passkey: message }, passkeyName: name.data }, 422)
    }
    if (result.recoveryCodes) return page(c, { notice: t.passkeyOnNotice, recoveryCodes: result.recoveryCodes })
    return c.redirect(`${PATH}?added`, 303)
  })

  app.post('/confirm/options', async (c) => {
    const options = await startPasskeyAssertion(c.get('deps'), { purpose: 'confirm', person: personOf(currentUser(c)) })
    return c.json(options)
  })

  // Removing a factor and making new codes: a confirmation page (GET changes nothing), then the
  // POST with a current factor.
  // `passkeyName` names the passkey removed; the app and new codes need no name.
  const confirmation = (c: AppContext, factor: RemovableFactor | null, passkeyName = '') => {
    const t = messagesOf(c)
    const words = t.twoStep
    const action =
      factor === null ? `${PATH}/recovery-codes/new` : factor.kind === 'totp' ? `${PATH}/remove/app` : `${PATH}/remove/passkey/${factor.id}`
    const name = factor?.kind === 'totp' ? words.yourApp : words.thePasskey(passkeyName)
    const base = {
      action,
      title: factor === null ? words.newRecoveryCodes : words.removeTitle(name),
      buttonLabel: factor === null ? words.newRecoveryCodes : words.remove,
      explanation: factor === null ? words.newCodesExplanation : words.removeExplanation(name),
    }
    return async (errors: TwoStepConfirmProps['errors'] = {}, status: 200 | 409 | 422 | 429 = 200, problem?: string) => {
      const twoStep = await getTwoStepStatus(c.get('deps'), currentUser(c).accountId)
      if (!twoStep.on) return c.redirect(PATH, 303)
      return render(
        c,
        <TwoStepConfirmPage
          t={t}
          user={currentUser(c)}
          {...base}
          hasApp={twoStep.totp.status === 'on'}
          hasPasskey={twoStep.passkeys.length > 0}
          errors={errors}
          problem={problem}
        />,
        { status },
      )
    }
  }

  /** The answer the confirmation form carries, or null when it carries none. */
  const answerOf = (form: Record<string, string>): FactorAnswer | null => {
    if (form.passkeyResponse) return { passkeyResponse: form.passkeyResponse.slice(0, 32_768) }
    if (form.recoveryCode?.trim()) return { recoveryCode: form.recoveryCode.slice(0, 64) }
    if (form.code?.trim()) return { totpCode: form.code.slice(0, 32) }
    return null
  }

  const confirmed = async (c: AppContext, again: ReturnType<typeof confirmation>) => {
    const form = await readForm(c)
    const answer = answerOf(form)
    const t = messagesOf(c)
    if (!answer) return { ok: false as const, response: await again({ code: t.twoStep.enterCodeOrRecoveryCode }, 422) }
    // The answer's own writes (clearing its failures, its audit row) go in the change's batch.
    const result = await confirmWithFactor(c.get('deps'), { person: personOf(currentUser(c)), answer, ip: c.get('ip'), deferWrites: true })
    if (result.ok) return { ok: true as const, followUp: result.followUp }
    const field = 'passkeyResponse' in answer ? 'passkey' : 'recoveryCode' in answer ? 'recoveryCode' : 'code'
    return {
      ok: false as const,
      response: await again(
        { [field]: factorMessage(result, field, t) },
        result.reason === 'throttled' || result.reason === 'locked' ? 429 : 422,
      ),
    }
  }

  const passkeyName = async (c: AppContext, id: string) =>
    (await getTwoStepStatus(c.get('deps'), currentUser(c).accountId)).passkeys.find((p) => p.id === id)?.name

  // The last second factor of a person the practice requires two-step sign-in of stays: said
  // above the confirmation form, before a factor is asked for (and spent), and again if the
  // removal's own check refuses it.
  const refusal = (c: AppContext, again: ReturnType<typeof confirmation>, factor: RemovableFactor) =>
    again({}, 409, messagesOf(c).twoStep.lastFactorRequired(currentUser(c).practiceName, factor.kind === 'totp' ? 'app' : 'passkey'))

  const remove = async (c: AppContext, factor: RemovableFactor, again: ReturnType<typeof confirmation>) => {
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

  app.get('/remove/app', (c) => confirmation(c, { kind: 'totp' })())
  app.get(`/remove/passkey/:id${PASSKEY_ID}`, async (c) => {
    const name = await passkeyName(c, c.req.param('id'))
    if (!name) return c.notFound()
    return confirmation(c, { kind: 'passkey', id: c.req.param('id') }, name)()
  })
  app.get('/recovery-codes/new', (c) => confirmation(c, null)())

  app.post('/remove/app', async (c) => {
    const factor: RemovableFactor = { kind: 'totp' }
    const again = confirmation(c, factor)
    const removable = await checkRemoval(c.get('deps'), { person: personOf(currentUser(c)), factor })
    if (removable.found && !removable.allowed) return refusal(c, again, factor)
    return remove(c, factor, again)
  })

  app.post(`/remove/passkey/:id${PASSKEY_ID}`, async (c) => {
    const factor: RemovableFactor = { kind: 'passkey', id: c.req.param('id') }
    const removable = await checkRemoval(c.get('deps'), { person: personOf(currentUser(c)), factor })
    if (!removable.found) return c.notFound()
    const again = confirmation(c, factor, removable.name)
    if (!removable.allowed) return refusal(c, again, factor)
    return remove(c, factor, again)
  })

  app.post('/recovery-codes/new', async (c) => {
    const check = await confirmed(c, confirmation(c, null))
    if (!check.ok) return check.response
    const codes = await replaceRecoveryCodes(c.get('deps'), { person: personOf(currentUser(c)), ip: c.get('ip'), followUp: check.followUp })
    return page(c, { notice: messagesOf(c).twoStep.newCodesNotice, recoveryCodes: codes })
  })

  return app
}
