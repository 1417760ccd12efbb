import { Hono } from 'hono'
import { checkBreachedPassword } from '../auth/breached-password'
import { AcceptInvitationPage, InvitationLinkPage } from '../../views/pages/accept-invitation'
import { PASSWORD_RULES, checkNewPassword, describePasswordProblem, newPasswordSchema } from '../auth/password-policy'
import type { AppContext, AppEnv } from '../http/env'
import { fieldErrors, readForm } from '../http/form'
import { messagesOf, setLanguageCookie } from '../http/locale'
import { render } from '../http/render'
import { acceptInvitation, findInvitationByToken, passwordContext } from '../invitations/accept'
import { isLocale } from '../text/locale'

/** The invitation behind the link, or the page saying why it cannot be used. */
async function openInvitation(c: AppContext) {
  const found = await findInvitationByToken(c.get('deps'), c.req.param('token') ?? '')
  if (found.state === 'valid' && found.invitation && found.person) {
    // The page speaks the invited person's language, unless they just picked the other one.
    if (!isLocale(c.req.query('lang'))) c.set('locale', found.person.language)
    return { invitation: found.invitation, person: found.person }
  }
  const state = found.state === 'valid' ? 'unknown' : found.state
  return render(c, <InvitationLinkPage t={messagesOf(c)} state={state} />, { status: state === 'unknown' ? 404 : 410 })
}

// Opening the link changes nothing: mail scanners that prefetch it must not use it up.
async function showInvitation(c: AppContext) {
  const found = await openInvitation(c)
  if (found instanceof Response) return found
  return render(
    c,
    <AcceptInvitationPage
      t={messagesOf(c)}
      token={c.req.param('token') ?? ''}
      email={found.invitation.email}
      person={found.person}
      rules={PASSWORD_RULES}
      errors={{}}
    />,
  )
}

async function createAccount(c: AppContext) {
  const token = c.req.param('token') ?? ''
  const found = await openInvitation(c)
  if (found instanceof Response) return found
  const { invitation, person } = found
  const t = messagesOf(c)
  const again = (errors: Record<string, string>) =>
    render(
      c,
      <AcceptInvitationPage t={t} token={token} email={invitation.email} person={person} rules={PASSWORD_RULES} errors={errors} />,
      { status: 422 },
    )

  const parsed = newPasswordSchema.safeParse(await readForm(c))
  if (!parsed.success) return again(fieldErrors(parsed.error, t))
  const check = await checkNewPassword(parsed.data.password, passwordContext(person, invitation.email))
  if (!check.ok) return again({ password: describePasswordProblem(check.problem, t) })
  const breach = await checkBreachedPassword(c.get('deps'), check.password)
  if (!breach.ok) return again({ password: describePasswordProblem({ kind: 'breached' }, t) })

  const result = await acceptInvitation(c.get('deps'), { invitationId: invitation.id, password: check.password, ip: c.get('ip') })
  if (!result.ok) {
    // Used by a parallel post, or the profile changed since the page was opened: say which.
    const now = await findInvitationByToken(c.get('deps'), token)
    return render(c, <InvitationLinkPage t={t} state={now.state === 'valid' || now.state === 'unknown' ? 'used' : now.state} />, {
      status: 410,
    })
  }
  // The login page that follows is signed out: it speaks the new account's language.
  setLanguageCookie(c, person.language)
  return c.redirect(`/login?welcome&email=${encodeURIComponent(result.email)}`, 303)
}

/** The emailed invitation link: Create Account. */
export function inviteRoutes() {
  const app = new Hono<AppEnv>()
  app.get('/:token', showInvitation)
  app.post('/:token', createAccount)
  return app
}
