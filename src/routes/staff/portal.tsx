import { Hono } from 'hono'
import { z } from 'zod'
import type { PanelMessage } from '../../../views/components/portal-panel'
import { actorOf, currentUser, type AppContext, type AppEnv } from '../../http/env'
import { readForm } from '../../http/form'
import { retryInvitationEmail, revokeInvitation, sendInvitation, type SendInvitationResult } from '../../invitations/invitation'
import { newLoginEmailSchema, requestLoginEmailChange } from '../../login-email/login-email'
import { emailResetLink, generateResetLink, revokeResetLink } from '../../password-reset/reset-link'
import { changePortalAccess, type AccessAction } from '../../staff/portal-access'
import { getStaffProfile } from '../../profile/staff-profile'
import { fullName } from '../../text/format'
import { resetTwoStep } from '../../two-step/two-step'
import { askToConfirm, isConfirmed, type Confirmation } from '../confirm'
import { ID, notFound, renderProfile, type ProfileOutcome } from './shared'

// The Staff Portal tab and its actions. Each answers with the tab (the panel alone for htmx).

const refusal: Record<Exclude<SendInvitationResult, { ok: true }>['reason'], string> = {
  'not-found': 'There is no such staff member in your practice.',
  'signed-up': 'This staff member already has a portal account.',
  inactive: 'This profile is inactive. Make it active before inviting them.',
  'unknown-email': 'Choose one of the email addresses on file.',
  'address-taken': 'This address already has a portal account. Choose another address.',
}

const accessDone: Record<AccessAction, string> = {
  disable: 'Portal access disabled. They were signed out everywhere and cannot log in.',
  enable: 'Portal access enabled. They can log in again.',
  'end-sessions': 'Signed out on every device.',
  unlock: 'Login unlocked. They can try again now.',
}

const emailField = z.object({ email: z.string().trim().toLowerCase().max(254).catch('') })
const accessForm = z.object({ action: z.enum(['disable', 'enable', 'end-sessions', 'unlock']) })
const dateField = z.object({ expirationDate: z.string().trim().max(20).catch(''), replace: z.string().max(10).optional().catch(undefined) })
const tokenField = z.object({ token: z.string().max(100).catch('') })

const staffIdOf = (c: AppContext) => c.req.param('id') ?? ''
const answer = (c: AppContext, outcome: ProfileOutcome) => renderProfile(c, staffIdOf(c), 'portal', { partial: true, ...outcome })
const info = (text: string): PanelMessage => ({ tone: 'info', text })
const error = (text: string): PanelMessage => ({ tone: 'error', text })

// After Save and Invite (details.tsx) the tab says how the invitation went.
const invitedNotice: Record<string, string> = {
  sent: 'Saved. The invitation was sent to their primary address.',
  failed: 'Saved. The invitation is saved, but the email could not be delivered. Use Retry to send it again.',
  refused: 'Saved. No invitation was sent: see below.',
}

const showPortalTab = (c: AppContext) =>
  renderProfile(c, staffIdOf(c), 'portal', {
    notice: invitedNotice[c.req.query('invited') ?? ''] ?? (c.req.query('saved') !== undefined ? 'Saved.' : undefined),
  })

async function postInvitation(c: AppContext) {
  const { email } = emailField.parse(await readForm(c))
  const actor = { ...actorOf(c), name: fullName(currentUser(c)) }
  const result = await sendInvitation(c.get('deps'), { actor, staffId: staffIdOf(c), email })
  if (!result.ok) return result.reason === 'not-found' ? c.notFound() : answer(c, { error: refusal[result.reason], status: 422 })
  const verb = result.resent ? 'A new invitation was sent' : 'Invitation sent'
  return answer(c, {
    message: result.delivered
      ? info(`${verb} to ${email}.${result.resent ? ' The earlier link no longer works.' : ''}`)
      : error(`The invitation to ${email} is saved, but the email could not be delivered. Use Retry to send it again.`),
  })
}

/** The person the tab is about, for a confirmation's words; null when not in the practice. */
async function staffOf(c: AppContext) {
  return getStaffProfile(c.get('deps'), { practiceId: currentUser(c).practiceId, staffId: staffIdOf(c) })
}

