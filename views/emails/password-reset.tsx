import { messagesFor, type Messages } from '../../src/text/messages'
import { button, code, composeEmail, dateTimeIn, dayIn, paragraph, smallPrint, type EmailParams } from './parts'

export type ResetCodeParams = EmailParams

export function resetCodeEmail(params: ResetCodeParams, resetCode: string, t: Messages = messagesFor('en')) {
  const words = t.emails.resetCode
  return composeEmail(
    params,
    {
      subject: words.subject(resetCode, params.practiceName),
      blocks: [code(words.lead(params.practiceName), resetCode), paragraph(words.enter), smallPrint(t.emails.notYou)],
    },
    t,
  )
}

export interface ResetLinkParams extends EmailParams {
  /** When the link stops working, as an ISO instant shown in `timeZone`. */
  expiresAt: string
}

export function resetLinkEmail(params: ResetLinkParams, link: string, t: Messages = messagesFor('en')) {
  const words = t.emails.resetLink
  const day = dayIn(params, params.expiresAt, true)
  // Rows from before the zone was kept hold English words.
  const through = params.timeZone ? words.through(day) : `It works once, through ${day} (your practice's time).`
  return composeEmail(
    params,
    {
      subject: words.subject(params.practiceName),
      blocks: [
        paragraph(`${words.sent(params.practiceName)}:`, `${words.sent(params.practiceName)}.`),
        button(link, words.button),
        smallPrint(through),
        smallPrint(t.emails.notYou),
      ],
    },
    t,
  )
}

export interface ResetLinkNoticeParams extends EmailParams {
  /** When the admin made the link, as an ISO instant shown in `timeZone`. */
  createdAt: string
}

/** Sent whenever an admin generates a reset link for someone: the link itself goes only to the admin. */
export function resetLinkNoticeEmail(params: ResetLinkNoticeParams, _link = '', t: Messages = messagesFor('en')) {
  const words = t.emails.resetLinkNotice
  return composeEmail(
    params,
    {
      subject: words.subject(params.practiceName),
      blocks: [
        paragraph(words.lead(params.practiceName, dateTimeIn(params, params.createdAt))),
        paragraph(words.then),
        smallPrint(t.emails.notYou),
      ],
    },
    t,
  )
}

export interface PasswordChangedParams extends EmailParams {
  /** When the password changed, as an ISO instant shown in `timeZone`. */
  changedAt: string
}

export function passwordChangedEmail(params: PasswordChangedParams, _link = '', t: Messages = messagesFor('en')) {
  const words = t.emails.passwordChanged
  return composeEmail(
    params,
    {
      subject: words.subject(params.practiceName),
      blocks: [paragraph(words.changed(dateTimeIn(params, params.changedAt))), paragraph(words.ifNotYou)],
    },
    t,
  )
}
