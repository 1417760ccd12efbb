import { formatDateTime, storedDate } from '../../src/text/format'
import { EmailLayout } from './layout'

interface Common {
  practiceName: string
  firstName: string
  /** When it happened, as an ISO instant shown in `timeZone`. */
  at: string
  timeZone?: string
}

const when = (params: Common) => storedDate(params.at, params.timeZone, formatDateTime)

export interface TwoStepOnParams extends Common {
  /** "an authenticator app", "the passkey “Work laptop”" */
  factor: string
}

export interface TwoStepOffParams extends Common {
  factor: string
  /** Whether another factor still guards the account. */
  stillOn: boolean
}

export type TwoStepResetParams = Common

export interface RecoveryCodeUsedParams extends Common {
  remaining: number
}

const IF_NOT_YOU = 'If this was not you, contact your practice admin at once.'

function message(params: Common, subject: string, lines: string[]) {
  const text = [`Hello ${params.firstName},`, '', ...lines, '', IF_NOT_YOU].join('\n')
  const html = (
    <EmailLayout practiceName={params.practiceName}>
      <p>Hello {params.firstName},</p>
      {lines.map((line) => (
        <p>{line}</p>
      ))}
      <p style="font-size:13px;color:#5b6776">{IF_NOT_YOU}</p>
    </EmailLayout>
  )
  return { subject, text, html: `<!doctype html>${html}` }
}

export function twoStepOnEmail(params: TwoStepOnParams) {
  return message(params, `Two-step sign-in: ${params.factor} was added to your ${params.practiceName} Staff Portal account`, [
    `On ${when(params)}, ${params.factor} was added to the two-step sign-in of your Staff Portal account.`,
    'From now on you log in with your password and then this second step.',
  ])
}

export function twoStepOffEmail(params: TwoStepOffParams) {
  return message(
    params,
    params.stillOn
      ? `Two-step sign-in: ${params.factor} was removed from your ${params.practiceName} Staff Portal account`
      : `Two-step sign-in was turned off for your ${params.practiceName} Staff Portal account`,
    [
      `On ${when(params)}, ${params.factor} was removed from the two-step sign-in of your Staff Portal account.`,
      params.stillOn
        ? 'Your other second steps still work.'
        : 'Two-step sign-in is now off: your password alone logs you in, and your recovery codes no longer work.',
    ],
  )
}

export function twoStepResetEmail(params: TwoStepResetParams) {
  return message(params, `Your practice admin reset two-step sign-in for your ${params.practiceName} Staff Portal account`, [
    `On ${when(params)}, your practice admin reset the two-step sign-in of your Staff Portal account: your authenticator app, passkeys and recovery codes were removed, and every session was signed out.`,
    'Log in with your password and set up two-step sign-in again from your portal home.',
  ])
}

export function recoveryCodeUsedEmail(params: RecoveryCodeUsedParams) {
  return message(params, `A recovery code was used on your ${params.practiceName} Staff Portal account`, [
    `On ${when(params)}, one of your recovery codes was used to sign in to your Staff Portal account. Each code works once.`,
    params.remaining === 0
      ? 'You have no recovery codes left: make new ones on the Two-Step Sign-In page.'
      : `You have ${params.remaining} recovery code${params.remaining === 1 ? '' : 's'} left. You can make new ones on the Two-Step Sign-In page.`,
  ])
}
