import { Hono } from 'hono'
import { z } from 'zod'
import type { PanelMessage, ResetPanelState } from '../../views/components/portal-panel'
import { expiryChoices, emailResetLink, generateResetLink, revokeResetLink } from '../password-reset/reset-link'
import { PanelStatus, PortalPanel } from '../../views/components/portal-panel'
import { MessagePage } from '../../views/pages/message'
import { StaffProfilePage } from '../../views/pages/staff-profile'
import { fullName } from '../../views/format'
import { currentUser, type AppContext, type AppEnv } from '../http/env'
import { readForm } from '../http/form'
import { requireAdmin } from '../http/guards'
import { render, renderFragment, wantsFragment } from '../http/render'
import type { ClientIp } from '../http/client-ip'
import { retryInvitationEmail, revokeInvitation, sendInvitation, type SendInvitationResult } from '../invitations/invitation'
import { changePortalAccess, type AccessAction } from '../auth/access'
import { BULK_LIMIT, inviteMany } from '../invitations/bulk-invite'
import { getStaffProfile, listStaff } from '../staff/staff'
import { listQuerySchema } from '../staff/staff-input'
import { StaffListPage } from '../../views/pages/staff-list'

const ID = /^[a-z2-7]{16}$/

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

/**
 * Answers an action on the Staff Portal tab: the panel alone for htmx, or the whole tab
 * after a redirect for a plain form post, so both paths show the same thing.
 */
async function answer(
  c: AppContext,
  staffId: string,
  outcome: { message?: PanelMessage; error?: string; status?: 200 | 422; reset?: Partial<ResetPanelState> },
) {
  const { db, clock, config } = c.get('deps')
  const user = currentUser(c)
  const now = clock.now()
  const profile = await getStaffProfile(db, user.practiceId, staffId, now)
  const reset: ResetPanelState = { choices: expiryChoices(now, user.timeZone, config.RESET_LINK_MAX_DAYS), ...outcome.reset }
  if (!profile)
    return render(
      c,
      <MessagePage
        title="Staff member not found"
        message="There is no such staff member in your practice."
        user={user}
        link={{ href: '/staff', label: 'Back to Staffs' }}
      />,
      404,
    )
  const status = outcome.status ?? 200
  if (wantsFragment(c))
    return renderFragment(
      c,
      <>
        <PortalPanel profile={profile} timeZone={user.timeZone} reset={reset} error={outcome.error} />
        <PanelStatus message={outcome.message} oob />
      </>,
      status,
    )
  return render(
    c,
    <StaffProfilePage user={user} profile={profile} tab="portal" reset={reset} message={outcome.message} error={outcome.error} />,
    status,
  )
}

