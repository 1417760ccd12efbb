import { AccessLevelSection } from '../../../views/components/access-level'
import {
  PanelStatus,
  PortalPanel,
  type LoginEmailFormState,
  type PanelMessage,
  type ResetPanelState,
} from '../../../views/components/portal-panel'
import { StaffProfilePage, type ProfileTab } from '../../../views/pages/staff-profile'
import type { DeliveryRecord } from '../../email/outbox'
import { currentUser, type AppContext } from '../../http/env'
import { render, renderMessage } from '../../http/render'
import { expiryChoices } from '../../password-reset/reset-link'
import { getStaffProfile } from '../../profile/staff-profile'

/** A Hono route param that only an id matches: anything else is not found before a handler runs. */
export const ID = '{[a-z2-7]{16}}'

export const notFound = (c: AppContext) =>
  renderMessage(
    c,
    {
      title: 'Staff member not found',
      message: 'There is no such staff member in your practice.',
      link: { href: '/staff', label: 'Back to Staffs' },
    },
    404,
  )

export interface ProfileOutcome {
  notice?: string
  message?: PanelMessage
  error?: string
  status?: 200 | 422
  reset?: Partial<ResetPanelState>
  loginEmail?: LoginEmailFormState
  /** An action on the tab: htmx gets only the part of the tab it swaps. */
  partial?: boolean
  /** How the action's email went, written in the same batch as the profile's read (no trip of its own). */
  record?: DeliveryRecord
}

/**
 * A staff profile on one of its tabs. After an action, htmx gets the part that changed (the
 * Staff Portal panel with its status line out of band, or the access level section) and a
 * plain form post the whole tab, so both show the same thing.
 */
export async function renderProfile(c: AppContext, staffId: string, tab: ProfileTab, outcome: ProfileOutcome = {}) {
  const deps = c.get('deps')
  const user = currentUser(c)
  const profile = await getStaffProfile(deps, {
    practiceId: user.practiceId,
    staffId,
    first: outcome.record ? [outcome.record] : undefined,
  })
  if (!profile) return notFound(c)
  const reset: ResetPanelState = {
    choices: expiryChoices(deps.clock.now(), user.timeZone, deps.config.RESET_LINK_MAX_DAYS),
    ...outcome.reset,
  }
  const { message, error } = outcome
  const fragment =
    tab === 'portal' ? (
      <>
        <PortalPanel profile={profile} timeZone={user.timeZone} reset={reset} loginEmail={outcome.loginEmail} error={error} />
        <PanelStatus message={message} oob />
      </>
    ) : (
      <AccessLevelSection person={profile.staff} isSelf={profile.staff.id === user.staffId} message={message} error={error} />
    )
  const page = (
    <StaffProfilePage
      user={user}
      profile={profile}
      tab={tab}
      notice={outcome.notice}
      reset={reset}
      loginEmail={outcome.loginEmail}
      message={message}
      error={error}
    />
  )
  return render(c, page, { fragment: outcome.partial ? fragment : undefined, status: outcome.status })
}
