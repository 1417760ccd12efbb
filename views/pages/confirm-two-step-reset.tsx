import { fullName } from '../../src/text/format'
import { PageTitle } from '../components/page-title'

/** The confirmation a plain form gets (htmx asks in the browser instead); nothing changes until its button is pressed. */
export function ConfirmTwoStepResetPage(props: { person: { id: string; firstName: string; lastName: string } }) {
  const { person } = props
  const name = fullName(person)
  return (
    <>
      <PageTitle text="Reset Two-Step Sign-In" />
      <p class="breadcrumb">
        <a href="/staff">Staffs</a>
        {' / '}
        <a href={`/staff/${person.id}/portal`}>{name}</a>
      </p>
      <section class="card narrow">
        <h1>Reset Two-Step Sign-In for {name}?</h1>
        <p>
          Their authenticator app, passkeys and recovery codes are removed, and they are signed out everywhere. They are emailed about it,
          and log in next with their password alone (then set up two-step sign-in again). Do this only once you are sure it is them asking.
        </p>
        <form method="post" action={`/staff/${person.id}/portal/two-step/reset`} class="actions">
          <button type="submit" class="button button-danger">
            Reset Two-Step Sign-In
          </button>
          <a href={`/staff/${person.id}/portal`}>Cancel</a>
        </form>
      </section>
    </>
  )
}
