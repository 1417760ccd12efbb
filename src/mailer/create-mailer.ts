import type { Clock } from '../clock'
import type { Config } from '../config'
import { DevMailbox } from './dev-mailbox'
import { createMailChannelsMailer } from './mailchannels'
import type { Mailer } from './mailer'

/** MailChannels when a key is configured; otherwise the development outbox. */
export function createMailer(config: Config, clock: Clock, fetchImpl?: typeof fetch): { mailer: Mailer; devMailbox?: DevMailbox } {
  if (config.MAILCHANNELS_API_KEY)
    return {
      mailer: createMailChannelsMailer({
        apiKey: config.MAILCHANNELS_API_KEY,
        url: config.MAILCHANNELS_API_URL,
        fromEmail: config.MAIL_FROM,
        timeoutMs: config.MAIL_TIMEOUT_MS,
        fetch: fetchImpl,
      }),
    }
  const devMailbox = new DevMailbox(clock)
  return { mailer: devMailbox, devMailbox }
}
