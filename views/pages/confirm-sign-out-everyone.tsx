import { PageTitle } from '../components/page-title'

/** Sign Out Everyone asks first, on a page of its own: it works without script. */
export function ConfirmSignOutEveryonePage(props: { practiceName: string }) {
  const question = `Sign out everyone in ${props.practiceName}?`
  return (
    <>
      <PageTitle text={question} />
      <p class="breadcrumb">
        <a href="/settings">Practice Settings</a>
      </p>
      <section class="card narrow">
        <h1>{question}</h1>
        <p>
          Every staff member and admin of the practice is logged out on every device, at once. Your own session here stays. Use it when a
          device was lost or an account may have been misused.
        </p>
        <form method="post" action="/settings/sign-out-everyone" class="actions">
          <input type="hidden" name="confirm" value="yes" />
          <button type="submit" class="button button-danger">
            Sign Out Everyone
          </button>
          <a href="/settings">Cancel</a>
        </form>
      </section>
    </>
  )
}
