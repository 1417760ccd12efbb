import { Hono } from 'hono'
import { z } from 'zod'
import { actorOf, type AppContext, type AppEnv } from '../../http/env'
import { readForm } from '../../http/form'
import { changePortalAccess, type AccessAction } from '../../staff/portal-access'
import { fullName } from '../../text/format'
import { askToConfirm, isConfirmed, type Confirmation } from '../confirm'
import { answer, error, info, onTab, staffIdOf, staffOf, TAB } from './portal-tab'
import { notFound, renderProfile } from './shared'

// The Staff Portal tab, and its Account section's access actions. The tab's other actions have
// a router each: invitations.tsx, reset-links.tsx, login-email.tsx, two-step-reset.tsx.

const accessDone: Record<AccessAction, string> = {
  disable: 'Portal access disabled. They were signed out everywhere and cannot log in.',
  enable: 'Portal access enabled. They can log in again.',
  'end-sessions': 'Signed out on every device.',
  unlock: 'Login unlocked. They can try again now.',
}

const accessForm = z.object({ action: z.enum(['disable', 'enable', 'end-sessions', 'unlock']) })

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

export function portalRoutes() {
  const app = new Hono<AppEnv>()
  app.get(TAB, showPortalTab)
  app.post(`${TAB}/access`, postAccess)
  return app
}
