import type { Messages } from '../../src/text/messages'
import { button, composeEmail, dateTimeIn, paragraph, smallPrint, type EmailParams } from './parts'

export interface LoginEmailVerifyParams extends EmailParams {
  /** When the link stops working, as an ISO instant shown in `timeZone`. */
  expiresAt: string
}

export function loginEmailVerifyEmail(params: LoginEmailVerifyParams, link: string, t: Messages) {
  const words = t.emails.loginEmailVerify
  return composeEmail(
    params,
    {
      subject: words.subject(params.practiceName),
      blocks: [
        paragraph(`${words.asked(params.practiceName)}\n${words.openLink}`, words.asked(params.practiceName)),
        button(link, words.button),
        smallPrint(`${words.until(dateTimeIn(params, params.expiresAt))} ${words.notExpecting}`),
      ],
    },
    t,
  )
}

export interface LoginEmailChangedParams extends EmailParams {
  newEmail: string
  /** When the login email changed, as an ISO instant shown in `timeZone`. */
  changedAt: string
}

export function loginEmailChangedEmail(params: LoginEmailChangedParams, _link: string, t: Messages) {
  const words = t.emails.loginEmailChanged
  return composeEmail(
    params,
    {
      subject: words.subject(params.practiceName),
      blocks: [paragraph(words.changed(dateTimeIn(params, params.changedAt), params.newEmail)), paragraph(words.ifNotYou)],
    },
    t,
  )
}
