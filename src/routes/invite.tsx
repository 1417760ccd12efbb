import { Hono } from 'hono'
import { z } from 'zod'
import { AcceptInvitationPage, InvitationLinkPage } from '../../views/pages/accept-invitation'
import { checkNewPassword } from '../auth/password-policy'
import type { AppContext, AppEnv } from '../http/env'
import { fieldErrors, readForm } from '../http/form'
import { render } from '../http/render'
import type { ClientIp } from '../http/client-ip'
import { acceptInvitation, findInvitationByToken, passwordContext } from '../invitations/invitation'

export const newPasswordSchema = z
  .object({
    password: z.string().default('').pipe(z.string().min(1, 'Enter a password.').max(4096, 'Use at most 128 characters.')),
    confirmPassword: z.string().default(''),
  })
  .refine((form) => form.confirmPassword === form.password, { path: ['confirmPassword'], message: 'The two passwords do not match.' })

const linkStatus = (state: string) => (state === 'unknown' ? 404 : 410)

export function inviteRoutes(clientIp: ClientIp) {
  const app = new Hono<AppEnv>()

  /** The invitation behind the link, or the page saying why it cannot be used. */
  const open = async (c: AppContext) => {
    const { db, clock } = c.get('deps')
    const found = await findInvitationByToken(db, clock, c.req.param('token') ?? '')
    if (found.state === 'valid' && found.invitation && found.person) return { invitation: found.invitation, person: found.person }
    const state = found.state === 'valid' ? 'unknown' : found.state
    return render(c, <InvitationLinkPage state={state} />, linkStatus(state))
  }

  // Opening the link changes nothing: mail scanners that prefetch it must not use it up.
  app.get('/:token', async (c) => {
    const found = await open(c)
    if (found instanceof Response) return found
    return render(c, <AcceptInvitationPage token={c.req.param('token')} email={found.invitation.email} person={found.person} errors={{}} />)
  })

  app.post('/:token', async (c) => {
    const { db, clock } = c.get('deps')
    const token = c.req.param('token')
    const found = await open(c)
    if (found instanceof Response) return found
    const { invitation, person } = found
    const again = (errors: Record<string, string>) =>
      render(c, <AcceptInvitationPage token={token} email={invitation.email} person={person} errors={errors} />, 422)

    const parsed = newPasswordSchema.safeParse(await readForm(c))
    if (!parsed.success) return again(fieldErrors(parsed.error))
    const check = checkNewPassword(parsed.data.password, passwordContext(person, invitation.email))
    if (!check.ok) return again({ password: check.message })

    const result = await acceptInvitation(db, clock, invitation.id, check.password, { ip: clientIp(c) })
    if (!result.ok) return render(c, <InvitationLinkPage state="used" />, 410)
    return c.redirect(`/login?welcome&email=${encodeURIComponent(result.email)}`, 303)
  })

  return app
}
