import type { Messages } from '../../src/text/messages'
import { NameFields } from '../components/name-fields'
import { FormCard } from '../components/form-card'

/** The first admin's name, asked at login while it is still the bootstrap placeholder. */
export function YourNamePage(props: {
  t: Messages
  values: { firstName?: string; lastName?: string }
  errors: Record<string, string | undefined>
  /** Where Save and Skip for Now lead: a same-site path. */
  next: string
}) {
  const t = props.t.yourName
  return (
    <FormCard words={t} errors={props.errors} action="/portal/name">
      <input type="hidden" name="next" value={props.next} />
      <NameFields labels={t} values={props.values} errors={props.errors} own />
      <div class="actions">
        <button type="submit" class="button button-primary">
          {t.save}
        </button>
        <a href={props.next}>{t.skip}</a>
      </div>
      <p class="field-hint">{t.skipHint}</p>
    </FormCard>
  )
}
