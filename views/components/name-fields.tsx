import { Field } from './field'

type Names = { firstName: string; lastName: string }

/** What a browser may fill in for a person's own name. */
const OWN_AUTOCOMPLETE: Names = { firstName: 'given-name', lastName: 'family-name' }

/**
 * First Name and Last Name, as every form that takes a person's name asks them. `own`: the
 * person names themself, so the browser may fill them in and the first box takes the focus;
 * an admin typing someone else's name gets no suggestions.
 */
export function NameFields(props: { labels: Names; values: Partial<Names>; errors: Partial<Record<keyof Names, string>>; own?: boolean }) {
  const { labels, values, errors, own } = props
  return (
    <>
      {(['firstName', 'lastName'] as const).map((name) => (
        <Field
          label={labels[name]}
          name={name}
          value={values[name]}
          error={errors[name]}
          required
          maxlength={100}
          autocomplete={own ? OWN_AUTOCOMPLETE[name] : 'off'}
          autofocus={own && name === 'firstName'}
        />
      ))}
    </>
  )
}
