import type { InvitationLinkState } from '../../src/invitations/accept'
import type { Messages } from '../../src/text/messages'
import { ErrorSummary, Field } from '../components/field'
import { NewPasswordFields, type PasswordRules } from '../components/new-password-fields'
import { PageTitle } from '../components/page-title'

export function AcceptInvitationPage(props: {
  t: Messages
  token: string
  email: string
  person: { firstName: string; practiceName: string }
  rules: PasswordRules
  errors: Record<string, string | undefined>
}) {
  const t = props.t.invite
  const words = props.t.password
  return (
    <>
      <PageTitle text={t.title} />
      <section class="card narrow">
        <h1>{t.heading}</h1>
        <p>{t.intro(props.person.firstName, props.person.practiceName)}</p>
        <ErrorSummary errors={props.errors} title={t.fixThis} />
        <form method="post" action={`/invite/${props.token}`} class="stack" novalidate>
          <Field label={t.email} name="username" type="email" value={props.email} autocomplete="username" readonly />
          <NewPasswordFields
            rules={props.rules}
            errors={props.errors}
            labels={[words.password, words.confirmPassword]}
            words={words}
            autofocus
          />
          <button type="submit" class="button button-primary">
            {t.submit}
          </button>
        </form>
      </section>
    </>
  )
}

/** What a person sees for a link that cannot be used: which problem, and what to do. */
export function InvitationLinkPage(props: { t: Messages; state: Exclude<InvitationLinkState, 'valid'> }) {
  const t = props.t.invite
  const { title, message } = t.problems[props.state]
  return (
    <>
      <PageTitle text={title} />
      <section class="card narrow">
        <h1>{title}</h1>
        <p>{message}</p>
        <p>{props.state === 'used' ? t.usedHint : t.askForNew}</p>
        <p>
          <a href="/login">{t.goToLogin}</a>
        </p>
      </section>
    </>
  )
}
