import { ErrorSummary, Field } from '../components/field'
import { NewPasswordFields, type PasswordRules } from '../components/new-password-fields'
import { PageTitle } from '../components/page-title'
import { SecondStepNote } from '../components/second-step-note'

type Errors = Record<string, string | undefined>

export function ForgotPasswordPage(props: { email?: string; errors: Errors; status?: string }) {
  return (
    <>
      <PageTitle text="Forgot Password" />
      <section class="card narrow">
        <h1>Forgot your password?</h1>
        <p>Enter the email address you log in with. We will email you an 8-digit verification code.</p>
        {props.status && (
          <p class="alert alert-error" role="alert">
            {props.status}
          </p>
        )}
        <form method="post" action="/forgot-password" class="stack" novalidate>
          <Field
            label="Email"
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
            Send Code
          </button>
        </form>
        <p class="below-form">
          <a href="/login">Back to Log In</a>
        </p>
      </section>
    </>
  )
}

export function VerifyCodePage(props: {
  email: string
  code?: string
  password?: string
  confirmPassword?: string
  rules: PasswordRules
  errors: Errors
}) {
  return (
    <>
      <PageTitle text="Reset Password" />
      <section class="card narrow">
        <h1>Reset your password</h1>
        <p class="alert alert-info" role="status">
          If an account exists for <strong>{props.email}</strong>, a verification code is on its way. It expires in 10 minutes and works
          only in this browser.
        </p>
        <ErrorSummary errors={props.errors} title="Please fix this to continue:" />
        <form method="post" action="/forgot-password/verify" class="stack" novalidate>
          <input type="hidden" name="email" value={props.email} />
          <Field
            label="Verification Code"
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
            values={{ password: props.password, confirmPassword: props.confirmPassword }}
          />
          <button type="submit" class="button button-primary">
            Reset Password
          </button>
        </form>
        <SecondStepNote />
        <p class="below-form">
          No code? <a href="/forgot-password">Send a new code</a>
        </p>
      </section>
    </>
  )
}

export function ResetLinkPage(props: {
  token: string
  firstName: string
  password?: string
  confirmPassword?: string
  rules: PasswordRules
  errors: Errors
}) {
  return (
    <>
      <PageTitle text="Reset Password" />
      <section class="card narrow">
        <h1>Set a new password</h1>
        <p>Hello {props.firstName}. Choose a new password for the Staff Portal.</p>
        <ErrorSummary errors={props.errors} title="Please fix this to continue:" />
        <form method="post" action={`/reset/${props.token}`} class="stack" novalidate>
          <NewPasswordFields
            rules={props.rules}
            errors={props.errors}
            values={{ password: props.password, confirmPassword: props.confirmPassword }}
          />
          <button type="submit" class="button button-primary">
            Reset Password
          </button>
        </form>
        <SecondStepNote />
      </section>
    </>
  )
}

const linkProblems = {
  expired: 'This reset link has expired',
  used: 'This reset link was already used',
  revoked: 'This reset link was revoked',
  replaced: 'A newer reset link replaced this one',
  unknown: 'This link is not valid',
} as const

export function ResetLinkProblemPage(props: { state: keyof typeof linkProblems }) {
  return (
    <>
      <PageTitle text={linkProblems[props.state]} />
      <section class="card narrow">
        <h1>{linkProblems[props.state]}</h1>
        <p>Ask your practice admin for a new link, or reset your password yourself with Forgot Password on the login page.</p>
        <p>
          <a href="/forgot-password">Forgot Password</a> · <a href="/login">Log In</a>
        </p>
      </section>
    </>
  )
}
