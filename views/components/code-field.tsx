import { Field } from './field'

/** The box for an authenticator app's code (or a recovery code, up to 12 characters) at every step that asks for one. */
export function CodeField(props: { label: string; error?: string; required?: boolean; autofocus?: boolean }) {
  return (
    <Field
      label={props.label}
      name="code"
      inputmode="numeric"
      autocomplete="one-time-code"
      maxlength={12}
      required={props.required}
      error={props.error}
      autofocus={props.autofocus}
    />
  )
}
