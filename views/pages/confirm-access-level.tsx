import type { SessionUser } from '../../src/auth/session'
import { accessChange, type AccessLevelPerson } from '../components/access-level'
import { fullName } from '../../src/text/format'
import { PageTitle } from '../components/page-title'

/** The confirmation a plain form post gets (htmx asks with hx-confirm instead). */
export function ConfirmAccessLevelPage(props: { user: SessionUser; person: AccessLevelPerson }) {
  const { person } = props
  const change = accessChange(person, person.id === props.user.staffId)
  const action = `/staff/${person.id}/access-level`
  return (
    <>
      <PageTitle text={change.question} />
      <p class="breadcrumb">
        <a href="/staff">Staffs</a>
        {' / '}
        <a href={`/staff/${person.id}`}>{fullName(person)}</a>
      </p>
      <section class="card narrow">
        <h1>{change.question}</h1>
        <p>{change.consequence}</p>
        <form method="post" action={action} class="actions">
          <input type="hidden" name="role" value={change.to} />
          <input type="hidden" name="confirm" value="yes" />
          <button type="submit" class={change.to === 'staff' ? 'button button-danger' : 'button button-primary'}>
            Confirm
          </button>
          <a href={`/staff/${person.id}`}>Cancel</a>
        </form>
      </section>
    </>
  )
}
