import { renderSVG } from 'uqr'
import { TwoStepPage, type TwoStepPageProps } from '../../../views/pages/two-step'
import type { SessionUser } from '../../auth/session'
import { currentUser, type AppContext } from '../../http/env'
import { messagesOf } from '../../http/locale'
import { render } from '../../http/render'
import type { Messages } from '../../text/messages'
import type { FactorResult, TwoStepPerson } from '../../two-step/person'
import { formatSetupKey, totpKeyUri } from '../../two-step/totp'
import { getTwoStepStatus, type TwoStepStatus } from '../../two-step/two-step'

// What every router of the person's own Two-Step Sign-In shares: where it lives, who it is for,
// and the page each action answers with.

export const PATH = '/account/two-step'

export const personOf = (user: SessionUser): TwoStepPerson => ({
  accountId: user.accountId,
  practiceId: user.practiceId,
  staffId: user.staffId,
})

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

/**
 * The Two-Step Sign-In page as it stands now, with what the action has to say on it; `known` is
 * the status when the action's own batch read it after its writes (no call of its own then).
 */
export async function twoStepPage(
  c: AppContext,
  extra: Omit<TwoStepPageProps, 't' | 'user' | 'status' | 'setup'> = {},
  status: 200 | 422 = 200,
  known?: TwoStepStatus,
) {
  const deps = c.get('deps')
  const user = currentUser(c)
  const twoStep = known ?? (await getTwoStepStatus(deps, user.accountId))
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
  return render(c, <TwoStepPage t={messagesOf(c)} user={user} status={twoStep} setup={setup} setUpRequired={setUpRequired} {...extra} />, {
    status,
  })
}