export function portalAccessRoutes(clientIp: ClientIp) {
  const app = new Hono<AppEnv>()
  app.use('*', requireAdmin)

  app.post('/invitations', async (c) => {
    const user = currentUser(c)
    const deps = c.get('deps')
    let selected: string[] = []
    try {
      const body = await c.req.parseBody({ all: true })
      const raw = body.staffId
      selected = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string' && ID.test(v))
    } catch {
      selected = []
    }
    const query = listQuerySchema.parse({})
    const page = await listStaff(deps.db, user.practiceId, query, deps.clock.now())
    if (selected.length === 0)
      return render(c, <StaffListPage user={user} page={page} bulkError="Select at least one staff member to invite." />, 422)
    if (selected.length > BULK_LIMIT)
      return render(c, <StaffListPage user={user} page={page} bulkError={`Select at most ${BULK_LIMIT} people at a time.`} />, 422)
    const actor = { practiceId: user.practiceId, accountId: user.accountId, ip: clientIp(c), name: fullName(user) }
    const bulk = await inviteMany(deps, actor, selected)
    const after = await listStaff(deps.db, user.practiceId, query, deps.clock.now())
    return render(c, <StaffListPage user={user} page={after} bulk={bulk} />)
  })

  app.post('/:id/portal/invitations', async (c) => {
    const staffId = c.req.param('id')
    if (!ID.test(staffId)) return c.notFound()
    const user = currentUser(c)
    const { email } = emailField.parse(await readForm(c))
    const actor = { practiceId: user.practiceId, accountId: user.accountId, ip: clientIp(c), name: fullName(user) }
    const result = await sendInvitation(c.get('deps'), actor, staffId, email)
    if (!result.ok) {
      if (result.reason === 'not-found') return c.notFound()
      return answer(c, staffId, { error: refusal[result.reason], status: 422 })
    }
    const verb = result.resent ? 'A new invitation was sent' : 'Invitation sent'
    const message: PanelMessage = result.delivered
      ? { tone: 'info', text: `${verb} to ${email}.${result.resent ? ' The earlier link no longer works.' : ''}` }
      : { tone: 'error', text: `The invitation to ${email} is saved, but the email could not be delivered. Use Retry to send it again.` }
    return answer(c, staffId, { message })
  })

  app.post('/:id/portal/invitations/:invitationId/revoke', async (c) => {
    const { id: staffId, invitationId } = c.req.param()
    if (!ID.test(staffId) || !ID.test(invitationId)) return c.notFound()
    const user = currentUser(c)
    const { db, clock } = c.get('deps')
    const revoked = await revokeInvitation(
      db,
      clock,
      { practiceId: user.practiceId, accountId: user.accountId, ip: clientIp(c) },
      staffId,
      invitationId,
    )
    return answer(c, staffId, {
      message: revoked
        ? { tone: 'info', text: 'Invitation revoked. Its link no longer works.' }
        : { tone: 'error', text: 'That invitation is no longer pending.' },
    })
  })

  app.post('/:id/portal/invitations/:invitationId/retry', async (c) => {
    const { id: staffId, invitationId } = c.req.param()
    if (!ID.test(staffId) || !ID.test(invitationId)) return c.notFound()
    const user = currentUser(c)
    const delivered = await retryInvitationEmail(
      c.get('deps'),
      { practiceId: user.practiceId, accountId: user.accountId, ip: clientIp(c) },
      staffId,
      invitationId,
    )
    return answer(c, staffId, {
      message: delivered
        ? { tone: 'info', text: 'The invitation email was sent with a fresh link.' }
        : { tone: 'error', text: 'The email still could not be delivered. Try again later.' },
    })
  })

  app.post('/:id/portal/access', async (c) => {
    const staffId = c.req.param('id')
    if (!ID.test(staffId)) return c.notFound()
    const user = currentUser(c)
    const parsed = z.object({ action: z.enum(['disable', 'enable', 'end-sessions', 'unlock']) }).safeParse(await readForm(c))
    if (!parsed.success) return answer(c, staffId, { status: 422, message: { tone: 'error', text: 'Choose one of the account actions.' } })
    const { db, clock } = c.get('deps')
    const done = await changePortalAccess(
      db,
      clock,
      { practiceId: user.practiceId, accountId: user.accountId, ip: clientIp(c) },
      staffId,
      parsed.data.action,
    )
    if (!done.ok)
      return answer(c, staffId, {
        status: 422,
        message: {
          tone: 'error',
          text:
            done.reason === 'last-admin'
              ? 'This is the only admin who can log in. Make someone else an admin first.'
              : 'This staff member has no portal account.',
        },
      })
    return answer(c, staffId, { message: { tone: 'info', text: accessDone[parsed.data.action] } })
  })

  app.post('/:id/portal/reset-links', async (c) => {
    const staffId = c.req.param('id')
    if (!ID.test(staffId)) return c.notFound()
    const user = currentUser(c)
    const { expirationDate } = z.object({ expirationDate: z.string().trim().max(20).catch('') }).parse(await readForm(c))
    const actor = { practiceId: user.practiceId, accountId: user.accountId, ip: clientIp(c) }
    const result = await generateResetLink(c.get('deps'), actor, staffId, expirationDate)
    if (!result.ok) {
      if (result.reason === 'not-found') return c.notFound()
      const { config } = c.get('deps')
      const dateError =
        result.reason === 'no-account'
          ? 'This staff member has no portal account yet.'
          : expirationDate === ''
            ? 'Choose the last day the link may be used.'
            : `Choose a date from today up to ${config.RESET_LINK_MAX_DAYS} days ahead.`
      return answer(c, staffId, { status: 422, reset: { date: expirationDate, dateError } })
    }
    return answer(c, staffId, {
      message: { tone: 'info', text: 'Reset link generated. Copy it, or send it to their email.' },
      reset: { generated: { url: result.url, token: result.token, expiresAt: result.expiresAt } },
    })
  })

  app.post('/:id/portal/reset-links/email', async (c) => {
    const staffId = c.req.param('id')
    if (!ID.test(staffId)) return c.notFound()
    const user = currentUser(c)
    const { token } = z.object({ token: z.string().max(100).catch('') }).parse(await readForm(c))
    const actor = { practiceId: user.practiceId, accountId: user.accountId, ip: clientIp(c) }
    const sent = await emailResetLink(c.get('deps'), actor, staffId, token)
    if (!sent.ok)
      return answer(c, staffId, { status: 422, message: { tone: 'error', text: 'That link no longer works. Generate a new one.' } })
    return answer(c, staffId, {
      message: sent.delivered
        ? { tone: 'info', text: `The reset link was sent to ${sent.to}.` }
        : { tone: 'error', text: `The email to ${sent.to} could not be delivered. Copy the link instead, or try again.` },
    })
  })

  app.post('/:id/portal/reset-links/:linkId/revoke', async (c) => {
    const { id: staffId, linkId } = c.req.param()
    if (!ID.test(staffId) || !ID.test(linkId)) return c.notFound()
    const user = currentUser(c)
    const { db, clock } = c.get('deps')
    const revoked = await revokeResetLink(
      db,
      clock,
      { practiceId: user.practiceId, accountId: user.accountId, ip: clientIp(c) },
      staffId,
      linkId,
    )
    return answer(c, staffId, {
      message: revoked
        ? { tone: 'info', text: 'Reset link revoked. It no longer works.' }
        : { tone: 'error', text: 'That link was no longer active.' },
    })
  })

  return app
}
