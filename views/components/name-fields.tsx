import { Field } from './field'

type Names = { firstName: string; lastName: string }

/**
 * First Name and Last Name, as every form that takes a person's name asks them. `own`: the
 * person names themself, so the browser may fill them in and the first box takes the focus;
 * an admin typing someone else's name gets no suggestions.
 */
export function NameFields(props: { labels: Names; values: Partial<Names>; errors: Partial<Record<keyof Names, string>>; own?: boolean }) {
  const { labels, values, errors, own } = props
  return (
    <>
      <Field
        label={labels.firstName}
        name="firstName"
        value={values.firstName}
        error={errors.firstName}
        required
        maxlength={100}
        autocomplete={own ? 'given-name' : 'off'}
        autofocus={own}
      />
      <Field
        label={labels.lastName}
        name="lastName"
        value={values.lastName}
        error={errors.lastName}
        required
        maxlength={100}
        autocomplete={own ? 'family-name' : 'off'}
      />
    </>
  )
}
