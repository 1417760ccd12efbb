import { formatDateTime, lastDay, storedDate } from '../../src/text/format'
import { EmailButton, EmailLayout } from './layout'

/** Said in every account email: the person may not be the one who asked. */
export const NOT_YOU = 'If you did not ask for this, ignore this email; your password has not changed.'
const small = 'font-size:13px;color:#5b6776'

export interface ResetCodeParams {
  practiceName: string
  firstName: string
}

export function resetCodeEmail(params: ResetCodeParams, code: string) {
  // The code leads the subject, so a phone's lock-screen notification shows it.
  const subject = `${code} is your ${params.practiceName} verification code`
  const text = [
    `Hello ${params.firstName},`,
    '',
    `Your ${params.practiceName} Staff Portal verification code is ${code}`,
    '',
    'Enter it with your new password on the page where you asked for it, in the same browser. It expires in 10 minutes and works once.',
    '',
    NOT_YOU,
  ].join('\n')
  const html = (
    <EmailLayout practiceName={params.practiceName}>
      <p>Hello {params.firstName},</p>
      <p>Your {params.practiceName} Staff Portal verification code is</p>
      <p style="font-size:28px;font-weight:bold;letter-spacing:4px;margin:8px 0 16px">{code}</p>
      <p>
        Enter it with your new password on the page where you asked for it, in the same browser. It expires in 10 minutes and works once.
      </p>
      <p style={small}>{NOT_YOU}</p>
    </EmailLayout>
  )
  return { subject, text, html: `<!doctype html>${html}` }
}

export interface ResetLinkParams {
  practiceName: string
  firstName: string
  /** When the link stops working, as an ISO instant shown in `timeZone`. */
  expiresAt: string
  timeZone?: string
}

export function resetLinkEmail(params: ResetLinkParams, link: string) {
  const through = storedDate(params.expiresAt, params.timeZone, lastDay)
  const subject = `Reset your ${params.practiceName} Staff Portal password`
  const text = [
    `Hello ${params.firstName},`,
    '',
    `Your ${params.practiceName} admin sent you a link to set a new password for the Staff Portal:`,
    '',
    link,
    '',
    `It works once, through ${through} (your practice's time).`,
    '',
    NOT_YOU,
  ].join('\n')
  const html = (
    <EmailLayout practiceName={params.practiceName}>
      <p>Hello {params.firstName},</p>
      <p>Your {params.practiceName} admin sent you a link to set a new password for the Staff Portal.</p>
      <EmailButton href={link} label="Set a new password" />
      <p style="font-size:13px;color:#5b6776">
        Or paste this address into your browser: <br />
        {link}
      </p>
      <p style={small}>It works once, through {through} (your practice's time).</p>
      <p style={small}>{NOT_YOU}</p>
    </EmailLayout>
  )
  return { subject, text, html: `<!doctype html>${html}` }
}

export interface ResetLinkNoticeParams {
  practiceName: string
  firstName: string
  /** When the admin made the link, as an ISO instant shown in `timeZone`. */
  createdAt: string
  timeZone?: string
}

/** Sent whenever an admin generates a reset link for someone: the link itself goes only to the admin. */
export function resetLinkNoticeEmail(params: ResetLinkNoticeParams) {
  const createdAt = storedDate(params.createdAt, params.timeZone, formatDateTime)
  const subject = `A password reset link was made for your ${params.practiceName} Staff Portal account`
  const lead = `An admin of ${params.practiceName} created a password reset link for your account on ${createdAt}.`
  const then = 'If you asked them for help, they will give you the link. If you did not, ask your practice admin why.'
  const text = [`Hello ${params.firstName},`, '', lead, then, '', NOT_YOU].join('\n')
  const html = (
    <EmailLayout practiceName={params.practiceName}>
      <p>Hello {params.firstName},</p>
      <p>{lead}</p>
      <p>{then}</p>
      <p style={small}>{NOT_YOU}</p>
    </EmailLayout>
  )
  return { subject, text, html: `<!doctype html>${html}` }
}

export interface PasswordChangedParams {
  practiceName: string
  firstName: string
  /** When the password changed, as an ISO instant shown in `timeZone`. */
  changedAt: string
  timeZone?: string
}

export function passwordChangedEmail(params: PasswordChangedParams) {
  const changedAt = storedDate(params.changedAt, params.timeZone, formatDateTime)
  const subject = `Your ${params.practiceName} Staff Portal password was changed`
  const text = [
    `Hello ${params.firstName},`,
    '',
    `The password of your Staff Portal account was changed on ${changedAt}, and every session was signed out.`,
    'If this was you, there is nothing to do. If not, contact your practice admin at once.',
  ].join('\n')
  const html = (
    <EmailLayout practiceName={params.practiceName}>
      <p>Hello {params.firstName},</p>
      <p>The password of your Staff Portal account was changed on {changedAt}, and every session was signed out.</p>
      <p>If this was you, there is nothing to do. If not, contact your practice admin at once.</p>
    </EmailLayout>
  )
  return { subject, text, html: `<!doctype html>${html}` }
}
