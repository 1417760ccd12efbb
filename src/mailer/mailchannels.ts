import { MailError, type Mailer, type OutgoingEmail } from './mailer'

export interface MailChannelsOptions {
  apiKey: string
  url: string
  fromEmail: string
  timeoutMs: number
  /** DKIM signing by MailChannels: the domain, the selector of its DNS record, and the private key. */
  dkim?: DkimSettings
  fetch?: typeof fetch
}

export interface DkimSettings {
  domain: string
  selector: string
  privateKey: string
}

/**
 * MailChannels wants the private key as base64 without PEM armour or line breaks; people paste
 * the PEM file, so both are accepted.
 */
export const dkimKeyBody = (key: string) => key.replace(/-----(BEGIN|END)[A-Z ]*-----/g, '').replace(/\s+/g, '')

/** MailChannels Email API: POST /tx/v1/send with X-Api-Key; 202 means accepted. */
export function createMailChannelsMailer(options: MailChannelsOptions): Mailer {
  const doFetch = options.fetch ?? fetch
  return {
    async send(email: OutgoingEmail) {
      const dkim = options.dkim
        ? { dkim_domain: options.dkim.domain, dkim_selector: options.dkim.selector, dkim_private_key: dkimKeyBody(options.dkim.privateKey) }
        : {}
      const body = {
        personalizations: [{ to: [{ email: email.to }], ...dkim }],
        from: { email: options.fromEmail, name: email.fromName },
        subject: email.subject,
        content: [
          { type: 'text/plain', value: email.text },
          { type: 'text/html', value: email.html },
        ],
      }
      let response: Response
      try {
        response = await doFetch(options.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Api-Key': options.apiKey },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs),
        })
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
        throw new MailError(timedOut ? `no answer from MailChannels within ${options.timeoutMs} ms` : 'could not reach MailChannels')
      }
      if (response.status === 202 || response.status === 200) return
      const detail = (await response.text().catch(() => '')).slice(0, 200)
      throw new MailError(`MailChannels answered ${response.status}${detail ? `: ${detail}` : ''}`)
    },
  }
}
