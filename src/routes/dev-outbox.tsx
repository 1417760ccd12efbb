import { Hono } from 'hono'
import { DevOutboxPage } from '../../views/pages/dev-outbox'
import type { AppEnv } from '../http/env'
import { render } from '../http/render'
import type { DevMailbox } from '../mailer/dev-mailbox'

/** Mounted only when mail goes to the development mailbox; production answers 404. */
export function devOutboxRoutes(mailbox: DevMailbox) {
  const app = new Hono<AppEnv>()
  app.get('/outbox.json', async (c) => c.json(await mailbox.read()))
  app.get('/outbox', async (c) => render(c, <DevOutboxPage messages={await mailbox.read()} />))
  return app
}