const tabHref = (c: AppContext) => `/staff/${staffIdOf(c)}/portal`

/** A confirmation on the Staff Portal tab: the confirmed answer swaps the panel again. */
const onTab = (c: AppContext, ask: Omit<Confirmation, 'cancelHref' | 'target' | 'action'>): Confirmation => ({
  ...ask,
  action: c.req.path,
  cancelHref: tabHref(c),
  target: '#portal-panel',
})

async function postRevokeInvitation(c: AppContext) {
  const input = { actor: actorOf(c), staffId: staffIdOf(c), invitationId: c.req.param('invitationId') ?? '' }
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
  const input = { actor: actorOf(c), staffId: staffIdOf(c), invitationId: c.req.param('invitationId') ?? '' }
  const delivered = await retryInvitationEmail(c.get('deps'), input)
  return answer(c, {
    message: delivered
      ? info('The invitation email was sent with a fresh link.')
      : error('The email still could not be delivered. Try again later.'),
  })
}

/** Only what locks someone out asks first; Enable and Unlock give access back. */
const accessQuestion: Partial<Record<AccessAction, (name: string) => Omit<Confirmation, 'cancelHref' | 'target' | 'action' | 'fields'>>> = {
  disable: (name) => ({
    question: `Disable portal access for ${name}?`,
    consequence: 'They are signed out at once and cannot log in until you enable it again.',
    label: 'Disable Portal Access',
    tone: 'danger',
  }),
  'end-sessions': (name) => ({
    question: `Sign ${name} out everywhere?`,
    consequence: 'Every device they are signed in on is signed out now. They can log in again.',
    label: 'Sign Out Everywhere',
    tone: 'danger',
  }),
}

async function postAccess(c: AppContext) {
  const form = await readForm(c)
  const parsed = accessForm.safeParse(form)
  if (!parsed.success) return answer(c, { status: 422, message: error('Choose one of the account actions.') })
  const { action } = parsed.data
  const ask = accessQuestion[action]
  if (ask && !isConfirmed(form)) {
    const profile = await staffOf(c)
    if (!profile) return notFound(c)
    return askToConfirm(c, onTab(c, { ...ask(fullName(profile.staff)), fields: [['action', action]] }))
  }
  const done = await changePortalAccess(c.get('deps'), { actor: actorOf(c), staffId: staffIdOf(c), action })
  if (done.ok) return answer(c, { message: info(accessDone[action]) })
  const text =
    done.reason === 'last-admin'
      ? 'This is the only admin who can log in. Make someone else an admin first.'
      : 'This staff member has no portal account.'
  return answer(c, { status: 422, message: error(text) })
}

