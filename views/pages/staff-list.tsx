import type { BatchDelivery, BulkPlan } from '../../src/invitations/bulk-invite'
import type { OnboardingCounts, StaffPage } from '../../src/staff/directory'
import { STATUS_FILTERS, type StatusFilter } from '../../src/text/status-filters'
import { BulkDeliveries } from '../components/bulk-deliveries'
import { StatusBadge } from '../components/status-badge'
import { PageTitle } from '../components/page-title'

const listHref = (q: string, status: string, page = 1) => {
  const params = new URLSearchParams()
  if (q) params.set('q', q)
  if (status) params.set('status', status)
  if (page > 1) params.set('page', String(page))
  const query = params.toString()
  return query ? `/staff?${query}` : '/staff'
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

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

const SEGMENTS: { key: keyof OnboardingCounts; tone: string }[] = [
  { key: 'signed-up', tone: 'seg-success' },
  { key: 'signup-initiated', tone: 'seg-pending' },
  { key: 'email-not-delivered', tone: 'seg-error' },
  { key: 'invitation-expired', tone: 'seg-warning' },
  { key: 'yet-to-sign-up', tone: 'seg-neutral' },
]

/**
 * Where the practice stands, as text (the list) and as one stacked bar (for the eye; each
 * segment a link to its Status filter). The counts are the filters' own: "Yet to sign up"
 * includes the expired, "Signup initiated" the undelivered, so the bar's segments subtract them
 * to add up to the whole.
 */
export function OnboardingSummary(props: { counts: OnboardingCounts }) {
  const c = props.counts
  const widths: Record<keyof OnboardingCounts, number> = {
    'signed-up': c['signed-up'],
    'signup-initiated': Math.max(0, c['signup-initiated'] - c['email-not-delivered']),
    'email-not-delivered': c['email-not-delivered'],
    'invitation-expired': c['invitation-expired'],
    'yet-to-sign-up': Math.max(0, c['yet-to-sign-up'] - c['invitation-expired']),
  }
  const whole = Object.values(widths).reduce((a, b) => a + b, 0)
  return (
    <section class="onboarding" aria-labelledby="onboarding-heading">
      <h2 id="onboarding-heading">Onboarding</h2>
      <ul class="onboarding-counts">
        {SEGMENTS.map(({ key, tone }) => (
          <li>
            <span class={`swatch ${tone}`} aria-hidden="true"></span>
            <a href={listHref('', key)}>
              {STATUS_FILTERS[key]}: <strong>{c[key].toLocaleString('en-US')}</strong>
            </a>
          </li>
        ))}
      </ul>
      {whole > 0 && <OnboardingBar counts={c} widths={widths} whole={whole} />}
    </section>
  )
}

/**
 * The bar as inline SVG: widths are attributes, not inline styles, which the CSP forbids. The
 * numbers are in the list above, so the picture is hidden from screen readers and its links
 * from the tab order (the list's links go to the same filters).
 */
function OnboardingBar(props: { counts: OnboardingCounts; widths: Record<keyof OnboardingCounts, number>; whole: number }) {
  let x = 0
  return (
    <svg class="onboarding-bar" viewBox="0 0 1000 24" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      {SEGMENTS.filter(({ key }) => props.widths[key] > 0).map(({ key, tone }) => {
        const width = (props.widths[key] / props.whole) * 1000
        const segment = (
          <a href={listHref('', key)} tabindex={-1}>
            <title>{`${STATUS_FILTERS[key]}: ${props.counts[key]}`}</title>
            <rect class={tone} x={x.toFixed(2)} y="0" width={width.toFixed(2)} height="24" />
          </a>
        )
        x += width
        return segment
      })}
    </svg>
  )
}

/** The outcome of Invite Selected on the list (a refusal), swapped in by htmx. */
export function BulkOutcome(props: { error?: string }) {
  return (
    <div id="bulk-outcome" role="alert">
      {props.error && <p class="alert alert-error">{props.error}</p>}
    </div>
  )
}

function StatusSelect(props: { status: StatusFilter | '' }) {
  return (
    <div class="field-inline">
      <label for="staff-status">Status</label>
      <select
        id="staff-status"
        name="status"
        hx-get="/staff"
        hx-trigger="change"
        hx-include="closest form"
        hx-target="#staff-results"
        hx-swap="outerHTML"
        hx-push-url="true"
      >
        <option value="" selected={props.status === ''}>
          Any status
        </option>
        {(Object.keys(STATUS_FILTERS) as StatusFilter[]).map((key) => (
          <option value={key} selected={props.status === key}>
            {STATUS_FILTERS[key]}
          </option>
        ))}
      </select>
    </div>
  )
}

export function StaffListPage(props: { page: StaffPage; notice?: string; bulkError?: string }) {
  const { page } = props
  return (
    <>
      <PageTitle text="Staffs" />
      <div class="page-head">
        <h1>Staffs</h1>
        <div class="actions">
          <a class="button" href={listHref(page.q, page.status).replace('/staff', '/staff/export.csv')} download="">
            Export CSV
          </a>
          <a class="button" href="/staff/import">
            Import Staff
          </a>
          <a class="button button-primary" href="/staff/new">
            Add Staff
          </a>
        </div>
      </div>
      {props.notice && (
        <p class="alert alert-info" role="status">
          {props.notice}
        </p>
      )}
      {page.onboarding && <OnboardingSummary counts={page.onboarding} />}
      <form method="get" action="/staff" class="search" role="search">
        <div class="field-inline">
          <label for="staff-search">Search</label>
          <input
            id="staff-search"
            type="search"
            name="q"
            value={page.q}
            maxlength={100}
            placeholder="Name, credentials or email"
            autocomplete="off"
            hx-get="/staff"
            hx-trigger="input changed delay:250ms, search"
            hx-include="closest form"
            hx-target="#staff-results"
            hx-swap="outerHTML"
            hx-push-url="true"
            hx-sync="this:replace"
          />
        </div>
        <StatusSelect status={page.status} />
        <button type="submit" class="button">
          Find
        </button>
      </form>
      <BulkOutcome error={props.bulkError} />
      <ResultsCount page={page} />
      <StaffResults page={page} />
    </>
  )
}

/** After Invite Selected: who was invited (and how each email is doing) and who was skipped. */
export function BulkInvitePage(props: { deliveries: BatchDelivery[]; skipped: BulkPlan['skipped']; batchId: string | null }) {
  const { deliveries, skipped } = props
  return (
    <>
      <PageTitle text="Invitations" />
      <p class="breadcrumb">
        <a href="/staff">Staffs</a>
      </p>
      <h1>{deliveries.length === 0 ? 'No invitations sent' : `${plural(deliveries.length, 'invitation')} sent`}</h1>
      <BulkDeliveries deliveries={deliveries} batchId={props.batchId} />
      {skipped.length > 0 && (
        <section aria-labelledby="skipped-heading" class="card">
          <h2 id="skipped-heading">Skipped</h2>
          <ul>
            {skipped.map((s) => (
              <li>
                {s.name}: skipped, {s.reason}
              </li>
            ))}
          </ul>
        </section>
      )}
      <p>
        <a href="/staff">Back to Staffs</a>
      </p>
    </>
  )
}
