import { formatDateTime, storedDate } from '../../src/text/format'
import type { Locale } from '../../src/text/locale'
import type { Messages } from '../../src/text/messages'
import { EmailButton, EmailLayout } from './layout'

export interface LoginEmailVerifyParams {
  practiceName: string
  firstName: string
  /** When the link stops working, as an ISO instant shown in `timeZone`. */
  expiresAt: string
  timeZone?: string
  /** The person's language; rows written before it existed read as English. */
  language?: Locale
}

export function loginEmailVerifyEmail(params: LoginEmailVerifyParams, link: string, t: Messages) {
  const lang = params.language ?? 'en'
  const words = t.emails.loginEmailVerify
  const until = storedDate(params.expiresAt, params.timeZone, (date, zone) => formatDateTime(date, zone, lang))
  const subject = words.subject(params.practiceName)
  const text = [
    t.emails.hello(params.firstName),
    '',
    words.asked(params.practiceName),
    words.openLink,
    '',
    link,
    '',
    words.until(until),
    words.notExpecting,
  ].join('\n')
  const html = (
    <EmailLayout practiceName={params.practiceName} lang={lang}>
      <p>{t.emails.hello(params.firstName)}</p>
      <p>{words.asked(params.practiceName)}</p>
      <EmailButton href={link} label={words.button} />
      <p style="font-size:13px;color:#5b6776">
        {t.emails.pasteLink} <br />
        {link}
      </p>
      <p style="font-size:13px;color:#5b6776">
        {words.until(until)} {words.notExpecting}
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
  language?: Locale
}

export function loginEmailChangedEmail(params: LoginEmailChangedParams, _link: string, t: Messages) {
  const lang = params.language ?? 'en'
  const words = t.emails.loginEmailChanged
  const changedAt = storedDate(params.changedAt, params.timeZone, (date, zone) => formatDateTime(date, zone, lang))
  const subject = words.subject(params.practiceName)
  const text = [t.emails.hello(params.firstName), '', words.changed(changedAt, params.newEmail), words.ifNotYou].join('\n')
  const html = (
    <EmailLayout practiceName={params.practiceName} lang={lang}>
      <p>{t.emails.hello(params.firstName)}</p>
      <p>{words.changed(changedAt, params.newEmail)}</p>
      <p>{words.ifNotYou}</p>
    </EmailLayout>
  )
  return { subject, text, html: `<!doctype html>${html}` }
}
