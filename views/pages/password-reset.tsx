import type { Child } from 'hono/jsx'
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

interface NewPasswordProps {
  t: Messages
  password?: string
  confirmPassword?: string
  rules: PasswordRules
  errors: Errors
}

/** The new password twice, under whatever the page asks first (`children`), then the second-step note. */
function NewPasswordForm(props: NewPasswordProps & { action: string; children?: Child }) {
  const words = props.t.recovery
  return (
    <>
      <ErrorSummary errors={props.errors} title={words.fixThis} />
      <form method="post" action={props.action} class="stack" novalidate>
        {props.children}
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
    </>
  )
}

export function VerifyCodePage(props: NewPasswordProps & { email: string; code?: string }) {
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
        <NewPasswordForm {...props} action="/forgot-password/verify">
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
        </NewPasswordForm>
        <p class="below-form">
          {words.noCode} <a href="/forgot-password">{words.sendNewCode}</a>
        </p>
      </section>
    </>
  )
}

export function ResetLinkPage(props: NewPasswordProps & { token: string; firstName: string }) {
  const words = props.t.recovery
  return (
    <>
      <PageTitle text={words.resetTitle} />
      <section class="card narrow">
        <h1>{words.linkHeading}</h1>
        <p>{words.linkIntro(props.firstName)}</p>
        <NewPasswordForm {...props} action={`/reset/${props.token}`} />
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
