import { PASSWORD_MAX, PASSWORD_MIN } from '../../src/auth/password-policy'
import { Field } from './field'

export const passwordHint = `At least ${PASSWORD_MIN} characters. A few unrelated words make a strong, memorable password; pasting from a password manager is fine.`

/** The new password twice, as every page that sets one asks for it. */
export function NewPasswordFields(props: { errors: Record<string, string | undefined>; labels?: [string, string]; autofocus?: boolean }) {
  const [first, second] = props.labels ?? ['New Password', 'Confirm New Password']
  return (
    <>
      <Field
        label={first}
        name="password"
        type="password"
        autocomplete="new-password"
        required
        maxlength={PASSWORD_MAX * 4}
        hint={passwordHint}
        error={props.errors.password}
        autofocus={props.autofocus}
      />
      <Field
        label={second}
        name="confirmPassword"
        type="password"
        autocomplete="new-password"
        required
        maxlength={PASSWORD_MAX * 4}
        error={props.errors.confirmPassword}
      />
    </>
  )
}
