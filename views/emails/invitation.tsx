import { formatDate, storedDate } from '../../src/text/format'
import type { Locale } from '../../src/text/locale'
import type { Messages } from '../../src/text/messages'
import { EmailButton, EmailLayout } from './layout'

export interface InvitationEmailParams {
  practiceName: string
  firstName: string
  inviterName: string
  /** When the link expires, as an ISO instant shown in `timeZone`. */
  expiresOn: string
  timeZone?: string
  /** The invited person's language; rows written before it existed read as English. */
  language?: Locale
}

export function invitationEmail(params: InvitationEmailParams, link: string, t: Messages) {
  const lang = params.language ?? 'en'
  const words = t.emails.invitation
  const expiresOn = storedDate(params.expiresOn, params.timeZone, (date, zone) => formatDate(date, zone, lang))
  const subject = words.subject(params.practiceName)
  const text = [
    t.emails.hello(params.firstName),
    '',
    words.invited(params.inviterName, params.practiceName),
    words.openLink,
    '',
    link,
    '',
    words.expires(expiresOn),
    '',
    words.notExpecting,
  ].join('\n')
  const html = (
    <EmailLayout practiceName={params.practiceName} lang={lang}>
      <p>{t.emails.hello(params.firstName)}</p>
      <p>
        {words.invited(params.inviterName, params.practiceName)} {words.openLinkHtml}
      </p>
      <EmailButton href={link} label={words.button} />
      <p style="font-size:13px;color:#5b6776">
        {t.emails.pasteLink} <br />
        {link}
      </p>
      <p style="font-size:13px;color:#5b6776">
        {words.expires(expiresOn)} {words.notExpecting}
      </p>
    </EmailLayout>
  )
  return { subject, text, html: `<!doctype html>${html}` }
}
