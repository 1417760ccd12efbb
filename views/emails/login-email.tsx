import { formatDateTime, storedDate } from '../../src/text/format'
import { EmailButton, EmailLayout } from './layout'

export interface LoginEmailVerifyParams {
  practiceName: string
  firstName: string
  /** When the link stops working, as an ISO instant shown in `timeZone`. */
  expiresAt: string
  timeZone?: string
}

export function loginEmailVerifyEmail(params: LoginEmailVerifyParams, link: string) {
  const until = storedDate(params.expiresAt, params.timeZone, formatDateTime)
  const subject = `Confirm your new ${params.practiceName} Staff Portal login email`
  const text = [
    `Hello ${params.firstName},`,
    '',
    `Your practice admin asked to make this address your login email for the ${params.practiceName} Staff Portal.`,
    'Open this link and confirm to make the change:',
    '',
    link,
    '',
    `It works once, until ${until}. Until you confirm, you keep logging in with your current email.`,
    'If you were not expecting this, ignore this email: nothing changes.',
  ].join('\n')
  const html = (
    <EmailLayout practiceName={params.practiceName}>
      <p>Hello {params.firstName},</p>
      <p>Your practice admin asked to make this address your login email for the {params.practiceName} Staff Portal.</p>
      <EmailButton href={link} label="Confirm the new login email" />
      <p style="font-size:13px;color:#5b6776">
        Or paste this address into your browser: <br />
        {link}
      </p>
      <p style="font-size:13px;color:#5b6776">
        It works once, until {until}. Until you confirm, you keep logging in with your current email. If you were not expecting this, ignore
        this email: nothing changes.
      </p>
    </EmailLayout>
  )
  return { subject, text, html: `<!doctype html>${html}` }
}

export interface LoginEmailChangedParams {
  practiceName: string
  firstName: string
  newEmail: string
  /** When the login email changed, as an ISO instant shown in `timeZone`. */
  changedAt: string
  timeZone?: string
}

export function loginEmailChangedEmail(params: LoginEmailChangedParams) {
  const changedAt = storedDate(params.changedAt, params.timeZone, formatDateTime)
  const subject = `Your ${params.practiceName} Staff Portal login email was changed`
  const text = [
    `Hello ${params.firstName},`,
    '',
    `On ${changedAt} the login email of your Staff Portal account was changed from this address; it is now ${params.newEmail}. Every session was signed out.`,
    'If this was you or your practice admin at your request, there is nothing to do. If not, contact your practice admin at once.',
  ].join('\n')
  const html = (
    <EmailLayout practiceName={params.practiceName}>
      <p>Hello {params.firstName},</p>
      <p>
        On {changedAt} the login email of your Staff Portal account was changed from this address; it is now {params.newEmail}. Every
        session was signed out.
      </p>
      <p>If this was you or your practice admin at your request, there is nothing to do. If not, contact your practice admin at once.</p>
    </EmailLayout>
  )
  return { subject, text, html: `<!doctype html>${html}` }
}
