import type { Child } from 'hono/jsx'
import type { Locale } from '../../src/text/locale'

/** Inline styles only: mail clients ignore stylesheets. */
export function EmailLayout(props: { practiceName: string; lang?: Locale; children: Child }) {
  return (
    <html lang={props.lang ?? 'en'}>
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

export function EmailButton(props: { href: string; label: string }) {
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
