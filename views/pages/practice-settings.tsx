import { ErrorSummary, Field } from '../components/field'
import { describedBy, FieldFrame } from '../components/field-frame'
import { formatDateTime } from '../../src/text/format'
import { PageTitle } from '../components/page-title'

/** The form as typed: it comes back as it was when something is wrong. */
export type SettingsValues = Partial<Record<'name' | 'timeZone' | 'senderName' | 'sessionIdleMinutes' | 'twoStepPolicy', string>>
export type SettingsErrors = Partial<Record<keyof SettingsValues, string>>

/**
 * A searchable select without script: a text input tied to a datalist of every IANA zone.
 * Browsers filter the list as one types; the server accepts only names from it.
 */
function TimeZoneField(props: { value?: string; error?: string; now: Date; savedZone: string; timeZones: readonly string[] }) {
  const id = 'field-timeZone'
  const hint = (
    <>
      Type to search, such as America/Chicago. Every date your practice sees, and the day a reset link ends, follow it. It is now{' '}
      {formatDateTime(props.now, props.savedZone)} in {props.savedZone}.
    </>
  )
  return (
    <FieldFrame id={id} label="Time Zone" hint={hint} error={props.error}>
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
        {...describedBy(id, props.error)}
      />
      <datalist id="time-zones">
        {props.timeZones.map((zone) => (
          <option value={zone} />
        ))}
      </datalist>
    </FieldFrame>
  )
}

/** How long a session may sit idle; a saved value outside the usual choices is still offered. */
function SignOutAfterField(props: { value?: string; error?: string; choices: readonly number[] }) {
  const id = 'field-sessionIdleMinutes'
  const selected = props.value ?? '30'
  const choices = props.choices.map(String)
  if (/^\d+$/.test(selected) && !choices.includes(selected)) choices.push(selected)
  const hint =
    'Minutes without activity before someone is signed out (HIPAA automatic logoff). Two minutes before, the page asks whether they are still there. However active, everyone logs in again after 12 hours.'
  return (
    <FieldFrame id={id} label="Sign Out After" hint={hint} error={props.error}>
      <select id={id} name="sessionIdleMinutes" {...describedBy(id, props.error)}>
        {choices
          .sort((a, b) => Number(a) - Number(b))
          .map((minutes) => (
            <option value={minutes} selected={minutes === selected}>
              {minutes} minutes
            </option>
          ))}
      </select>
    </FieldFrame>
  )
}

const POLICIES = [
  { value: 'off', label: 'Off' },
  { value: 'admins', label: 'Admins' },
  { value: 'everyone', label: 'Everyone' },
]

/** Who must use a second step after their password; people without one set it up at their next login. */
function TwoStepPolicyField(props: { value?: string; error?: string }) {
  const id = 'field-twoStepPolicy'
  const hint = 'Those it covers who have no authenticator app or passkey yet set one up right after their password at their next login.'
  return (
    <FieldFrame id={id} label="Require Two-Step Sign-In" hint={hint} error={props.error}>
      <select id={id} name="twoStepPolicy" {...describedBy(id, props.error)}>
        {POLICIES.map((policy) => (
          <option value={policy.value} selected={(props.value ?? 'off') === policy.value}>
            {policy.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  )
}

export function PracticeSettingsPage(props: {
  values: SettingsValues
  errors: SettingsErrors
  now: Date
  /** The zone saved now, which the "it is now" hint uses whatever was typed. */
  savedZone: string
  /** Every zone the practice may choose, for the searchable list. */
  timeZones: readonly string[]
  /** The idle minutes "Sign Out After" offers. */
  signOutChoices: readonly number[]
  notice?: string
}) {
  const { values, errors } = props
  return (
    <>
      <PageTitle text="Practice Settings" />
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
        <TimeZoneField
          value={values.timeZone}
          error={errors.timeZone}
          now={props.now}
          savedZone={props.savedZone}
          timeZones={props.timeZones}
        />
        <Field
          label="Sender Name"
          name="senderName"
          value={values.senderName}
          error={errors.senderName}
          maxlength={100}
          autocomplete="off"
          hint="The name emails to your staff come from. Leave it empty to use the practice name."
        />
        <SignOutAfterField value={values.sessionIdleMinutes} error={errors.sessionIdleMinutes} choices={props.signOutChoices} />
        <TwoStepPolicyField value={values.twoStepPolicy} error={errors.twoStepPolicy} />
        <div class="actions">
          <button type="submit" class="button button-primary">
            Save
          </button>
        </div>
      </form>
      <section class="card stack" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Sessions</h2>
        <p>
          Log out every staff member and admin of the practice on every device, for instance after a lost laptop. Your own session stays.
        </p>
        <form method="post" action="/settings/sign-out-everyone" hx-post="/settings/sign-out-everyone">
          <button type="submit" class="button button-danger">
            Sign Out Everyone
          </button>
        </form>
      </section>
    </>
  )
}
