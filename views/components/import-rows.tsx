import type { ImportRow } from '../../src/import/staff-csv'

const LEVEL_LABEL: Record<string, string> = { staff: 'Staff', admin: 'Admin' }

/** The rows of an import file, each as it will be saved, with its problems beside it. */
export function ImportRowsTable(props: { rows: ImportRow[]; caption: string; heading?: string }) {
  const { rows } = props
  if (rows.length === 0) return null
  const table = (
    <div class="table-scroll">
      <table class="table table-stack import-rows">
        <caption class={props.heading ? 'visually-hidden' : undefined}>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Name</th>
            <th scope="col">Credentials</th>
            <th scope="col">Email</th>
            <th scope="col">Phone</th>
            <th scope="col">Access Level</th>
            <th scope="col">Problems</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr class={row.problems.length > 0 ? 'row-invalid' : undefined}>
              <td data-label="Row">{row.row}</td>
              <th scope="row">{[row.lastName, row.firstName].filter(Boolean).join(', ') || <span class="muted">(no name)</span>}</th>
              <td data-label="Credentials">{row.credentials || <span class="muted">—</span>}</td>
              <td data-label="Email" class="cell-email">
                {row.emails.length > 0 ? row.emails.join(', ') : <span class="muted">—</span>}
              </td>
              <td data-label="Phone">{row.phone || <span class="muted">—</span>}</td>
              <td data-label="Access Level">{LEVEL_LABEL[row.accessLevel] ?? row.accessLevel}</td>
              <td data-label="Problems">
                {row.problems.length === 0 ? (
                  <span class="badge badge-success">Ready</span>
                ) : (
                  <ul class="problems">
                    {row.problems.map((problem) => (
                      <li>{problem}</li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
  if (!props.heading) return table
  return (
    <section aria-labelledby="import-rows-heading">
      <h2 id="import-rows-heading">{props.heading}</h2>
      {table}
    </section>
  )
}
