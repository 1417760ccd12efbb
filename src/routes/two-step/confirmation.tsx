import { Hono } from 'hono'
import { TwoStepConfirmPage, type TwoStepConfirmProps } from '../../../views/pages/two-step-confirm'
import { currentUser, type AppContext, type AppEnv } from '../../http/env'
import { readForm } from '../../http/form'
import { messagesOf } from '../../http/locale'
import { render } from '../../http/render'
import { startPasskeyAssertion } from '../../two-step/passkey-assertion-options'
import type { FactorRefusal, ReadGate } from '../../two-step/person'
import type { RemovableFactor } from '../../two-step/removal'
import { confirmWithFactor, getTwoStepStatus, type FactorAnswer } from '../../two-step/two-step'
import { factorMessage, PATH, personOf } from './shared'

// Removing a factor and making new codes: a confirmation page (GET changes nothing), then the
// POST with a current factor.

/**
 * The confirmation page for removing `factor`, or for new recovery codes when it is null; the
 * function it returns draws it again with what went wrong. `passkeyName` names the passkey
 * removed (or reads it when drawn: the POST learns it with the factor's first read); the app and
 * new codes need no name.
 */
export function confirmation(c: AppContext, factor: RemovableFactor | null, passkeyName: string | (() => string) = '') {
  const t = messagesOf(c)
  const words = t.twoStep
  const action =
    factor === null ? `${PATH}/recovery-codes/new` : factor.kind === 'totp' ? `${PATH}/remove/app` : `${PATH}/remove/passkey/${factor.id}`
  const base = () => {
    const name = factor?.kind === 'totp' ? words.yourApp : words.thePasskey(typeof passkeyName === 'string' ? passkeyName : passkeyName())
    return {
      action,
      title: factor === null ? words.newRecoveryCodes : words.removeTitle(name),
      buttonLabel: factor === null ? words.newRecoveryCodes : words.remove,
      explanation: factor === null ? words.newCodesExplanation : words.removeExplanation(name),
    }
  }
  return async (errors: TwoStepConfirmProps['errors'] = {}, status: 200 | 409 | 422 | 429 = 200, problem?: string) => {
    const twoStep = await getTwoStepStatus(c.get('deps'), currentUser(c).accountId)
    if (!twoStep.on) return c.redirect(PATH, 303)
    return render(
      c,
      <TwoStepConfirmPage
        t={t}
        user={currentUser(c)}
        {...base()}
        hasApp={twoStep.totp.status === 'on'}
        hasPasskey={twoStep.passkeys.length > 0}
        errors={errors}
        problem={problem}
      />,
      { status },
    )
  }
}

export type Again = ReturnType<typeof confirmation>

/** The answer the confirmation form carries, or null when it carries none. */
function answerOf(form: Record<string, string>): FactorAnswer | null {
  if (form.passkeyResponse) return { passkeyResponse: form.passkeyResponse.slice(0, 32_768) }
  if (form.recoveryCode?.trim()) return { recoveryCode: form.recoveryCode.slice(0, 64) }
  if (form.code?.trim()) return { totpCode: form.code.slice(0, 32) }
  return null
}

/**
 * A check of the change's own that refuses before any factor is asked for (the removal check):
 * its read rides in the factor's first read; `answer` is the route's answer when it refused.
 */
export interface ConfirmGate {
  gate: ReadGate
  answer: () => Response | Promise<Response> | null
}

/**
 * Checks the factor the confirmation form carries; when refused, the page again says why. With
 * `gate`, the gate's refusal is answered first, before the factor is asked for or tried. With
 * `claimInBatch`, an app code comes back as a claim for the change's batch (`claim`), and
 * `refuse` draws the page for its refusal when that batch finds the code used meanwhile. With
 * `codeInBatch`, a recovery code comes back unchecked (`code`) for the change's batch, and
 * `refuse` draws the page for what that batch found.
 */
export async function confirmed(
  c: AppContext,
  again: Again,
  options: { gate?: ConfirmGate; claimInBatch?: boolean; codeInBatch?: boolean } = {},
) {
  const { gate, claimInBatch, codeInBatch } = options
  const form = await readForm(c)
  const answer = answerOf(form)
  const t = messagesOf(c)
  const gated = async () => {
    const response = gate?.answer()
    return response ? { ok: false as const, response: await response } : null
  }
  if (!answer) {
    if (gate) gate.gate.refuses(await gate.gate.query)
    return (await gated()) ?? { ok: false as const, response: await again({ code: t.twoStep.enterCodeOrRecoveryCode }, 422) }
  }
  const field = 'passkeyResponse' in answer ? 'passkey' : 'recoveryCode' in answer ? 'recoveryCode' : 'code'
  const refuse = (result: FactorRefusal) =>
    again({ [field]: factorMessage(result, field, t) }, result.reason === 'throttled' || result.reason === 'locked' ? 429 : 422)
  // The answer's own writes (clearing its failures, its audit row, a recovery code's notice) go
  // in the change's batch; `notify` sends that notice after it.
  const result = await confirmWithFactor(c.get('deps'), {
    person: personOf(currentUser(c)),
    answer,
    ip: c.get('ip'),
    deferWrites: true,
    claimInBatch,
    codeInBatch,
    gate: gate?.gate,
  })
  if (result.ok)
    return { ok: true as const, followUp: result.followUp, notify: result.notify, claim: result.claim, code: result.code, refuse }
  return (await gated()) ?? { ok: false as const, response: await refuse(result) }
}

// Asked for with fetch by public/passkey.js when the confirmation is answered with a passkey.
async function postConfirmOptions(c: AppContext) {
  const options = await startPasskeyAssertion(c.get('deps'), { purpose: 'confirm', person: personOf(currentUser(c)) })
  return c.json(options)
}

export function confirmationRoutes() {
  const app = new Hono<AppEnv>()
  app.post('/confirm/options', postConfirmOptions)
  return app
}
