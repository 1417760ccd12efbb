import { Hono } from 'hono'
import { z } from 'zod'
import { actorOf, currentUser, type AppContext, type AppEnv } from '../../http/env'
import { readForm } from '../../http/form'
import { sendInvitation, type SendInvitationResult } from '../../invitations/invitation'
import { retryInvitationEmail } from '../../invitations/invitation-resend'
import { revokeInvitation } from '../../invitations/revoke-invitation'
import { fullName } from '../../text/format'
import { askToConfirm, isConfirmed } from '../confirm'
import { answer, error, info, onTab, staffIdOf, staffOf, TAB } from './portal-tab'
import { ID, notFound } from './shared'

// Send Invitation, Resend, Retry and Revoke on the Staff Portal tab.

const refusal: Record<Exclude<SendInvitationResult, { ok: true }>['reason'], string> = {
  'not-found': 'There is no such staff member in your practice.',
  'signed-up': 'This staff member already has a portal account.',
  inactive: 'This profile is inactive. Make it active before inviting them.',
  'unknown-email': 'Choose one of the email addresses on file.',
  'address-taken': 'This address already has a portal account. Choose another address.',
}

const emailField = z.object({ email: z.string().trim().toLowerCase().max(254).catch('') })

const invitationOf = (c: AppContext) => ({ actor: actorOf(c), staffId: staffIdOf(c), invitationId: c.req.param('invitationId') ?? '' })

async function postInvitation(c: AppContext) {
  const { email } = emailField.parse(await readForm(c))
  const actor = { ...actorOf(c), name: fullName(currentUser(c)) }
  const result = await sendInvitation(c.get('deps'), { actor, staffId: staffIdOf(c), email, leaveRecord: true })
  if (!result.ok) return result.reason === 'not-found' ? c.notFound() : answer(c, { error: refusal[result.reason], status: 422 })
  const verb = result.resent ? 'A new invitation was sent' : 'Invitation sent'
  return answer(c, {
    record: result.record,
    message: result.delivered
      ? info(`${verb} to ${email}.${result.resent ? ' The earlier link no longer works.' : ''}`)
      : error(`The invitation to ${email} is saved, but the email could not be delivered. Use Retry to send it again.`),
  })
}

async function postRevokeInvitation(c: AppContext) {
  const input = invitationOf(c)
  if (!isConfirmed(await readForm(c))) {
    const profile = await staffOf(c)
    if (!profile) return notFound(c)
    if (profile.pending?.id !== input.invitationId) return answer(c, { message: error('That invitation is no longer pending.') })
    return askToConfirm(
      c,
      onTab(c, {
        question: `Revoke the invitation to ${profile.pending.email}?`,
        consequence: `The link sent to ${fullName(profile.staff)} stops working at once. You can send a new invitation later.`,
        label: 'Revoke',
        fields: [],
        tone: 'danger',
      }),
    )
  }
  const revoked = await revokeInvitation(c.get('deps'), input)
  return answer(c, {
    message: revoked ? info('Invitation revoked. Its link no longer works.') : error('That invitation is no longer pending.'),
  })
}

async function postRetryInvitation(c: AppContext) {
  const { delivered, record } = await retryInvitationEmail(c.get('deps'), invitationOf(c))
  return answer(c, {
    record,
    message: delivered
      ? info('The invitation email was sent with a fresh link.')
      : error('The email still could not be delivered. Try again later.'),
  })
}

export function invitationRoutes() {
  const app = new Hono<AppEnv>()
  app.post(`${TAB}/invitations`, postInvitation)
  app.post(`${TAB}/invitations/:invitationId${ID}/revoke`, postRevokeInvitation)
  app.post(`${TAB}/invitations/:invitationId${ID}/retry`, postRetryInvitation)
  return app
}
