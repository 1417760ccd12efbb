import { formatDateTime, lastDay, storedDate } from '../../src/text/format'
import { EmailButton, EmailLayout } from './layout'

export interface ResetCodeParams {
  practiceName: string
  firstName: string
}

export function resetCodeEmail(params: ResetCodeParams, code: string) {
  const subject = `Your ${params.practiceName} Staff Portal verification code`
  const text = [
    `Hello ${params.firstName},`,
    '',
    `Your verification code is ${code}`,
    '',
    'Enter it with your new password on the page where you asked for it, in the same browser. It expires in 10 minutes and works once.',
    'If you did not ask to reset your password, ignore this email: your password stays as it is.',
  ].join('\n')
  const html = (
    <EmailLayout practiceName={params.practiceName}>
      <p>Hello {params.firstName},</p>
      <p>Your verification code is</p>
      <p style="font-size:28px;font-weight:bold;letter-spacing:4px;margin:8px 0 16px">{code}</p>
      <p>
        Enter it with your new password on the page where you asked for it, in the same browser. It expires in 10 minutes and works once.
      </p>
      <p style="font-size:13px;color:#5b6776">
        If you did not ask to reset your password, ignore this email: your password stays as it is.
      </p>
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
    'Your practice admin sent you a link to set a new password:',
    '',
    link,
    '',
    `It works once, through ${through} (your practice's time).`,
  ].join('\n')
  const html = (
    <EmailLayout practiceName={params.practiceName}>
      <p>Hello {params.firstName},</p>
      <p>Your practice admin sent you a link to set a new password.</p>
      <EmailButton href={link} label="Set a new password" />
      <p style="font-size:13px;color:#5b6776">
        Or paste this address into your browser: <br />
        {link}
      </p>
      <p style="font-size:13px;color:#5b6776">It works once, through {through} (your practice's time).</p>
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
