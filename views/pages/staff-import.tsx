import type { ImportRow } from '../../src/import/staff-csv'
import type { BatchDelivery } from '../../src/invitations/bulk-delivery'
import { BulkDeliveries } from '../components/bulk-deliveries'
import { ImportRowsTable } from '../components/import-rows'
import { PageTitle } from '../components/page-title'
import { plural as count } from '../components/staff-list-links'

function Breadcrumb() {
  return (
    <p class="breadcrumb">
      <a href="/staff">Staffs</a>
    </p>
  )
}

function InviteBox(props: { invite: boolean }) {
  return (
    <label class="check-line">
      <input type="checkbox" name="invite" value="on" checked={props.invite} />
      Send invitations after import
    </label>
  )
}

/**
 * Import Staff: one form with the file and both buttons. "Preview" shows the rows and saves
 * nothing; "Import" checks the file and saves it at once, without a preview.
 */
export function ImportStaffPage(props: { error?: string; invite?: boolean }) {
  const { error } = props
  const describedBy = ['csv-file-hint', error ? 'csv-file-error' : ''].filter(Boolean).join(' ')
  return (
    <>
      <PageTitle text="Import Staff" />
      <Breadcrumb />
      <h1>Import Staff</h1>
      <p>
        Bring in a spreadsheet of your staff. Save it as CSV with the columns First Name, Last Name, Credentials, Email, Email 2, Email 3,
        Phone and Access Level (Staff or Admin; empty means Staff). <a href="/staff/import/template.csv">Download the template</a>.
      </p>
      <form method="post" action="/staff/import" enctype="multipart/form-data" class="card stack">
        <div class={error ? 'field field-invalid' : 'field'}>
          <label for="csv-file">CSV File</label>
          <p class="field-hint" id="csv-file-hint">
            At most 2 MB and 2,000 rows. UTF-8, with commas or semicolons between columns; the first row names the columns.
          </p>
          <input
            id="csv-file"
            type="file"
            name="csvFile"
            accept=".csv,text/csv"
            required
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={describedBy}
          />
          {error && (
            <p class="field-error" id="csv-file-error">
              {error}
            </p>
          )}
        </div>
        <InviteBox invite={props.invite ?? false} />
        <div class="actions">
          <button type="submit" name="step" value="preview" class="button button-primary">
            Preview
          </button>
          <button type="submit" name="step" value="import" class="button">
            Import
          </button>
        </div>
      </form>
    </>
  )
}

/**
 * Preview: every row as it will be saved, problems beside it. The file's text rides along in a
 * hidden field, so "Import" works without choosing the file again and without JavaScript; the
 * server reads and checks it afresh.
 */
export function ImportPreviewPage(props: { rows: ImportRow[]; valid: number; text: string; fileName: string; invite: boolean }) {
  const { rows, valid } = props
  const skipped = rows.length - valid
  return (
    <>
      <PageTitle text="Import Staff: Preview" />
      <Breadcrumb />
      <h1>Preview of {props.fileName || 'the file'}</h1>
      <p class="alert alert-info" role="status">
        Will import {count(valid, 'staff member')}. Skipped: {count(skipped, 'row')}. Nothing is saved until you press Import.
      </p>
      {valid > 0 ? (
        <form method="post" action="/staff/import" enctype="multipart/form-data" class="card stack">
          <input type="hidden" name="csvText" value={props.text} />
          <input type="hidden" name="fileName" value={props.fileName} />
          <InviteBox invite={props.invite} />
          <div class="actions">
            <button type="submit" name="step" value="import" class="button button-primary">
              Import
            </button>
            <a href="/staff/import">Choose another file</a>
          </div>
        </form>
      ) : (
        <p>
          No row can be imported. Fix the file and <a href="/staff/import">choose it again</a>.
        </p>
      )}
      <ImportRowsTable rows={rows} caption="Rows of the file, with the problems that keep a row out" />
    </>
  )
}

/** After Import: how many were saved, the invitations if asked for, and each skipped row with why. */
export function ImportDonePage(props: { imported: number; skipped: ImportRow[]; deliveries: BatchDelivery[]; batchId: string | null }) {
  const { imported, skipped } = props
  return (
    <>
      <PageTitle text="Import Staff: Done" />
      <Breadcrumb />
      <h1>{imported === 0 ? 'Nothing imported' : `${count(imported, 'staff member')} imported`}</h1>
      <p class="alert alert-info" role="status">
        Imported: {count(imported, 'staff member')}. Skipped: {count(skipped.length, 'row')}.
      </p>
      <BulkDeliveries deliveries={props.deliveries} batchId={props.batchId} />
      {skipped.length > 0 && <ImportRowsTable rows={skipped} caption="Skipped rows, with the reasons" heading="Skipped" />}
      <p>
        <a href="/staff">Back to Staffs</a> · <a href="/staff/import">Import another file</a>
      </p>
    </>
  )
}
