import type { BatchDelivery } from '../../src/invitations/bulk-delivery'
import type { BulkPlan } from '../../src/invitations/bulk-invite'
import type { StaffPage } from '../../src/staff/directory'
import { STATUS_FILTERS, type StatusFilter } from '../../src/text/status-filters'
import { BulkDeliveries } from '../components/bulk-deliveries'
import { OnboardingSummary } from '../components/onboarding-summary'
import { PageTitle } from '../components/page-title'
import { listHref, plural } from '../components/staff-list-links'
import { ResultsCount, StaffResults } from '../components/staff-results'

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
