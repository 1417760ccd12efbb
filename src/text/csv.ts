// Writing CSV for downloads (Export CSV). Every cell is quoted; a cell a spreadsheet would run
// as a formula is defused with a leading apostrophe, as OWASP's CSV injection guidance says.

const FORMULA_START = /^[=+\-@\t\r]/

export function csvCell(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value)
  const safe = FORMULA_START.test(text) ? `'${text}` : text
  return `"${safe.replace(/"/g, '""')}"`
}

/** One CSV line, CRLF-terminated (RFC 4180). */
export const csvLine = (cells: (string | number | null | undefined)[]) => `${cells.map(csvCell).join(',')}\r\n`
