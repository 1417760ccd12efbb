import type { ActivityRow } from '../../src/activity/activity'
import { formatDateTime } from '../../src/text/format'

/** Audit events as people read them; the practice-wide page adds whom each was about. */
export function ActivityTable(props: { rows: ActivityRow[]; timeZone: string; showWho?: boolean }) {
  return (
    <div class="table-scroll">
      <table class="table table-compact">
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
              <td>{formatDateTime(a.createdAt, props.timeZone)}</td>
              <td>
                {a.label}
                {a.detail && <span class="muted"> ({a.detail})</span>}
              </td>
              {props.showWho && (
                <td>{a.targetStaffId && a.targetName ? <a href={`/staff/${a.targetStaffId}/portal`}>{a.targetName}</a> : '—'}</td>
              )}
              <td>{a.actorName ?? '—'}</td>
              <td>{a.ip || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
