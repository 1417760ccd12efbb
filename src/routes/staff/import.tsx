import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { ImportDonePage, ImportPreviewPage, ImportStaffPage } from '../../../views/pages/staff-import'
import type { Defer } from '../../http/defer'
import { actorOf, currentUser, type AppContext, type AppEnv } from '../../http/env'
import { render } from '../../http/render'
import { importStaff, previewImport, primaryOf } from '../../import/import-staff'
import { decodeCsv, IMPORT_COLUMNS, IMPORT_MAX_BYTES, tooLarge } from '../../import/staff-csv'
import { deliverQueued } from '../../invitations/bulk-delivery'
import { csvLine } from '../../text/csv'
import { fullName } from '../../text/format'

export const IMPORT_PATH = '/staff/import'
/** The file, plus what multipart and the form's other fields add around it. */
export const IMPORT_MAX_BODY_BYTES = IMPORT_MAX_BYTES + 64 * 1024

const refuse = (c: AppContext, error: string, invite = false, status: 413 | 422 = 422) =>
  render(c, <ImportStaffPage error={error} invite={invite} />, { status })

/** The posted file (or, from Preview, its text), what to do with it, and whether to invite. */
async function readUpload(c: AppContext) {
  let body: Record<string, string | File>
  try {
    body = await c.req.parseBody()
  } catch {
    body = {}
  }
  const field = (name: string) => (typeof body[name] === 'string' ? body[name] : '')
  const file = body.csvFile
  const invite = field('invite') === 'on'
  const step = field('step') === 'import' ? ('import' as const) : ('preview' as const)
  if (file instanceof File && file.size > 0) {
    const decoded = decodeCsv(await file.arrayBuffer())
    return { step, invite, fileName: file.name.slice(0, 200), ...decoded }
  }
  const text = field('csvText')
  if (text === '') return { step, invite, fileName: '', ok: false as const, error: 'Choose a CSV file.' }
  return { step, invite, fileName: field('fileName').slice(0, 200), ok: true as const, text }
}

const importFile = (defer: Defer) => async (c: AppContext) => {
  const deps = c.get('deps')
  const user = currentUser(c)
  const upload = await readUpload(c)
  if (!upload.ok) return refuse(c, upload.error, upload.invite)
  if (upload.step === 'preview') {
    const preview = await previewImport(deps, { practiceId: user.practiceId, text: upload.text })
    if (!preview.ok) return refuse(c, preview.error, upload.invite)
    return render(
      c,
      <ImportPreviewPage rows={preview.rows} valid={preview.valid} text={upload.text} fileName={upload.fileName} invite={upload.invite} />,
    )
  }
  const actor = { ...actorOf(c), name: fullName(user) }
  const result = await importStaff(deps, { actor, text: upload.text, fileName: upload.fileName, invite: upload.invite })
  if (!result.ok) return refuse(c, result.error, upload.invite)
  const { queued } = result
  if (queued) defer(c, () => deliverQueued(deps, queued))
  const deliveries = queued
    ? result.imported.map((row) => ({
        staffId: row.staffId,
        name: fullName(row),
        email: primaryOf(row),
        state: 'pending' as const,
        error: '',
      }))
    : []
  return render(
    c,
    <ImportDonePage imported={result.imported.length} skipped={result.skipped} deliveries={deliveries} batchId={queued?.batchId ?? null} />,
  )
}

/** The template: just the header row, with a byte-order mark so spreadsheets read it as UTF-8. */
function downloadTemplate(c: AppContext) {
  c.header('Content-Type', 'text/csv; charset=utf-8')
  c.header('Content-Disposition', 'attachment; filename="staff-import-template.csv"')
  return c.body('\uFEFF' + csvLine([...IMPORT_COLUMNS]))
}

/**
 * Import Staff. Its POST takes a file of up to 2 MB, so it has its own body limit (the app's is
 * for forms), checked here after the admin guard: a stranger's large post is turned away unread.
 */
export function importRoutes(defer: Defer) {
  const app = new Hono<AppEnv>()
  app.get('/import', (c) => render(c, <ImportStaffPage />))
  app.get('/import/template.csv', downloadTemplate)
  app.post('/import', bodyLimit({ maxSize: IMPORT_MAX_BODY_BYTES, onError: (c) => refuse(c, tooLarge, false, 413) }), importFile(defer))
  return app
}
