import type { SessionUser } from '../../src/auth/session'
import type { PracticeSettingsValues } from '../../src/practice/practice-input'
import { TIME_ZONES } from '../../src/practice/time-zones'
import { ErrorSummary, Field } from '../components/field'
import { formatDateTime } from '../format'
import { Layout } from '../layout'

export type SettingsErrors = Partial<Record<keyof PracticeSettingsValues, string>>

/**
 * A searchable select without script: a text input tied to a datalist of every IANA zone.
 * Browsers filter the list as one types; the server accepts only names from it.
 */
function TimeZoneField(props: { value?: string; error?: string; now: Date; savedZone: string }) {
  const id = 'field-timeZone'
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={id}>Time Zone</label>
      <p class="field-hint" id={`${id}-hint`}>
        Type to search, such as America/Chicago. Every date your practice sees, and the day a reset link ends, follow it. It is now{' '}
        {formatDateTime(props.now, props.savedZone)} in {props.savedZone}.
      </p>
      <input
        id={id}
        name="timeZone"
        type="text"
        list="time-zones"
        value={props.value}
        required
        maxlength={64}
        autocomplete="off"
        spellcheck={false}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${id}-hint ${id}-error` : `${id}-hint`}
      />
      <datalist id="time-zones">
        {TIME_ZONES.map((zone) => (
          <option value={zone} />
        ))}
      </datalist>
      {props.error && (
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  )
}

export function PracticeSettingsPage(props: {
  user: SessionUser
  values: PracticeSettingsValues
  errors: SettingsErrors
  now: Date
  /** The zone saved now, which the "it is now" hint uses whatever was typed. */
  savedZone: string
  notice?: string
}) {
  const { values, errors } = props
  return (
    <Layout title="Practice Settings" user={props.user} current="settings">
      <h1>Practice Settings</h1>
      {props.notice && (
        <p class="alert alert-info" role="status">
          {props.notice}
        </p>
      )}
      <ErrorSummary errors={errors} />
      <form method="post" action="/settings" class="card stack settings-form" novalidate>
        <Field
          label="Practice Name"
          name="name"
          value={values.name}
          error={errors.name}
          required
          maxlength={120}
          autocomplete="organization"
          hint="Shown to your staff on every page and in every email."
        />
        <TimeZoneField value={values.timeZone} error={errors.timeZone} now={props.now} savedZone={props.savedZone} />
        <Field
          label="Sender Name"
          name="senderName"
          value={values.senderName}
          error={errors.senderName}
          maxlength={100}
          autocomplete="off"
          hint="The name emails to your staff come from. Leave it empty to use the practice name."
        />
        <div class="actions">
          <button type="submit" class="button button-primary">
            Save
          </button>
        </div>
      </form>
    </Layout>
  )
}
