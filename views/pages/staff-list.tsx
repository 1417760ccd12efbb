import type { StaffPage } from '../../src/staff/directory'
import { StatusBadge } from '../components/status-badge'
import { PageTitle } from '../components/page-title'

const pageHref = (q: string, page: number) => {
  const params = new URLSearchParams()
  if (q) params.set('q', q)
  if (page > 1) params.set('page', String(page))
  const query = params.toString()
  return query ? `/staff?${query}` : '/staff'
}

/**
 * The count lives outside the swapped rows so that screen readers hear it change: htmx
 * updates it out of band, and a live region that stays in place is announced.
 */
export function ResultsCount(props: { page: StaffPage; oob?: boolean }) {
  const { total, q } = props.page
  return (
    <p class="results-count" id="results-count" role="status" hx-swap-oob={props.oob ? 'true' : undefined}>
      {total === 0
        ? q
          ? `No staff match “${q}”.`
          : 'No staff yet.'
        : `${total} staff member${total === 1 ? '' : 's'}${q ? ` matching “${q}”` : ''}`}
    </p>
  )
}

/** The rows and pager: inside the whole page on a plain GET, alone when htmx asks for them. */
export function StaffResults(props: { page: StaffPage }) {
  const { rows, page, pageCount, q } = props.page
  return (
    <div id="staff-results">
      {rows.length > 0 && (
        <div class="table-scroll">
          <table class="table">
            <caption class="visually-hidden">Staff members, sorted by last name</caption>
            <thead>
              <tr>
                <th scope="col">
                  <span class="visually-hidden">Select</span>
                </th>
                <th scope="col">Name</th>
                <th scope="col">Credentials</th>
                <th scope="col">Primary email</th>
                <th scope="col">Portal status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr>
                  <td class="select-cell">
                    <input
                      type="checkbox"
                      name="staffId"
                      value={row.id}
                      form="bulk-invite"
                      aria-label={`Select ${row.firstName} ${row.lastName}`}
                    />
                  </td>
                  <th scope="row">
                    <a href={`/staff/${row.id}`}>
                      {row.lastName}, {row.firstName}
                    </a>
                    {!row.isActive && <span class="badge badge-muted">Inactive</span>}
                  </th>
                  <td>{row.credentials || <span class="muted">—</span>}</td>
                  <td>{row.primaryEmail ?? <span class="muted">—</span>}</td>
                  <td>
                    <StatusBadge status={row.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pageCount > 1 && (
        <nav class="pager" aria-label="Pages">
          {page > 1 ? (
            <a
              href={pageHref(q, page - 1)}
              hx-get={pageHref(q, page - 1)}
              hx-target="#staff-results"
              hx-swap="outerHTML"
              hx-push-url="true"
              rel="prev"
            >
              Previous
            </a>
          ) : (
            <span class="muted">Previous</span>
          )}
          <span>
            Page {page} of {pageCount}
          </span>
          {page < pageCount ? (
            <a
              href={pageHref(q, page + 1)}
              hx-get={pageHref(q, page + 1)}
              hx-target="#staff-results"
              hx-swap="outerHTML"
              hx-push-url="true"
              rel="next"
            >
              Next
            </a>
          ) : (
            <span class="muted">Next</span>
          )}
        </nav>
      )}
    </div>
  )
}

/** What Invite Selected did, person by person (src/invitations/bulk-invite.ts). */
export interface BulkOutcome {
  invited: { name: string; email: string; delivered: boolean }[]
  skipped: { name: string; reason: string }[]
}

function BulkResult(props: { result: BulkOutcome }) {
  const { invited, skipped } = props.result
  const failed = invited.filter((i) => !i.delivered)
  return (
    <div class={failed.length > 0 ? 'alert alert-error' : 'alert alert-info'} role="status">
      <p>
        <strong>
          {invited.length === 0 ? 'No invitations sent.' : `Sent ${invited.length} invitation${invited.length === 1 ? '' : 's'}.`}
        </strong>
        {failed.length > 0 && ` ${failed.length} email${failed.length === 1 ? ' was' : 's were'} not delivered: open the profile to retry.`}
      </p>
      <ul>
        {invited.map((i) => (
          <li>
            {i.name}: invited at {i.email}
            {!i.delivered && ' (email not delivered)'}
          </li>
        ))}
        {skipped.map((s) => (
          <li>
            {s.name}: skipped, {s.reason}
          </li>
        ))}
      </ul>
    </div>
  )
}

export function StaffListPage(props: { page: StaffPage; notice?: string; bulk?: BulkOutcome; bulkError?: string }) {
  return (
    <>
      <PageTitle text="Staffs" />
      <div class="page-head">
        <h1>Staffs</h1>
        <div class="actions">
          <form id="bulk-invite" method="post" action="/staff/invitations">
            <button type="submit" class="button">
              Invite Selected
            </button>
          </form>
          <a class="button button-primary" href="/staff/new">
            Add Staff
          </a>
        </div>
      </div>
      {props.bulk && <BulkResult result={props.bulk} />}
      {props.bulkError && (
        <p class="alert alert-error" role="alert">
          {props.bulkError}
        </p>
      )}
      {props.notice && (
        <p class="alert alert-info" role="status">
          {props.notice}
        </p>
      )}
      <form method="get" action="/staff" class="search" role="search">
        <label for="staff-search">Search</label>
        <input
          id="staff-search"
          type="search"
          name="q"
          value={props.page.q}
          maxlength={100}
          placeholder="Name or email"
          autocomplete="off"
          hx-get="/staff"
          hx-trigger="input changed delay:250ms, search"
          hx-target="#staff-results"
          hx-swap="outerHTML"
          hx-push-url="true"
          hx-sync="this:replace"
        />
        <button type="submit" class="button">
          Find
        </button>
      </form>
      <ResultsCount page={props.page} />
      <StaffResults page={props.page} />
    </>
  )
}