async function postResetLink(c: AppContext) {
  const { expirationDate, replace } = dateField.parse(await readForm(c))
  const deps = c.get('deps')
  const input = { actor: actorOf(c), staffId: staffIdOf(c), date: expirationDate, replace: replace === 'yes' }
  const result = await generateResetLink(deps, input)
  if (result.ok)
    return answer(c, {
      message: info('Reset link generated. Copy it, or send it to their email.'),
      reset: { generated: { url: result.url, token: result.token, expiresAt: result.expiresAt } },
    })
  if (result.reason === 'not-found') return c.notFound()
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

async function postEmailResetLink(c: AppContext) {
  const { token } = tokenField.parse(await readForm(c))
  const sent = await emailResetLink(c.get('deps'), { actor: actorOf(c), staffId: staffIdOf(c), token })
  if (!sent.ok) return answer(c, { status: 422, message: error('That link no longer works. Generate a new one.') })
  return answer(c, {
    message: sent.delivered
      ? info(`The reset link was sent to ${sent.to}.`)
      : error(`The email to ${sent.to} could not be delivered. Copy the link instead, or try again.`),
  })
}

async function postRevokeResetLink(c: AppContext) {
  if (!isConfirmed(await readForm(c))) {
    const profile = await staffOf(c)
    if (!profile) return notFound(c)
    if (profile.resetLink?.id !== c.req.param('linkId')) return answer(c, { message: error('That link was no longer active.') })
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
  const revoked = await revokeResetLink(c.get('deps'), { actor: actorOf(c), staffId: staffIdOf(c), linkId: c.req.param('linkId') ?? '' })
  return answer(c, { message: revoked ? info('Reset link revoked. It no longer works.') : error('That link was no longer active.') })
}

const loginEmailRefusal = {
  'no-account': 'This staff member has no portal account.',
  same: 'This is already their login email.',
  // The same words whether the address is a login here or in another practice: nothing about
  // another practice's accounts may show.
  unavailable: 'This address cannot be used for a login. Choose another address.',
} as const

async function postLoginEmail(c: AppContext) {
  const form = await readForm(c)
  const value = (form.newEmail ?? '').slice(0, 254)
  const parsed = newLoginEmailSchema.safeParse(form)
  if (!parsed.success) return answer(c, { status: 422, loginEmail: { value, error: parsed.error.issues[0]?.message } })
  const { newEmail } = parsed.data
  const result = await requestLoginEmailChange(c.get('deps'), { actor: actorOf(c), staffId: staffIdOf(c), newEmail })
  if (!result.ok) {
    if (result.reason === 'not-found') return c.notFound()
    if (result.reason === 'no-account') return answer(c, { status: 422, message: error(loginEmailRefusal[result.reason]) })
    return answer(c, { status: 422, loginEmail: { value, error: loginEmailRefusal[result.reason] } })
  }
  return answer(c, {
    message: result.delivered
      ? info(`A verification link was sent to ${result.to}. The login email changes when they follow it.`)
      : error(`The verification email to ${result.to} could not be delivered. Try Send Verification again later.`),
  })
}

const twoStepResetQuestion = (c: AppContext, person: { firstName: string; lastName: string }) =>
  onTab(c, {
    question: `Reset Two-Step Sign-In for ${fullName(person)}?`,
    consequence:
      'Their authenticator app, passkeys and recovery codes are removed, and they are signed out everywhere. They are emailed about it, and log in next with their password alone (then set up two-step sign-in again). Do this only once you are sure it is them asking.',
    label: 'Reset Two-Step Sign-In',
    fields: [],
    tone: 'danger',
  })

/** The confirmation as a page of its own, for a link or a form without script. */
async function showTwoStepReset(c: AppContext) {
  const profile = await staffOf(c)
  if (!profile?.account) return notFound(c)
  return askToConfirm(c, { ...twoStepResetQuestion(c, profile.staff), action: c.req.path })
}

async function postTwoStepReset(c: AppContext) {
  if (!isConfirmed(await readForm(c))) {
    const profile = await staffOf(c)
    if (!profile?.account) return notFound(c)
    return askToConfirm(c, twoStepResetQuestion(c, profile.staff))
  }
  const actor = actorOf(c)
  const result = await resetTwoStep(c.get('deps'), { admin: actor, staffId: staffIdOf(c), ip: actor.ip })
  if (!result.ok) return notFound(c)
  return answer(c, {
    message: info('Two-step sign-in was reset: their factors and recovery codes are gone and they were signed out. We emailed them.'),
  })
}

export function portalRoutes() {
  const app = new Hono<AppEnv>()
  const tab = `/:id${ID}/portal` as const
  app.get(tab, showPortalTab)
  app.post(`${tab}/invitations`, postInvitation)
  app.post(`${tab}/invitations/:invitationId${ID}/revoke`, postRevokeInvitation)
  app.post(`${tab}/invitations/:invitationId${ID}/retry`, postRetryInvitation)
  app.post(`${tab}/access`, postAccess)
  app.post(`${tab}/login-email`, postLoginEmail)
  app.post(`${tab}/reset-links`, postResetLink)
  app.post(`${tab}/reset-links/email`, postEmailResetLink)
  app.post(`${tab}/reset-links/:linkId${ID}/revoke`, postRevokeResetLink)
  app.get(`${tab}/two-step/reset`, showTwoStepReset)
  app.post(`${tab}/two-step/reset`, postTwoStepReset)
  return app
}
