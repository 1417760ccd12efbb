import type { InvitationLinkState } from '../../src/invitations/accept'
import { ErrorSummary, Field } from '../components/field'
import { NewPasswordFields, type PasswordRules } from '../components/new-password-fields'
import { PageTitle } from '../components/page-title'

export function AcceptInvitationPage(props: {
  token: string
  email: string
  person: { firstName: string; practiceName: string }
  rules: PasswordRules
  errors: Record<string, string | undefined>
}) {
  return (
    <>
      <PageTitle text="Create Account" />
      <section class="card narrow">
        <h1>Create your account</h1>
        <p>
          Welcome, {props.person.firstName}. Choose a password for the <strong>{props.person.practiceName}</strong> Staff Portal.
        </p>
        <ErrorSummary errors={props.errors} title="Please fix this to continue:" />
        <form method="post" action={`/invite/${props.token}`} class="stack" novalidate>
          <Field label="Email" name="username" type="email" value={props.email} autocomplete="username" readonly />
          <NewPasswordFields rules={props.rules} errors={props.errors} labels={['Password', 'Confirm Password']} autofocus />
          <button type="submit" class="button button-primary">
            Create Account
          </button>
        </form>
      </section>
    </>
  )
}

const linkProblem: Record<Exclude<InvitationLinkState, 'valid'>, { title: string; message: string }> = {
  expired: { title: 'This invitation has expired', message: 'Invitation links last a few days for your safety.' },
  used: {
    title: 'This invitation was already used',
    message: 'An account was created with this link. If that was you, log in with your email and password.',
  },
  revoked: { title: 'This invitation was revoked', message: 'Your practice admin withdrew this invitation.' },
  replaced: {
    title: 'A newer invitation replaced this one',
    message: 'Only the most recent invitation link works. Look for a newer email from your practice.',
  },
  withdrawn: {
    title: 'This invitation is no longer valid',
    message: 'Your practice admin changed the profile this invitation was for, so its link no longer works.',
  },
  unknown: {
    title: 'This link is not valid',
    message: 'The address may be incomplete. Check that you copied the whole link from the email.',
  },
}

/** What a person sees for a link that cannot be used: which problem, and what to do. */
export function InvitationLinkPage(props: { state: Exclude<InvitationLinkState, 'valid'> }) {
  const { title, message } = linkProblem[props.state]
  return (
    <>
      <PageTitle text={title} />
      <section class="card narrow">
        <h1>{title}</h1>
        <p>{message}</p>
        <p>
          {props.state === 'used'
            ? 'Forgot your password? Use Forgot Password on the login page.'
            : 'Ask your practice admin to send you a new invitation.'}
        </p>
        <p>
          <a href="/login">Go to the login page</a>
        </p>
      </section>
    </>
  )
}
