import type { Child } from 'hono/jsx'

// The label, hint and error around a control that Field (field.tsx) does not draw: a select, an
// input tied to a datalist.

/** The attributes that tie a control in a FieldFrame to its hint and error, for screen readers. */
export const describedBy = (id: string, error?: string) => ({
  'aria-invalid': error ? ('true' as const) : undefined,
  'aria-describedby': error ? `${id}-hint ${id}-error` : `${id}-hint`,
})

export function FieldFrame(props: { id: string; label: string; hint: Child; error?: string; children: Child }) {
  const { id } = props
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      <p class="field-hint" id={`${id}-hint`}>
        {props.hint}
      </p>
      {props.children}
      {props.error && (
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  )
}
