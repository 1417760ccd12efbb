import type { ActivityRow } from '../../src/activity/activity'
import { formatDateTime } from '../../src/text/format'

/** Audit events as people read them; the practice-wide page adds whom each was about. */
export function ActivityTable(props: { rows: ActivityRow[]; timeZone: string; showWho?: boolean }) {
  return (
    <div class="table-scroll">
      <table class="table table-compact table-stack">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            {props.showWho && <th scope="col">Who</th>}
            <th scope="col">By</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((a) => (
            <tr>
              <td class="cell-key">{formatDateTime(a.createdAt, props.timeZone)}</td>
              <td data-label="What">
                {a.label}
                {a.detail && <span class="muted"> ({a.detail})</span>}
              </td>
              {props.showWho && (
                <td data-label="Who">
                  {a.targetStaffId && a.targetName ? <a href={`/staff/${a.targetStaffId}/portal`}>{a.targetName}</a> : '—'}
                </td>
              )}
              <td data-label="By">{a.actorName ?? '—'}</td>
              <td data-label="From">{a.ip || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
