import { EmailButton, EmailLayout } from './layout'

export interface InvitationEmailParams {
  practiceName: string
  firstName: string
  inviterName: string
  expiresOn: string
}

export function invitationEmail(params: InvitationEmailParams, link: string) {
  const subject = `You're invited to the ${params.practiceName} Staff Portal`
  const text = [
    `Hello ${params.firstName},`,
    '',
    `${params.inviterName} invited you to the ${params.practiceName} Staff Portal.`,
    'Open this link to create your account. You will choose a password and enter it twice:',
    '',
    link,
    '',
    `The link works once and expires on ${params.expiresOn}. If it has expired, ask your practice admin to send a new invitation.`,
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
        The link works once and expires on {params.expiresOn}. If it has expired, ask your practice admin to send a new invitation. If you
        were not expecting this, you can ignore this email.
      </p>
    </EmailLayout>
  )
  return { subject, text, html: `<!doctype html>${html}` }
}
