import type { StaffPage } from '../../src/staff/directory'
import { STATUS_FILTERS } from '../../src/text/status-filters'
import { StatusBadge } from './status-badge'
import { listHref, plural } from './staff-list-links'

/**
 * The count lives outside the swapped rows so that screen readers hear it change: htmx
 * updates it out of band, and a live region that stays in place is announced.
 */
export function ResultsCount(props: { page: StaffPage; oob?: boolean }) {
  const { total, q, status } = props.page
  const filter = [q ? `matching “${q}”` : '', status ? `with status “${STATUS_FILTERS[status]}”` : ''].filter(Boolean).join(' ')
  return (
    <p class="results-count" id="results-count" role="status" hx-swap-oob={props.oob ? 'true' : undefined}>
      {total === 0 ? (filter ? `No staff ${filter}.` : 'No staff yet.') : `${plural(total, 'staff member')}${filter ? ` ${filter}` : ''}`}
    </p>
  )
}

/**
 * What the selection acts on. "Select All" ticks the page (the server reads the page's ids
 * posted beside it, so it works without JavaScript; app.js ticks the boxes for the eye);
 * "Select all N matching" sends the filter, not ids, and the server selects by it again.
 */
function BulkActions(props: { page: StaffPage }) {
  const { rows, total, q, status } = props.page
  if (rows.length === 0) return null
  return (
    <div class="bulk-bar">
      <form
        id="bulk-invite"
        method="post"
        action="/staff/invitations"
        hx-post="/staff/invitations"
        hx-target="#bulk-outcome"
        hx-swap="outerHTML"
      >
        <input type="hidden" name="q" value={q} />
        <input type="hidden" name="status" value={status} />
        <input type="hidden" name="mode" value="invite" />
        {rows.map((row) => (
          <input type="hidden" name="pageStaffId" value={row.id} />
        ))}
        {total > rows.length && (
          <label class="check-line">
            <input type="checkbox" name="scope" value="matching" data-select-matching="" />
            Select all {total.toLocaleString('en-US')} matching
          </label>
        )}
        <button type="submit" class="button">
          Invite Selected
        </button>
      </form>
      <form method="post" action="/staff/invitations" hx-post="/staff/invitations" hx-target="#bulk-outcome" hx-swap="outerHTML">
        <input type="hidden" name="scope" value="matching" />
        <input type="hidden" name="q" value={q} />
        <input type="hidden" name="status" value={status} />
        <input type="hidden" name="mode" value="resend" />
        <button type="submit" class="button button-quiet">
          Resend to all pending or expired
        </button>
      </form>
    </div>
  )
}

/** The rows, the selection and the pager: inside the whole page on a plain GET, alone when htmx asks for them. */
export function StaffResults(props: { page: StaffPage }) {
  const { rows, page, pageCount, q, status } = props.page
  const pagerLink = (to: number, label: string, rel: string) => (
    <a
      href={listHref(q, status, to)}
      hx-get={listHref(q, status, to)}
      hx-target="#staff-results"
      hx-swap="outerHTML"
      hx-push-url="true"
      rel={rel}
    >
      {label}
    </a>
  )
  return (
    <div id="staff-results">
      <BulkActions page={props.page} />
      {rows.length > 0 && (
        <div class="table-scroll">
          <table class="table table-stack table-select">
            <caption class="visually-hidden">Staff members, sorted by last name</caption>
            <thead>
              <tr>
                <th scope="col" class="select-cell">
                  <label class="select-all">
                    <input type="checkbox" name="scope" value="page" form="bulk-invite" data-select-all="" />
                    <span>Select All</span>
                  </label>
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
                      aria-label={`${row.firstName} ${row.lastName}`}
                    />
                  </td>
                  <th scope="row">
                    <a href={`/staff/${row.id}`}>
                      {row.lastName}, {row.firstName}
                    </a>
                    {!row.isActive && <span class="badge badge-muted">Inactive</span>}
                  </th>
                  <td data-label="Credentials">{row.credentials || <span class="muted">—</span>}</td>
                  <td data-label="Primary email" class="cell-email">
                    {row.primaryEmail ?? <span class="muted">—</span>}
                  </td>
                  <td data-label="Portal status">
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
          {page > 1 ? pagerLink(page - 1, 'Previous', 'prev') : <span class="muted">Previous</span>}
          <span>
            Page {page} of {pageCount}
          </span>
          {page < pageCount ? pagerLink(page + 1, 'Next', 'next') : <span class="muted">Next</span>}
        </nav>
      )}
    </div>
  )
}
