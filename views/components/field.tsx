import type { Child } from 'hono/jsx'

export interface FieldProps {
  label: string
  name: string
  value?: string
  error?: string
  type?: 'text' | 'email' | 'password' | 'tel' | 'search' | 'date'
  autocomplete?: string
  required?: boolean
  hint?: Child
  maxlength?: number
  inputmode?: 'numeric' | 'text' | 'email' | 'tel'
  id?: string
  autofocus?: boolean
  readonly?: boolean
  min?: string
  max?: string
  /** A password field's "Show Password" toggle, in the page's language. */
  showPasswordLabel?: string
  /** The same toggle while the password is shown ("Hide Password"). */
  hidePasswordLabel?: string
  /** A password field normally comes back empty; a page that must keep what was typed says so. */
  keepValue?: boolean
  /** Shown right under the input (a live counter, say). */
  after?: Child
}

/** A labelled input with its hint and its error beside it, tied together for screen readers. */
export function Field(props: FieldProps) {
  const id = props.id ?? `field-${props.name}`
  const describedBy = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.type === 'password' ? (
        <div class="password-input">
          <Input {...props} id={id} describedBy={describedBy} />
          {/* Revealed by public/app.js: without script it would do nothing, so it stays hidden. It
              takes its words from the data- attributes, so they are in the page's language. */}
          <button
            type="button"
            class="button button-quiet password-toggle"
            aria-controls={id}
            aria-pressed="false"
            data-label-show={props.showPasswordLabel ?? 'Show Password'}
            data-label-hide={props.hidePasswordLabel ?? 'Hide Password'}
            hidden
          >
            {props.showPasswordLabel ?? 'Show Password'}
          </button>
        </div>
      ) : (
        <Input {...props} id={id} describedBy={describedBy} />
      )}
      {props.after}
      {props.error && (
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  )
}

function Input(props: FieldProps & { id: string; describedBy: string }) {
  const { id, describedBy } = props
  return (
    <input
      id={id}
      name={props.name}
      type={props.type ?? 'text'}
      value={props.type === 'password' && !props.keepValue ? undefined : props.value}
      autocomplete={props.autocomplete}
      required={props.required}
      maxlength={props.maxlength}
      inputmode={props.inputmode}
      autofocus={props.autofocus}
      readonly={props.readonly}
      min={props.min}
      max={props.max}
      aria-invalid={props.error ? 'true' : undefined}
      aria-describedby={describedBy || undefined}
    />
  )
}

/** A summary at the top whose items link to the fields they are about. */
export function ErrorSummary(props: { errors: Record<string, string | undefined>; title?: string }) {
  const entries = Object.entries(props.errors).filter((entry): entry is [string, string] => Boolean(entry[1]))
  if (entries.length === 0) return null
  return (
    <div class="alert alert-error" role="alert">
      <p>
        <strong>{props.title ?? `Please fix ${entries.length === 1 ? 'this' : `these ${entries.length}`} before saving:`}</strong>
      </p>
      <ul>
        {entries.map(([name, message]) => (
          <li>
            <a href={`#field-${name}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  )
}
