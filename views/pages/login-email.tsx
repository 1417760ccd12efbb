import type { LoginEmailLinkState } from '../../src/login-email/login-email'
import { PageTitle } from '../components/page-title'

/** The link's page: opening it changes nothing; the button makes the change. */
export function ConfirmLoginEmailPage(props: { token: string; newEmail: string; firstName: string; practiceName: string; error?: string }) {
  return (
    <>
      <PageTitle text="Confirm your new login email" />
      <section class="card narrow">
        <h1>Confirm your new login email</h1>
        <p>
          Hello {props.firstName}. Your <strong>{props.practiceName}</strong> practice admin asked to make <strong>{props.newEmail}</strong>{' '}
          your login email for the Staff Portal.
        </p>
        <p>
          Once you confirm, you log in with this address and your current password, and every device you are signed in on is signed out.
        </p>
        {props.error && (
          <p class="alert alert-error" role="alert">
            {props.error}
          </p>
        )}
        <form method="post" action={`/login-email/${props.token}`} class="stack">
          <button type="submit" class="button button-primary">
            Confirm Login Email
          </button>
        </form>
      </section>
    </>
  )
}

const linkProblem: Record<Exclude<LoginEmailLinkState, 'valid'>, { title: string; message: string }> = {
  expired: { title: 'This link has expired', message: 'Verification links last 24 hours. Ask your practice admin to send a new one.' },
  used: { title: 'This link was already used', message: 'Your login email was changed with it. Log in with your new email address.' },
  replaced: {
    title: 'A newer link replaced this one',
    message: 'Only the most recent verification link works. Look for a newer email from your practice.',
  },
  unknown: {
    title: 'This link is not valid',
    message: 'The address may be incomplete. Check that you copied the whole link from the email.',
  },
}

/** What a person sees for a link that cannot be used. */
export function LoginEmailLinkPage(props: { state: Exclude<LoginEmailLinkState, 'valid'> }) {
  const { title, message } = linkProblem[props.state]
  return (
    <>
      <PageTitle text={title} />
      <section class="card narrow">
        <h1>{title}</h1>
        <p>{message}</p>
        <p>
          <a href="/login">Go to the login page</a>
        </p>
      </section>
    </>
  )
}
