import type { StaffProfile } from '../../src/profile/staff-profile'
import { formatDateTime } from '../../src/text/format'
import { Field } from './field'

/** What the Change Login Email form shows after a post: the typed value and its problem. */
export interface LoginEmailFormState {
  value?: string
  error?: string
}

/**
 * A signed-up person's login email, which edits of the profile never change, and Change Login
 * Email: a link to the new address makes the change once its owner follows it.
 */
export function LoginEmailSection(props: { profile: StaffProfile; timeZone: string; form?: LoginEmailFormState }) {
  const { staff, account, emails, loginEmailChange } = props.profile
  if (!account) return null
  const onFile = emails.some((e) => e.email === account.email)
  const action = `/staff/${staff.id}/portal/login-email`
  const error = props.form?.error
  return (
    <section aria-labelledby="login-email-heading" class="subsection">
      <h3 id="login-email-heading">Login email</h3>
      <dl class="details">
        <dt>Login email</dt>
        <dd>{account.email}</dd>
      </dl>
      {!onFile && (
        <p class="callout" id="login-email-off-file">
          This login email is no longer among the addresses on file. They still log in with it. To change it, use Change Login Email.
        </p>
      )}
      {loginEmailChange && (
        <p class="callout">
          A verification link was sent to <strong>{loginEmailChange.newEmail}</strong> on{' '}
          {formatDateTime(loginEmailChange.createdAt, props.timeZone)}; it works until{' '}
          {formatDateTime(loginEmailChange.expiresAt, props.timeZone)}. The login email changes when they follow it.
        </p>
      )}
      <form method="post" action={action} hx-post={action} hx-target="#portal-panel" hx-swap="outerHTML" class="inline-form" novalidate>
        <fieldset>
          <legend>Change Login Email</legend>
          <Field
            label="New Login Email"
            name="newEmail"
            type="email"
            autocomplete="off"
            value={props.form?.value}
            error={error}
            maxlength={254}
            hint="We email a link to this address. The login changes only when they follow it, and the current address is told."
          />
          <button type="submit" class="button" id="send-login-email-verification">
            Send Verification
          </button>
        </fieldset>
      </form>
    </section>
  )
}
