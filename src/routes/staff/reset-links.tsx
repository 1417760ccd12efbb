import { Hono } from 'hono'
import { z } from 'zod'
import type { Defer } from '../../http/defer'
import { actorOf, currentUser, type AppContext, type AppEnv } from '../../http/env'
import { readForm } from '../../http/form'
import { emailResetLink, generateResetLink, revokeResetLink } from '../../password-reset/reset-link'
import { fullName } from '../../text/format'
import { askToConfirm, isConfirmed } from '../confirm'
import { answer, error, info, onTab, staffIdOf, staffOf, TAB } from './portal-tab'
import { ID, notFound } from './shared'

// The admin's password reset link on the Staff Portal tab: Generate Link, Send to Email, Revoke
// (Copy Link is the page's own button). The section is views/components/reset-link.tsx.

const dateField = z.object({ expirationDate: z.string().trim().max(20).catch(''), replace: z.string().max(10).optional().catch(undefined) })
const tokenField = z.object({ token: z.string().max(100).catch('') })

const generateLink = (defer: Defer) => async (c: AppContext) => {
  const { expirationDate, replace } = dateField.parse(await readForm(c))
  const deps = c.get('deps')
  const input = {
    actor: actorOf(c),
    staffId: staffIdOf(c),
    date: expirationDate,
    timeZone: currentUser(c).timeZone,
    replace: replace === 'yes',
  }
  const result = await generateResetLink(deps, input)
  if (result.ok) {
    // How the notice's send went is written after the answer: no round trip of its own before it.
    defer(c, async () => result.record)
    return answer(c, {
      message: info('Reset link generated. Copy it, or send it to their email.'),
      reset: { generated: { url: result.url, token: result.token, expiresAt: result.expiresAt } },
    })
  }
  // A live link may already be in the person's inbox: replacing it is the admin's choice.
  if (result.reason === 'live-link') return answer(c, { reset: { date: expirationDate, confirmReplace: result.live } })
  const dateError =
    result.reason === 'no-account'
      ? 'This staff member has no portal account yet.'
      : result.reason === 'disabled'
        ? 'Portal access is disabled for this person. Enable it before generating a reset link.'
        : expirationDate === ''
          ? 'Choose the last day the link may be used.'
          : `Choose a date from today up to ${deps.config.RESET_LINK_MAX_DAYS} days ahead.`
  return answer(c, { status: 422, reset: { date: expirationDate, dateError } })
}

const sendLink = (defer: Defer) => async (c: AppContext) => {
  const { token } = tokenField.parse(await readForm(c))
  const sent = await emailResetLink(c.get('deps'), { actor: actorOf(c), staffId: staffIdOf(c), token })
  if (!sent.ok) return answer(c, { status: 422, message: error('That link no longer works. Generate a new one.') })
  defer(c, async () => sent.record)
  return answer(c, {
    message: sent.delivered
      ? info(`The reset link was sent to ${sent.to}.`)
      : error(`The email to ${sent.to} could not be delivered. Copy the link instead, or try again.`),
  })
}

async function revokeLink(c: AppContext) {
  const linkId = c.req.param('linkId') ?? ''
  if (!isConfirmed(await readForm(c))) {
    const profile = await staffOf(c)
    if (!profile) return notFound(c)
    if (profile.resetLink?.id !== linkId) return answer(c, { message: error('That link was no longer active.') })
    return askToConfirm(
      c,
      onTab(c, {
        question: 'Revoke this reset link?',
        consequence: `The password reset link for ${fullName(profile.staff)} stops working at once.`,
        label: 'Revoke',
        fields: [],
        tone: 'danger',
      }),
    )
  }
  const revoked = await revokeResetLink(c.get('deps'), { actor: actorOf(c), staffId: staffIdOf(c), linkId })
  return answer(c, { message: revoked ? info('Reset link revoked. It no longer works.') : error('That link was no longer active.') })
}

export function resetLinkRoutes(defer: Defer) {
  const app = new Hono<AppEnv>()
  app.post(`${TAB}/reset-links`, generateLink(defer))
  app.post(`${TAB}/reset-links/email`, sendLink(defer))
  app.post(`${TAB}/reset-links/:linkId${ID}/revoke`, revokeLink)
  return app
}
