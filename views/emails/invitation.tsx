import { formatDate, storedDate } from '../../src/text/format'
import { EmailButton, EmailLayout } from './layout'

export interface InvitationEmailParams {
  practiceName: string
  firstName: string
  inviterName: string
  /** When the link expires, as an ISO instant shown in `timeZone`. */
  expiresOn: string
  timeZone?: string
}

export function invitationEmail(params: InvitationEmailParams, link: string) {
  const expiresOn = storedDate(params.expiresOn, params.timeZone, formatDate)
  const subject = `You're invited to the ${params.practiceName} Staff Portal`
  const text = [
    `Hello ${params.firstName},`,
    '',
    `${params.inviterName} invited you to the ${params.practiceName} Staff Portal.`,
    'Open this link to create your account. You will choose a password and enter it twice:',
    '',
    link,
    '',
    `The link works once and expires on ${expiresOn}. If it has expired, ask your practice admin to send a new invitation.`,
    '',
    'If you were not expecting this, you can ignore this email.',
  ].join('\n')
  const html = (
    <EmailLayout practiceName={params.practiceName}>
      <p>Hello {params.firstName},</p>
      <p>
        {params.inviterName} invited you to the <strong>{params.practiceName}</strong> Staff Portal. Open the link to create your account:
        you will choose a password and enter it twice.
      </p>
      <EmailButton href={link} label="Create your account" />
      <p style="font-size:13px;color:#5b6776">
        Or paste this address into your browser: <br />
        {link}
      </p>
      <p style="font-size:13px;color:#5b6776">
        The link works once and expires on {expiresOn}. If it has expired, ask your practice admin to send a new invitation. If you were not
        expecting this, you can ignore this email.
      </p>
    </EmailLayout>
  )
  return { subject, text, html: `<!doctype html>${html}` }
}
