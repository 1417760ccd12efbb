import type { Child } from 'hono/jsx'
import { formatDate, formatDateTime, storedDate } from '../../src/text/format'
import type { Locale } from '../../src/text/locale'
import type { Messages } from '../../src/text/messages'

// The shape every account email shares: the practice's name at the top, "Hello <name>," then
// the message's own paragraphs, a button with its link spelled out, and small print. Each
// template says only its own words; this module lays them out as text and as HTML.

/** One part of an email's body. */
export type Block =
  /** A paragraph; `html` when the HTML part words it differently (beside a button, say). */
  | { kind: 'paragraph'; text: string; html?: string; small?: boolean }
  /** A button to a link; the text part gives the link alone, the HTML part spells it out under the button. */
  | { kind: 'button'; href: string; label: string }
  /** A code to type in after the words that lead to it: on their line in the text part, large under them in HTML. */
  | { kind: 'code'; lead: string; code: string }

export const paragraph = (text: string, html?: string): Block => ({ kind: 'paragraph', text, html })
export const smallPrint = (text: string): Block => ({ kind: 'paragraph', text, small: true })
export const button = (href: string, label: string): Block => ({ kind: 'button', href, label })
export const code = (lead: string, value: string): Block => ({ kind: 'code', lead, code: value })

/** What every account email's outbox row carries besides its own values. */
export interface EmailParams {
  practiceName: string
  firstName: string
  /** The practice's time zone, for the dates; rows from before it was kept hold dates as words. */
  timeZone?: string
  /** The recipient's language; rows written before it existed read as English. */
  language?: Locale
}

/** A stored instant as the recipient reads it: date and time, in the practice's zone and their language. */
export const dateTimeIn = (params: EmailParams, iso: string) =>
  storedDate(iso, params.timeZone, (date, zone) => formatDateTime(date, zone, params.language ?? 'en'))

/** A stored instant as a day; `ending` reads a link that ends at midnight as lasting through the day before. */
export const dayIn = (params: EmailParams, iso: string, ending = false) =>
  storedDate(iso, params.timeZone, (date, zone) => formatDate(ending ? new Date(date.getTime() - 1) : date, zone, params.language ?? 'en'))

export interface AccountEmail {
  subject: string
  blocks: Block[]
}

export interface RenderedEmail {
  subject: string
  text: string
  html: string
}

const SMALL = 'font-size:13px;color:#5b6776'

/** The email as plain text and HTML, in the catalog's language. */
export function composeEmail(params: EmailParams, email: AccountEmail, t: Messages): RenderedEmail {
  const hello = t.emails.hello(params.firstName)
  const text = [hello, ...email.blocks.map((block) => textOf(block))].join('\n\n')
  const html = (
    <EmailLayout practiceName={params.practiceName} lang={params.language ?? 'en'}>
      <p>{hello}</p>
      {email.blocks.map((block) => htmlOf(block, t))}
    </EmailLayout>
  )
  return { subject: email.subject, text, html: `<!doctype html>${html}` }
}

function textOf(block: Block): string {
  if (block.kind === 'button') return block.href
  if (block.kind === 'code') return `${block.lead} ${block.code}`
  return block.text
}

function htmlOf(block: Block, t: Messages) {
  if (block.kind === 'button')
    return (
      <>
        <EmailButton href={block.href} label={block.label} />
        <p style={SMALL}>
          {t.emails.pasteLink} <br />
          {block.href}
        </p>
      </>
    )
  if (block.kind === 'code')
    return (
      <>
        <p>{block.lead}</p>
        <p style="font-size:28px;font-weight:bold;letter-spacing:4px;margin:8px 0 16px">{block.code}</p>
      </>
    )
  return <p style={block.small ? SMALL : undefined}>{block.html ?? block.text}</p>
}

/** Inline styles only: mail clients ignore stylesheets. */
function EmailLayout(props: { practiceName: string; lang: Locale; children: Child }) {
  return (
    <html lang={props.lang}>
      <body style="margin:0;padding:24px;background:#f4f6f9;font-family:Arial,Helvetica,sans-serif;color:#1d2733;line-height:1.5">
        <table
          role="presentation"
          width="100%"
          cellpadding="0"
          cellspacing="0"
          style="max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #d8dee6;border-radius:8px"
        >
          <tr>
            <td style="padding:24px 28px">
              <p style="margin:0 0 16px;font-weight:bold;color:#1f6f78">{props.practiceName} · Staff Portal</p>
              {props.children}
            </td>
          </tr>
        </table>
      </body>
    </html>
  )
}

function EmailButton(props: { href: string; label: string }) {
  return (
    <p style="margin:24px 0">
      <a
        href={props.href}
        style="display:inline-block;background:#1f6f78;color:#ffffff;text-decoration:none;font-weight:bold;padding:12px 20px;border-radius:6px"
      >
        {props.label}
      </a>
    </p>
  )
}
