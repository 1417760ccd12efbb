import type { SessionUser } from '../../src/auth/session'
import { ErrorSummary, Field } from '../components/field'
import { NewPasswordFields, type PasswordRules } from '../components/new-password-fields'
import { PageTitle } from '../components/page-title'

export function ChangePasswordPage(props: { user: SessionUser; rules: PasswordRules; errors: Record<string, string | undefined> }) {
  return (
    <>
      <PageTitle text="Change Password" />
      <section class="card narrow">
        <h1>Change your password</h1>
        <p>You will be signed out everywhere, then log in again with the new password.</p>
        <ErrorSummary errors={props.errors} title="Please fix this to continue:" />
        <form method="post" action="/portal/password" class="stack" novalidate>
          <input type="hidden" name="username" value={props.user.email} autocomplete="username" />
          <Field
            label="Current Password"
            name="currentPassword"
            type="password"
            autocomplete="current-password"
            required
            maxlength={1024}
            error={props.errors.currentPassword}
            autofocus
          />
          <NewPasswordFields rules={props.rules} errors={props.errors} />
          <div class="actions">
            <button type="submit" class="button button-primary">
              Change Password
            </button>
            <a href="/portal">Cancel</a>
          </div>
        </form>
      </section>
    </>
  )
}
