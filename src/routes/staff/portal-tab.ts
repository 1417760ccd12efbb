import type { PanelMessage } from '../../../views/components/portal-panel'
import { currentUser, type AppContext } from '../../http/env'
import { getStaffProfile } from '../../profile/staff-profile'
import type { Confirmation } from '../confirm'
import { ID, renderProfile, type ProfileOutcome } from './shared'

// What every action on the Staff Portal tab shares: each answers with the tab (the panel alone
// for htmx), and what locks someone out or breaks a link asks first, on the tab.

/** The Staff Portal tab of a staff member; its actions are under it. */
export const TAB = `/:id${ID}/portal` as const

export const staffIdOf = (c: AppContext) => c.req.param('id') ?? ''

export const answer = (c: AppContext, outcome: ProfileOutcome) => renderProfile(c, staffIdOf(c), 'portal', { partial: true, ...outcome })
export const info = (text: string): PanelMessage => ({ tone: 'info', text })
export const error = (text: string): PanelMessage => ({ tone: 'error', text })

/** The person the tab is about, for a confirmation's words; null when not in the practice. */
export async function staffOf(c: AppContext) {
  return getStaffProfile(c.get('deps'), { practiceId: currentUser(c).practiceId, staffId: staffIdOf(c) })
}

/** A confirmation on the Staff Portal tab: the confirmed answer swaps the panel again. */
export const onTab = (c: AppContext, ask: Omit<Confirmation, 'cancelHref' | 'target' | 'action'>): Confirmation => ({
  ...ask,
  action: c.req.path,
  cancelHref: `/staff/${staffIdOf(c)}/portal`,
  target: '#portal-panel',
})
