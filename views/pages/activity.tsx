import type { ActivityRow } from '../../src/activity/activity'
import type { SessionUser } from '../../src/auth/session'
import { ActivityTable } from '../components/activity-table'
import { PageTitle } from '../components/page-title'

export interface ActivityPageProps {
  user: SessionUser
  rows: ActivityRow[]
  total: number
  page: number
  pageCount: number
  filter: ActivityFilterValues
  /** The Event filter's options. */
  eventChoices: { value: string; label: string; group?: 'Security' }[]
  /** With a staff id in the filter: that person's name, or null when no one of this practice has it. */
  chosenName?: string | null
}

interface ActivityFilterValues {
  staff: string
  person: string
  event: string
}

const href = (filter: ActivityFilterValues, page: number) => {
  const params = new URLSearchParams()
  if (filter.staff) params.set('staff', filter.staff)
  if (filter.person) params.set('person', filter.person)
  if (filter.event) params.set('event', filter.event)
  if (page > 1) params.set('page', String(page))
  const query = params.toString()
  return query ? `/activity?${query}` : '/activity'
}

export function ActivityPage(props: ActivityPageProps) {
  const { rows, filter, page, pageCount, total } = props
  return (
    <>
      <PageTitle text="Activity" />
      <div class="page-head">
        <h1>Activity</h1>
        <div class="actions">
          <a class="button" href={href(filter, 1).replace('/activity', '/activity/export.csv')} download="">
            Export CSV
          </a>
        </div>
      </div>
      <p class="field-hint">Who did what, when, and from which address, across the practice. Entries cannot be edited or deleted.</p>
      {props.chosenName !== undefined && (
        <p class="filter-chosen">
          {props.chosenName ? (
            <>
              Showing the activity of <strong>{props.chosenName}</strong>.
            </>
          ) : (
            'No staff member of this practice matches that link.'
          )}{' '}
          <a href={href({ staff: '', person: '', event: filter.event }, 1)}>Show everyone</a>
        </p>
      )}
      <form method="get" action="/activity" class="filters">
        {filter.staff ? (
          <input type="hidden" name="staff" value={filter.staff} />
        ) : (
          <div class="field">
            <label for="filter-person">Staff</label>
            <input id="filter-person" name="person" type="search" value={filter.person} maxlength={100} placeholder="Name or email" />
          </div>
        )}
        <div class="field">
          <label for="filter-event">Event</label>
          <select id="filter-event" name="event">
            <option value="">All events</option>
            {props.eventChoices
              .filter((choice) => !choice.group)
              .map(({ value, label }) => (
                <option value={value} selected={value === filter.event}>
                  {label}
                </option>
              ))}
            <optgroup label="Security">
              {props.eventChoices
                .filter((choice) => choice.group === 'Security')
                .map(({ value, label }) => (
                  <option value={value} selected={value === filter.event}>
                    {label}
                  </option>
                ))}
            </optgroup>
          </select>
        </div>
        <button type="submit" class="button">
          Filter
        </button>
      </form>
      <p class="results-count" role="status">
        {total === 0 ? 'No activity matches.' : `${total} event${total === 1 ? '' : 's'}`}
      </p>
      {rows.length > 0 && <ActivityTable rows={rows} timeZone={props.user.timeZone} showWho />}
      {pageCount > 1 && (
        <nav class="pager" aria-label="Pages">
          {page > 1 ? <a href={href(filter, page - 1)}>Previous</a> : <span class="muted">Previous</span>}
          <span>
            Page {page} of {pageCount}
          </span>
          {page < pageCount ? <a href={href(filter, page + 1)}>Next</a> : <span class="muted">Next</span>}
        </nav>
      )}
    </>
  )
}
