import { and, eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { auditEvents, emailOutbox, invitations, staff, staffEmails } from '../db/schema'
import type { Agent } from './support/agent'
import { addTwoPractices, createTestApp, logInBothAdmins, type TestApp } from './support/app'
import { addStaff } from './support/staff'

vi.setConfig({ testTimeout: 60_000 })

let t: TestApp
let admin: Agent
let otherAdmin: Agent
let harborId: string

beforeAll(async () => {
  t = await createTestApp()
  await addTwoPractices(t)
  ;({ admin, otherAdmin } = await logInBothAdmins(t))
  await addStaff(admin, { firstName: 'Olu', lastName: 'Bello', email1: 'olu@harbor.test' })
  const [row] = await t.db.select({ practiceId: staff.practiceId }).from(staff).where(eq(staff.lastName, 'Bello'))
  harborId = row!.practiceId
})
afterAll(() => t.cleanup())

const HEADER = 'First Name,Last Name,Credentials,Email,Email 2,Email 3,Phone,Access Level\n'

/** Posts the Import Staff form as a browser does: multipart, with the file and the pressed button. */
function upload(
  agent: Agent,
  csv: string | Uint8Array<ArrayBuffer>,
  fields: Record<string, string> = {},
  headers: Record<string, string> = {},
) {
  const form = new FormData()
  form.append('csvFile', new File([csv], 'staff.csv', { type: 'text/csv' }))
  for (const [name, value] of Object.entries({ step: 'preview', ...fields })) form.append(name, value)
  return agent.request('/staff/import', { method: 'POST', body: form, headers: { Origin: 'http://localhost', ...headers } })
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')

const staffOf = (practiceId: string, lastName: string) =>
  t.db
    .select()
    .from(staff)
    .where(and(eq(staff.practiceId, practiceId), eq(staff.lastName, lastName)))

describe('the Import Staff page', () => {
  it('is linked from Staffs and states the limits, with a template to download', async () => {
    expect(await (await admin.get('/staff')).text()).toMatch(/<a [^>]*href="\/staff\/import"[^>]*>\s*Import Staff\s*</)
    const html = await (await admin.get('/staff/import')).text()
    expect(html).toContain('<label for="csv-file">CSV File</label>')
    expect(html).toMatch(/type="file" name="csvFile"/)
    expect(html).toMatch(/>\s*Preview\s*</)
    expect(html).toMatch(/>\s*Import\s*</)
    expect(text(html)).toContain('Send invitations after import')
    expect(text(html)).toContain('At most 2 MB and 2,000 rows')
    const template = await admin.get('/staff/import/template.csv')
    expect(template.headers.get('Content-Disposition')).toContain('attachment')
    const bytes = new Uint8Array(await template.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(new TextDecoder().decode(bytes)).toBe(
      '"First Name","Last Name","Credentials","Email","Email 2","Email 3","Phone","Access Level"\r\n',
    )
  })

  it('is for admins only, and posts need the app origin', async () => {
    expect((await t.agent().get('/staff/import')).status).toBe(303)
    const foreign = await upload(admin, HEADER + 'Ana,Diaz,,ana@harbor.test,,,,\n', { step: 'import' }, { Origin: 'https://evil.test' })
    expect(foreign.status).toBe(403)
    const none = await upload(admin, HEADER + 'Ana,Diaz,,ana@harbor.test,,,,\n', { step: 'import' }, { Origin: '' })
    expect(none.status).toBe(403)
    expect(await staffOf(harborId, 'Diaz')).toHaveLength(0)
  })
})

describe('Preview', () => {
  it('reads a BOM, semicolons, quoted fields with newlines, any header case, extra columns; saves nothing', async () => {
    const csv =
      '\uFEFFlast NAME;FIRST name;Notes;EMAIL;access level\r\n' +
      '"Quinn; Jr.";"Ada ""AJ""";"line one\r\nline two";ADA@Harbor.Test ;admin\r\n' +
      ';;;;\r\n' +
      'Reyes;Luz;x;luz@harbor.test;\r\n'
    const response = await upload(admin, new TextEncoder().encode(csv))
    expect(response.status).toBe(200)
    const page = text(await response.text())
    expect(page).toContain('Will import 2 staff members. Skipped: 0 rows.')
    expect(page).toContain('Quinn; Jr., Ada "AJ"')
    expect(page).toContain('ada@harbor.test')
    expect(page).toMatch(/Admin/)
    expect(page).toContain('Reyes, Luz')
    expect(await staffOf(harborId, 'Reyes')).toHaveLength(0)
  })

  it('lists each row with its problems and the counts', async () => {
    const csv =
      HEADER +
      ',Nobody,,nobody@harbor.test,,,,\n' +
      'Bad,Address,,not-an-address,,,,\n' +
      'First,Copy,,twice@harbor.test,,,,\n' +
      'Second,Copy,,TWICE@harbor.test,,,,\n' +
      'Already,There,,olu@harbor.test,,,,\n' +
      'Odd,Level,,odd@harbor.test,,,,Owner\n' +
      'Fine,Person,RBT,fine@harbor.test,fine2@harbor.test,,(555) 010-2233,staff\n'
    const page = text(await (await upload(admin, csv)).text())
    expect(page).toContain('Will import 2 staff members. Skipped: 5 rows.')
    expect(page).toContain('missing first name')
    expect(page).toContain('invalid email (Email)')
    expect(page).toContain('duplicate in file (twice@harbor.test)')
    expect(page).toContain('already on file (olu@harbor.test)')
    expect(page).toContain('unknown access level')
    expect(page).toMatch(/Person, Fine RBT fine@harbor.test, fine2@harbor.test \(555\) 010-2233 Staff Ready/)
  })

  it('refuses more than 2,000 rows beside the file field', async () => {
    const rows = Array.from({ length: 2001 }, (_, i) => `P${i},Many,,many${i}@harbor.test,,,,`).join('\n')
    const response = await upload(admin, HEADER + rows)
    expect(response.status).toBe(422)
    const html = await response.text()
    expect(html).toMatch(/id="csv-file-error">The file has 2,001 rows; import at most 2,000 at a time\./)
  })

  it('refuses a file over 2 MB beside the file field, whatever its size, never with a 500', async () => {
    const line = 'Pat,Long,,pat@harbor.test,,,,\n'
    const justOver = HEADER + line.repeat(Math.ceil((2 * 1024 * 1024) / line.length) + 10)
    const over = await upload(admin, justOver)
    expect(over.status).toBe(422)
    expect(await over.text()).toMatch(/id="csv-file-error">The file is larger than 2 MB\./)
    const far = await upload(admin, HEADER + line.repeat(150_000))
    expect(far.status).toBe(413)
    expect(await far.text()).toMatch(/id="csv-file-error">The file is larger than 2 MB\./)
  })

  it('says what is wrong with a file that is not a staff CSV', async () => {
    expect(text(await (await upload(admin, 'Name,Mail\nA,b@c.d\n')).text())).toContain(
      'it has no “First Name”, “Last Name”, “Email” column',
    )
    expect(text(await (await upload(admin, new Uint8Array([0x46, 0xff, 0xfe, 0x00]))).text())).toContain('The file is not UTF-8 text')
    expect(text(await (await upload(admin, HEADER + 'A,"B,,c@d.ef,,,,\n')).text())).toContain('never closed')
    const empty = new FormData()
    empty.append('step', 'preview')
    const none = await admin.request('/staff/import', { method: 'POST', body: empty, headers: { Origin: 'http://localhost' } })
    expect(none.status).toBe(422)
    expect(await none.text()).toContain('Choose a CSV file.')
  })
})

describe('Import', () => {
  it('saves every valid row with one audit row, lists the skipped, and works from the Preview page without the file', async () => {
    const csv = HEADER + 'Ines,Moreau,BCBA,ines@harbor.test,ines@home.test,,,Admin\nNo,Email,,,,,,\r\nJon,Moreau,,jon@harbor.test,,,,\n'
    const preview = await (await upload(admin, csv)).text()
    const carried = /name="csvText" value="([^"]*)"/.exec(preview)![1]!.replace(/&#10;|\n/g, '\r\n')
    const form = new FormData()
    // What the browser posts back: the hidden field's text, its line breaks as CRLF.
    form.append('csvText', carried.replace(/&quot;/g, '"').replace(/&amp;/g, '&'))
    form.append('fileName', 'staff.csv')
    form.append('step', 'import')
    const response = await admin.request('/staff/import', { method: 'POST', body: form, headers: { Origin: 'http://localhost' } })
    expect(response.status).toBe(200)
    const page = text(await response.text())
    expect(page).toContain('2 staff members imported')
    expect(page).toContain('Skipped: 1 row.')
    expect(page).toContain('missing email')
    const [ines] = await staffOf(harborId, 'Moreau').then((rows) => rows.filter((r) => r.firstName === 'Ines'))
    expect(ines).toMatchObject({ credentials: 'BCBA', role: 'admin', isActive: true })
    const emails = await t.db.select().from(staffEmails).where(eq(staffEmails.staffId, ines!.id))
    expect(emails.map((e) => [e.email, e.isPrimary])).toEqual([
      ['ines@harbor.test', true],
      ['ines@home.test', false],
    ])
    const audits = await t.db.select().from(auditEvents).where(eq(auditEvents.event, 'staff.imported'))
    expect(audits).toHaveLength(1)
    expect(audits[0]!.detail).toBe('2 imported, 1 skipped, from staff.csv')
    // Importing the same file again: everyone is already on file.
    const again = text(await (await upload(admin, csv, { step: 'import' })).text())
    expect(again).toContain('Nothing imported')
    expect(again).toContain('already on file (jon@harbor.test)')
  })

  it('lands all valid rows or none: a failure in the middle of the write leaves nothing', async () => {
    await t.client.execute(
      `create trigger import_fails_midway before insert on staff_emails when new.email = 'boom150@harbor.test'
       begin select raise(abort, 'UNIQUE constraint failed: staff_emails.practice_id, staff_emails.email'); end`,
    )
    const rows = Array.from({ length: 300 }, (_, i) => `B${i},Boom,,boom${i}@harbor.test,,,,`).join('\n')
    const response = await upload(admin, HEADER + rows, { step: 'import' })
    await t.client.execute('drop trigger import_fails_midway')
    expect(response.status).toBe(422)
    expect(text(await response.text())).toContain('Nothing was imported')
    expect(await staffOf(harborId, 'Boom')).toHaveLength(0)
    const emails = await t.db
      .select()
      .from(staffEmails)
      .where(inArray(staffEmails.email, ['boom0@harbor.test', 'boom299@harbor.test']))
    expect(emails).toHaveLength(0)
    expect(await t.db.select().from(auditEvents).where(eq(auditEvents.event, 'staff.imported'))).toHaveLength(1)
  })

  it('keeps practices apart: an address of another practice is no duplicate, and nothing lands in it', async () => {
    const csv = HEADER + 'Olu,Bello,,olu@harbor.test,,,,\nSam,Ortiz,,sam@summit.test,,,,\n'
    const preview = text(await (await upload(otherAdmin, csv)).text())
    expect(preview).toContain('Will import 2 staff members.')
    expect(preview).not.toContain('already on file')
    expect((await upload(otherAdmin, csv, { step: 'import' })).status).toBe(200)
    expect(await staffOf(harborId, 'Ortiz')).toHaveLength(0)
    expect(await staffOf(harborId, 'Bello')).toHaveLength(1)
    const summitBello = await t.db.select().from(staff).where(eq(staff.lastName, 'Bello'))
    expect(summitBello).toHaveLength(2)
  })

  it('with "Send invitations after import", writes each invitation and its outbox row, and sends after answering', async () => {
    const csv = HEADER + 'Rae,Invitee,,rae@harbor.test,,,,\nLee,Invitee,,lee@harbor.test,lee2@harbor.test,,,\n'
    const response = await upload(admin, csv, { step: 'import', invite: 'on' })
    expect(response.status).toBe(200)
    const page = text(await response.text())
    expect(page).toContain('2 staff members imported')
    expect(page).toMatch(/Invitations/)
    const people = await staffOf(harborId, 'Invitee')
    const sent = await t.db
      .select()
      .from(invitations)
      .where(
        inArray(
          invitations.staffId,
          people.map((p) => p.id),
        ),
      )
    expect(sent.map((i) => i.email).sort()).toEqual(['lee@harbor.test', 'rae@harbor.test'])
    expect(new Set(sent.map((i) => i.batchId)).size).toBe(1)
    const outbox = await t.db
      .select()
      .from(emailOutbox)
      .where(inArray(emailOutbox.recipient, ['lee@harbor.test', 'rae@harbor.test']))
    expect(outbox).toHaveLength(2)
    await t.settle()
    expect(t.devMailbox!.list().filter((m) => ['lee@harbor.test', 'rae@harbor.test'].includes(m.to))).toHaveLength(2)
  })
})
