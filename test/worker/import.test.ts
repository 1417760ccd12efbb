import { describe, expect, it } from 'vitest'
import { APP_URL, logIn } from './support'

// Import Staff on the Worker: papaparse reads the uploaded text inside workerd, and the rows land
// over HTTP in one batch; then Activity's Export CSV streams it back.

describe('Import Staff in workerd', () => {
  it('previews and imports an uploaded CSV (BOM, semicolons, a quoted field)', async () => {
    const admin = await logIn()
    const csv = '\uFEFFFirst Name;Last Name;Email;Access Level\r\nWren;"Okoro; Jr.";wren.okoro@harbor.test;\r\n;Nameless;x@harbor.test;\r\n'
    const post = (step: string) => {
      const form = new FormData()
      form.append('csvFile', new File([csv], 'staff.csv', { type: 'text/csv' }))
      form.append('step', step)
      return admin.request('/staff/import', { method: 'POST', body: form, headers: { Origin: APP_URL } })
    }
    const preview = await post('preview')
    expect(preview.status).toBe(200)
    const previewed = await preview.text()
    expect(previewed).toContain('Will import 1 staff member. Skipped: 1 row.')
    expect(previewed).toContain('Okoro; Jr., Wren')
    const imported = await post('import')
    expect(imported.status).toBe(200)
    expect(await imported.text()).toContain('1 staff member imported')
    expect(await (await admin.get('/staff?q=okoro')).text()).toContain('wren.okoro@harbor.test')
    // The import in Activity's Export CSV, streamed by the Worker.
    const exported = await admin.get('/activity/export.csv?event=staff.imported')
    expect(exported.headers.get('Content-Disposition')).toMatch(/^attachment; filename="activity-\d{4}-\d{2}-\d{2}\.csv"$/)
    const trail = await exported.text()
    expect(trail).toMatch(/^\uFEFF?"Time \(UTC\)","Time \([\w/+-]+\)","Event"/)
    expect(trail).toContain('"Staff imported","1 imported, 1 skipped, from staff.csv"')
  })
})
