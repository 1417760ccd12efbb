import { and, eq, or, sql, type Placeholder, type SQL } from 'drizzle-orm'
import { staff, staffEmails } from '../../db/schema'

/**
 * The smallest string above every string that starts with `prefix` (null: none is needed),
 * by code point, which is how SQLite orders UTF-8 text. Under NOCASE both sides of a
 * comparison are folded A-Z to a-z, so a bound in A-Z would land after a-z: '[' is the next
 * character folding leaves alone.
 */
export function prefixUpperBound(prefix: string, nocase: boolean): string | null {
  const points = [...prefix].map((ch) => ch.codePointAt(0)!)
  while (points.length > 0) {
    let next = points.pop()! + 1
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000
    if (nocase && next >= 0x41 && next <= 0x5a) next = 0x5b
    if (next <= 0x10ffff) return String.fromCodePoint(...points, next)
  }
  return null
}

/** `column` starts with `prefix`, as a range an index on the column can serve. */
function startsWith(column: SQL, prefix: string, nocase: boolean): SQL {
  const upper = prefixUpperBound(prefix, nocase)
  return upper === null ? sql`${column} >= ${prefix}` : sql`(${column} >= ${prefix} and ${column} < ${upper})`
}

/**
 * The practice's staff whose first name, last name, "first last", credentials or any email address starts
 * with q, case-insensitively ('%' and '_' are plain characters). Each branch is an index range
 * (LIKE could not use the NOCASE name indexes, and an OR with a correlated EXISTS can use no
 * index at all) and carries the practice itself, so SQLite answers with a MULTI-INDEX OR
 * instead of reading every staff row of the practice: test/search-plan.test.ts checks it.
 */
export function matchesSearch(practiceId: string | Placeholder, q: string): SQL {
  const prefix = q.toLowerCase()
  const first = sql`${staff.firstName} collate nocase`
  const last = sql`${staff.lastName} collate nocase`
  const inPractice = eq(staff.practiceId, practiceId)
  const credentials = sql`${staff.credentials} collate nocase`
  const branches: SQL[] = [
    and(inPractice, startsWith(first, prefix, true))!,
    and(inPractice, startsWith(last, prefix, true))!,
    and(inPractice, startsWith(credentials, prefix, true))!,
  ]
  // "first last": the first name is all of q before one of its spaces, the last name starts with the rest.
  for (let space = prefix.indexOf(' '); space > 0; space = prefix.indexOf(' ', space + 1)) {
    const rest = prefix.slice(space + 1)
    branches.push(and(inPractice, sql`${first} = ${prefix.slice(0, space)}`, rest ? startsWith(last, rest, true) : undefined)!)
  }
  const email = startsWith(sql`${staffEmails.email}`, prefix, false)
  branches.push(
    sql`${staff.id} in (select ${staffEmails.staffId} from ${staffEmails} where ${staffEmails.practiceId} = ${practiceId} and ${email})`,
  )
  return or(...branches)!
}
