// Used by the Node tests (Agent over app.request) and the workerd tests (WorkerAgent over the
// deployed bundle): nothing here may import Node-only modules.

/** What both test agents offer: a form post the way a browser sends one. */
export interface FormPoster {
  post(path: string, form?: Record<string, string>, headers?: Record<string, string>): Promise<Response>
}

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
export async function addStaff(agent: FormPoster, overrides: Record<string, string> = {}) {
  const response = await agent.post('/staff', staffForm(overrides))
  if (response.status !== 303) throw new Error(`adding staff failed with ${response.status}`)
  return /^\/staff\/([a-z2-7]{16})/.exec(response.headers.get('Location')!)![1]!
}

/** Clicks Send Invitation the way htmx does, answering with the panel. */
export function sendInvitation(agent: FormPoster, staffId: string, email: string) {
  return agent.post(`/staff/${staffId}/portal/invitations`, { email }, { 'HX-Request': 'true' })
}

/** The first invitation (or reset) link in an email's text. */
export function linkIn(text: string, kind: 'invite' | 'reset' = 'invite'): string {
  const match = new RegExp(`https?://\\S+/${kind}/[a-z2-7]{16}\\.[a-z2-7]{39}`).exec(text)
  if (!match) throw new Error(`no ${kind} link in:\n${text}`)
  return match[0]
}

export const pathOf = (link: string) => new URL(link).pathname
