import type { Agent } from './agent'

export const STRONG_PASSWORD = 'Marigold tractor sonnet 1911'

export const staffForm = (overrides: Record<string, string> = {}) => ({
  firstName: 'Maya',
  lastName: 'Okafor',
  credentials: 'BCBA',
  phone: '',
  email1: 'maya@harbor.test',
  email2: '',
  email3: '',
  primaryEmail: '1',
  active: 'on',
  ...overrides,
})

/** Adds a staff member through the form and returns their id. */
export async function addStaff(agent: Agent, overrides: Record<string, string> = {}) {
  const response = await agent.post('/staff', staffForm(overrides))
  if (response.status !== 303) throw new Error(`adding staff failed with ${response.status}`)
  return /^\/staff\/([a-z2-7]{16})/.exec(response.headers.get('Location')!)![1]!
}

/** Clicks Send Invitation the way htmx does, answering with the panel. */
export function sendInvitation(agent: Agent, staffId: string, email: string) {
  return agent.post(`/staff/${staffId}/portal/invitations`, { email }, { 'HX-Request': 'true' })
}

export function linkIn(text: string): string {
  const match = /https?:\/\/\S+\/invite\/[a-z2-7]{16}\.[a-z2-7]{39}/.exec(text)
  if (!match) throw new Error(`no invitation link in:\n${text}`)
  return match[0]
}

export const pathOf = (link: string) => new URL(link).pathname
