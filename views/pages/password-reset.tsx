import type { Messages } from '../../src/text/messages'
import { ErrorSummary, Field } from '../components/field'
import { NewPasswordFields, type PasswordRules } from '../components/new-password-fields'
import { PageTitle } from '../components/page-title'
import { SecondStepNote } from '../components/second-step-note'

type Errors = Record<string, string | undefined>

export function ForgotPasswordPage(props: { t: Messages; email?: string; errors: Errors; status?: string }) {
  const words = props.t.recovery
  return (
    <>
      <PageTitle text={words.forgotTitle} />
      <section class="card narrow">
        <h1>{words.forgotHeading}</h1>
        <p>{words.forgotIntro}</p>
        {props.status && (
          <p class="alert alert-error" role="alert">
            {props.status}
          </p>
        )}
        <form method="post" action="/forgot-password" class="stack" novalidate>
          <Field
            label={words.email}
            name="email"
            type="email"
            value={props.email}
            error={props.errors.email}
            autocomplete="username"
            required
            maxlength={254}
            autofocus
          />
          <button type="submit" class="button button-primary">
            {words.sendCode}
          </button>
        </form>
        <p class="below-form">
          <a href="/login">{words.backToLogin}</a>
        </p>
      </section>
    </>
  )
}

export function VerifyCodePage(props: {
  t: Messages
  email: string
  code?: string
  password?: string
  confirmPassword?: string
  rules: PasswordRules
  errors: Errors
}) {
  const words = props.t.recovery
  return (
    <>
      <PageTitle text={words.resetTitle} />
      <section class="card narrow">
        <h1>{words.resetHeading}</h1>
        <p class="alert alert-info" role="status">
          {words.codeSentBefore}
          <strong>{props.email}</strong>
          {words.codeSentAfter}
        </p>
        <ErrorSummary errors={props.errors} title={words.fixThis} />
        <form method="post" action="/forgot-password/verify" class="stack" novalidate>
          <input type="hidden" name="email" value={props.email} />
          <Field
            label={words.verificationCode}
            name="code"
            value={props.code}
            error={props.errors.code}
            inputmode="numeric"
            autocomplete="one-time-code"
            required
            maxlength={8}
            autofocus
          />
          <NewPasswordFields
            rules={props.rules}
            errors={props.errors}
            labels={[props.t.password.newPassword, props.t.password.confirmNewPassword]}
            words={props.t.password}
            values={{ password: props.password, confirmPassword: props.confirmPassword }}
          />
          <button type="submit" class="button button-primary">
            {words.submit}
          </button>
        </form>
        <SecondStepNote text={words.secondStepNote} />
        <p class="below-form">
          {words.noCode} <a href="/forgot-password">{words.sendNewCode}</a>
        </p>
      </section>
    </>
  )
}

export function ResetLinkPage(props: {
  t: Messages
  token: string
  firstName: string
  password?: string
  confirmPassword?: string
  rules: PasswordRules
  errors: Errors
}) {
  const words = props.t.recovery
  return (
    <>
      <PageTitle text={words.resetTitle} />
      <section class="card narrow">
        <h1>{words.linkHeading}</h1>
        <p>{words.linkIntro(props.firstName)}</p>
        <ErrorSummary errors={props.errors} title={words.fixThis} />
        <form method="post" action={`/reset/${props.token}`} class="stack" novalidate>
          <NewPasswordFields
            rules={props.rules}
            errors={props.errors}
            labels={[props.t.password.newPassword, props.t.password.confirmNewPassword]}
            words={props.t.password}
            values={{ password: props.password, confirmPassword: props.confirmPassword }}
          />
          <button type="submit" class="button button-primary">
            {words.submit}
          </button>
        </form>
        <SecondStepNote text={words.secondStepNote} />
      </section>
    </>
  )
}

export function ResetLinkProblemPage(props: { t: Messages; state: keyof Messages['recovery']['linkProblems'] }) {
  const words = props.t.recovery
  const title = words.linkProblems[props.state]
  return (
    <>
      <PageTitle text={title} />
      <section class="card narrow">
        <h1>{title}</h1>
        <p>{words.linkProblemMessage}</p>
        <p>
          <a href="/forgot-password">{words.forgotPassword}</a> · <a href="/login">{words.logIn}</a>
        </p>
      </section>
    </>
  )
}
