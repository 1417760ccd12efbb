import type { Clock } from '../clock'
import { ConfigError, usesDevOutbox, type Config } from '../config'
import type { Database } from '../db'
import { DevMailbox } from './dev-mailbox'
import { createMailChannelsMailer } from './mailchannels'
import type { Mailer } from './mailer'

/** MailChannels when a key is configured; the development outbox only where config allows it. */
export function createMailer(
  deps: { config: Config; clock: Clock; db: Database },
  fetchImpl?: typeof fetch,
): { mailer: Mailer; devMailbox?: DevMailbox } {
  const { config } = deps
  if (config.MAILCHANNELS_API_KEY)
    return {
      mailer: createMailChannelsMailer({
        apiKey: config.MAILCHANNELS_API_KEY,
        url: config.MAILCHANNELS_API_URL,
        fromEmail: config.MAIL_FROM,
        timeoutMs: config.MAIL_TIMEOUT_MS,
        dkim:
          config.DKIM_DOMAIN && config.DKIM_SELECTOR && config.DKIM_PRIVATE_KEY
            ? { domain: config.DKIM_DOMAIN, selector: config.DKIM_SELECTOR, privateKey: config.DKIM_PRIVATE_KEY }
            : undefined,
        fetch: fetchImpl,
      }),
    }
  // parseConfig already refuses this; a config built by hand must not slip past it either.
  if (!usesDevOutbox(config))
    throw new ConfigError(['MAILCHANNELS_API_KEY is missing: the development outbox is only allowed with a loopback http:// APP_URL'])
  const devMailbox = new DevMailbox(deps.db, deps.clock)
  return { mailer: devMailbox, devMailbox }
}
