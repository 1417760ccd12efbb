// Reading an Import Staff file: the CSV text into rows, each checked exactly as the staff form
// checks a person (staffInputSchema), with its problems in an admin's words. Pure: no database.
// papaparse reads strings in any JavaScript runtime (workerd included); streams are not used.
import Papa from 'papaparse'
import type { z } from 'zod'
import type { AccessLevel } from '../staff/access-level'
import { staffInputSchema, type StaffInput } from '../staff/staff-input'

export const IMPORT_MAX_BYTES = 2 * 1024 * 1024
export const IMPORT_MAX_ROWS = 2000

/** The template's header row, and the column names a file may use (any case, spaces optional). */
export const IMPORT_COLUMNS = ['First Name', 'Last Name', 'Credentials', 'Email', 'Email 2', 'Email 3', 'Phone', 'Access Level'] as const
type Column = 'firstName' | 'lastName' | 'credentials' | 'email1' | 'email2' | 'email3' | 'phone' | 'accessLevel'

const COLUMN_OF: Record<string, Column> = {
  firstname: 'firstName',
  lastname: 'lastName',
  credentials: 'credentials',
  email: 'email1',
  email1: 'email1',
  email2: 'email2',
  email3: 'email3',
  phone: 'phone',
  accesslevel: 'accessLevel',
}
const REQUIRED: [Column, string][] = [
  ['firstName', 'First Name'],
  ['lastName', 'Last Name'],
  ['email1', 'Email'],
]
const EMAIL_LABEL = { email1: 'Email', email2: 'Email 2', email3: 'Email 3' } as const

/** One data row of the file as it will be saved, or with the problems that keep it out. */
export interface ImportRow {
  /** Its row in a spreadsheet: the header is row 1. */
  row: number
  firstName: string
  lastName: string
  credentials: string
  phone: string
  emails: string[]
  /** The level it will get, or what the file said when that is no level we know. */
  accessLevel: AccessLevel | string
  problems: string[]
  /** The checked values, when the row is valid as far as the file alone can tell. */
  input: StaffInput | null
}

export type ReadFileResult = { ok: true; rows: ImportRow[] } | { ok: false; error: string }

const headerKey = (name: string) =>
  name
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, '')

/** The file's bytes as text, refused unless it is UTF-8 (a leading byte-order mark is dropped). */
export function decodeCsv(bytes: ArrayBuffer): { ok: true; text: string } | { ok: false; error: string } {
  if (bytes.byteLength > IMPORT_MAX_BYTES) return { ok: false, error: tooLarge }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    if (text.includes('\u0000')) return { ok: false, error: notCsv }
    return { ok: true, text }
  } catch {
    return { ok: false, error: notUtf8 }
  }
}

export const tooLarge = 'The file is larger than 2 MB. Split it into smaller files and import each.'
const notUtf8 = 'The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” and choose it again.'
const notCsv = 'This does not look like a CSV file. In your spreadsheet, save it as “CSV UTF-8” and choose it again.'

/**
 * The rows of a CSV text. The delimiter is the header row's: a semicolon when it has more of
 * those than commas (spreadsheets in many locales save that way), else a comma. Line breaks are
 * read as \n whatever the file used, so a file and the same text posted back from Preview (which
 * browsers send with \r\n) give the same rows.
 */
export function readStaffCsv(raw: string): ReadFileResult {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
  if (new TextEncoder().encode(text).byteLength > IMPORT_MAX_BYTES) return { ok: false, error: tooLarge }
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'))
  const delimiter = count(firstLine, ';') > count(firstLine, ',') ? ';' : ','
  const parsed = Papa.parse<string[]>(text, { delimiter, newline: '\n', skipEmptyLines: false })
  const quoteError = parsed.errors.find((e) => e.type === 'Quotes')
  if (quoteError) return { ok: false, error: `Row ${(quoteError.row ?? 0) + 1} has a quote (") that is never closed.` }
  const records = parsed.data.map((cells, index) => ({ cells, row: index + 1 })).filter((r) => r.cells.some((cell) => cell.trim() !== ''))
  const [header, ...data] = records
  if (!header) return { ok: false, error: 'The file is empty. Start from the template: its first row names the columns.' }
  const columns = new Map<Column, number>()
  header.cells.forEach((name, index) => {
    const column = COLUMN_OF[headerKey(name)]
    if (column && !columns.has(column)) columns.set(column, index)
  })
  const missing = REQUIRED.filter(([column]) => !columns.has(column)).map(([, label]) => `“${label}”`)
  if (missing.length > 0)
    return {
      ok: false,
      error: `The first row must name the columns; it has no ${missing.join(', ')} column. Start from the template.`,
    }
  if (data.length > IMPORT_MAX_ROWS)
    return { ok: false, error: `The file has ${data.length.toLocaleString('en-US')} rows; import at most 2,000 at a time.` }
  const cellOf = (cells: string[], column: Column) => {
    const index = columns.get(column)
    return index === undefined ? '' : (cells[index] ?? '')
  }
  return { ok: true, rows: data.map(({ cells, row }) => readRow(row, (column) => cellOf(cells, column))) }
}

const count = (text: string, char: string) => text.split(char).length - 1

const ACCESS_LEVELS: Record<string, AccessLevel> = { '': 'staff', staff: 'staff', admin: 'admin' }

function readRow(row: number, cell: (column: Column) => string): ImportRow {
  const parsed = staffInputSchema.safeParse({
    firstName: cell('firstName'),
    lastName: cell('lastName'),
    credentials: cell('credentials'),
    phone: cell('phone'),
    email1: cell('email1'),
    email2: cell('email2'),
    email3: cell('email3'),
    active: 'on',
  })
  const given = cell('accessLevel').trim()
  const level = ACCESS_LEVELS[given.toLowerCase()]
  const problems = parsed.success ? [] : [...new Set(parsed.error.issues.map(problemOf))]
  if (!level) problems.push('unknown access level')
  const trimmed = (column: Column) => cell(column).normalize('NFC').trim()
  const values = parsed.success
    ? { ...parsed.data, emails: [parsed.data.email1, parsed.data.email2, parsed.data.email3].filter(Boolean) }
    : {
        firstName: trimmed('firstName'),
        lastName: trimmed('lastName'),
        credentials: trimmed('credentials'),
        phone: trimmed('phone'),
        emails: (['email1', 'email2', 'email3'] as const).map((c) => trimmed(c).toLowerCase()).filter(Boolean),
      }
  return {
    row,
    firstName: values.firstName,
    lastName: values.lastName,
    credentials: values.credentials,
    phone: values.phone,
    emails: values.emails,
    accessLevel: level ?? given,
    problems,
    input: parsed.success && level ? parsed.data : null,
  }
}

/** A schema issue in the words of the Preview list. */
function problemOf(issue: z.core.$ZodIssue): string {
  const field = String(issue.path[0] ?? '')
  const emailColumn = EMAIL_LABEL[field as keyof typeof EMAIL_LABEL]
  if (field === 'firstName' && issue.code === 'too_small') return 'missing first name'
  if (field === 'lastName' && issue.code === 'too_small') return 'missing last name'
  if (emailColumn && issue.code === 'custom')
    return issue.message.startsWith('Enter at least one') ? 'missing email' : `same address twice in the row (${emailColumn})`
  if (emailColumn && issue.code !== 'too_big') return `invalid email (${emailColumn})`
  if (field === 'phone' && issue.code === 'custom') return 'invalid phone'
  return issue.message
}
