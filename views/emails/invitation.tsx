import type { Messages } from '../../src/text/messages'
import { button, composeEmail, dayIn, paragraph, smallPrint, type EmailParams } from './parts'

export interface InvitationEmailParams extends EmailParams {
  inviterName: string
  /** When the link expires, as an ISO instant shown in `timeZone`. */
  expiresOn: string
}

export function invitationEmail(params: InvitationEmailParams, link: string, t: Messages) {
  const words = t.emails.invitation
  const invited = words.invited(params.inviterName, params.practiceName)
  return composeEmail(
    params,
    {
      subject: words.subject(params.practiceName),
      blocks: [
        paragraph(`${invited}\n${words.openLink}`, `${invited} ${words.openLinkHtml}`),
        button(link, words.button),
        smallPrint(`${words.expires(dayIn(params, params.expiresOn))} ${words.notExpecting}`),
      ],
    },
    t,
  )
}
