import { formatDate, formatDateTime, storedDate } from '../../src/text/format'
import type { Locale } from '../../src/text/locale'
import { messagesFor, type Messages } from '../../src/text/messages'
import { EmailButton, EmailLayout } from './layout'

/** Said in every account email: the person may not be the one who asked. */
export const NOT_YOU = messagesFor('en').emails.notYou
const small = 'font-size:13px;color:#5b6776'

/** Every account email is in its recipient's language; rows written before it existed read as English. */
interface InLanguage {
  language?: Locale
}

export interface ResetCodeParams extends InLanguage {
  practiceName: string
  firstName: string
}

export function resetCodeEmail(params: ResetCodeParams, code: string, t: Messages = messagesFor('en')) {
  const lang = params.language ?? 'en'
  const words = t.emails.resetCode
  const subject = words.subject(code, params.practiceName)
  const text = [
    t.emails.hello(params.firstName),
    '',
    `${words.lead(params.practiceName)} ${code}`,
    '',
    words.enter,
    '',
    t.emails.notYou,
  ].join('\n')
  const html = (
    <EmailLayout practiceName={params.practiceName} lang={lang}>
      <p>{t.emails.hello(params.firstName)}</p>
      <p>{words.lead(params.practiceName)}</p>
      <p style="font-size:28px;font-weight:bold;letter-spacing:4px;margin:8px 0 16px">{code}</p>
      <p>{words.enter}</p>
      <p style={small}>{t.emails.notYou}</p>
    </EmailLayout>
  )
  return { subject, text, html: `<!doctype html>${html}` }
}

export interface ResetLinkParams extends InLanguage {
  practiceName: string
  firstName: string
  /** When the link stops working, as an ISO instant shown in `timeZone`. */
  expiresAt: string
  timeZone?: string
}

export function resetLinkEmail(params: ResetLinkParams, link: string, t: Messages = messagesFor('en')) {
  const lang = params.language ?? 'en'
  const words = t.emails.resetLink
  // A link that ends at midnight lasts "through" the day before: say that day, not the next one.
  const day = storedDate(params.expiresAt, params.timeZone, (date, zone) => formatDate(new Date(date.getTime() - 1), zone, lang))
  // Rows from before the zone was kept hold English words.
  const through = params.timeZone ? words.through(day) : `It works once, through ${day} (your practice's time).`
  const subject = words.subject(params.practiceName)
  const text = [
    t.emails.hello(params.firstName),
    '',
    `${words.sent(params.practiceName)}:`,
    '',
    link,
    '',
    through,
    '',
    t.emails.notYou,
  ].join('\n')
  const html = (
    <EmailLayout practiceName={params.practiceName} lang={lang}>
      <p>{t.emails.hello(params.firstName)}</p>
      <p>{words.sent(params.practiceName)}.</p>
      <EmailButton href={link} label={words.button} />
      <p style={small}>
        {t.emails.pasteLink} <br />
        {link}
      </p>
      <p style={small}>{through}</p>
      <p style={small}>{t.emails.notYou}</p>
    </EmailLayout>
  )
  return { subject, text, html: `<!doctype html>${html}` }
}

export interface ResetLinkNoticeParams extends InLanguage {
  practiceName: string
  firstName: string
  /** When the admin made the link, as an ISO instant shown in `timeZone`. */
  createdAt: string
  timeZone?: string
}

/** Sent whenever an admin generates a reset link for someone: the link itself goes only to the admin. */
export function resetLinkNoticeEmail(params: ResetLinkNoticeParams, _link = '', t: Messages = messagesFor('en')) {
  const lang = params.language ?? 'en'
  const words = t.emails.resetLinkNotice
  const createdAt = storedDate(params.createdAt, params.timeZone, (date, zone) => formatDateTime(date, zone, lang))
  const subject = words.subject(params.practiceName)
  const lead = words.lead(params.practiceName, createdAt)
  const text = [t.emails.hello(params.firstName), '', lead, words.then, '', t.emails.notYou].join('\n')
  const html = (
    <EmailLayout practiceName={params.practiceName} lang={lang}>
      <p>{t.emails.hello(params.firstName)}</p>
      <p>{lead}</p>
      <p>{words.then}</p>
      <p style={small}>{t.emails.notYou}</p>
    </EmailLayout>
  )
  return { subject, text, html: `<!doctype html>${html}` }
}

export interface PasswordChangedParams extends InLanguage {
  practiceName: string
  firstName: string
  /** When the password changed, as an ISO instant shown in `timeZone`. */
  changedAt: string
  timeZone?: string
}

export function passwordChangedEmail(params: PasswordChangedParams, _link = '', t: Messages = messagesFor('en')) {
  const lang = params.language ?? 'en'
  const words = t.emails.passwordChanged
  const changedAt = storedDate(params.changedAt, params.timeZone, (date, zone) => formatDateTime(date, zone, lang))
  const subject = words.subject(params.practiceName)
  const text = [t.emails.hello(params.firstName), '', words.changed(changedAt), words.ifNotYou].join('\n')
  const html = (
    <EmailLayout practiceName={params.practiceName} lang={lang}>
      <p>{t.emails.hello(params.firstName)}</p>
      <p>{words.changed(changedAt)}</p>
      <p>{words.ifNotYou}</p>
    </EmailLayout>
  )
  return { subject, text, html: `<!doctype html>${html}` }
}
