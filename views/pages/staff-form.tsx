import type { StaffFormValues } from '../../src/staff/staff-input'
import { LANGUAGE_NAMES, LOCALES } from '../../src/text/locale'
import { ErrorSummary, Field } from '../components/field'
import { NameFields } from '../components/name-fields'
import { PageTitle } from '../components/page-title'

export type FormErrors = Record<string, string | undefined>

const ordinal = ['first', 'second', 'third'] as const

export function StaffFormPage(props: { staffId?: string; values: StaffFormValues; errors: FormErrors }) {
  const { values, errors } = props
  const editing = props.staffId !== undefined
  const action = editing ? `/staff/${props.staffId}` : '/staff'
  const title = editing ? `Edit ${values.firstName ?? ''} ${values.lastName ?? ''}`.trim() : 'Add Staff'
  const primary = values.primaryEmail ?? '1'
  return (
    <>
      <PageTitle text={title} />
      <p class="breadcrumb">
        <a href="/staff">Staffs</a>
        {editing && (
          <>
            {' / '}
            <a href={`/staff/${props.staffId}`}>Profile</a>
          </>
        )}
      </p>
      <h1>{title}</h1>
      <ErrorSummary errors={errors} />
      <form method="post" action={action} class="card stack" novalidate>
        <div class="grid-2">
          <NameFields labels={{ firstName: 'First Name', lastName: 'Last Name' }} values={values} errors={errors} />
          <Field
            label="Credentials"
            name="credentials"
            value={values.credentials}
            error={errors.credentials}
            maxlength={60}
            hint="Title or licence, e.g. BCBA, RBT, SLP, OT"
            autocomplete="off"
          />
          <Field label="Phone" name="phone" type="tel" value={values.phone} error={errors.phone} maxlength={30} autocomplete="off" />
          <div class="field">
            <label for="field-language">Language</label>
            <p class="field-hint" id="field-language-hint">
              Of their portal pages and emails. They can change it on their portal home.
            </p>
            <select id="field-language" name="language" aria-describedby="field-language-hint">
              {LOCALES.map((code) => (
                <option value={code} lang={code} selected={(values.language ?? 'en') === code}>
                  {LANGUAGE_NAMES[code]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <fieldset class="emails">
          <legend>Email addresses</legend>
          <p class="field-hint">One to three. The primary address is chosen first when inviting.</p>
          {([1, 2, 3] as const).map((slot) => {
            const name = `email${slot}` as const
            return (
              <div class="email-row">
                <Field
                  label={slot === 1 ? 'Email' : `Email ${slot}`}
                  name={name}
                  type="email"
                  value={values[name]}
                  error={errors[name]}
                  required={slot === 1}
                  maxlength={254}
                  autocomplete="off"
                />
                <label class="radio">
                  <input type="radio" name="primaryEmail" value={String(slot)} checked={primary === String(slot)} />
                  Primary<span class="visually-hidden"> ({ordinal[slot - 1]} address)</span>
                </label>
              </div>
            )
          })}
        </fieldset>
        <div class={errors.active ? 'field field-invalid' : 'field'}>
          <label class="checkbox">
            <input
              type="checkbox"
              name="active"
              checked={values.active === 'on'}
              aria-invalid={errors.active ? 'true' : undefined}
              aria-describedby={errors.active ? 'active-error' : undefined}
            />
            Active (can be invited and can log in)
          </label>
          {errors.active && (
            <p class="field-error" id="active-error">
              {errors.active}
            </p>
          )}
        </div>
        <div class="actions">
          <button type="submit" class="button button-primary">
            Save
          </button>
          {!editing && (
            <button type="submit" class="button" name="then" value="invite">
              Save and Invite
            </button>
          )}
          <a href={editing ? `/staff/${props.staffId}` : '/staff'}>Cancel</a>
        </div>
      </form>
    </>
  )
}
