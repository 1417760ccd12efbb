import type { Deps } from '../deps'
import { csvLine } from '../text/csv'
import { dateInZone } from '../text/calendar'
import { activityQuery, toActivityRow, type ActivityFilter, type ActivityQuery, type ActivityRow } from './activity'

/** Rows read per query: a practice's whole history is paged through, never read at once. */
export const EXPORT_CHUNK = 500

/** The export's columns: what the Activity page shows, with the time both in UTC and the practice's zone. */
export const activityCsvHeader = (timeZone: string) => ['Time (UTC)', `Time (${timeZone})`, 'Event', 'Details', 'Who', 'By', 'From']

/** "2026-11-30 08:15:03 EST": sortable as text, with the zone's abbreviation (or offset) that applied then. */
function wallClock(timeZone: string) {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  })
  return (date: Date) => {
    const part = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]))
    return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second} ${part.timeZoneName}`
  }
}

export function activityCsvLine(row: ActivityRow, inZone: (date: Date) => string) {
  return csvLine([
    row.createdAt.toISOString(),
    inZone(row.createdAt),
    row.label,
    row.detail,
    row.targetName ?? '',
    row.actorName ?? '',
    row.ip,
  ])
}

/** The filters of the Activity page as the export applies them (one person chosen by id wins over typed words). */
export function exportFilter(query: Omit<ActivityQuery, 'page'>): ActivityFilter {
  const person = query.staff ? '' : query.person
  return { staffId: query.staff || undefined, person: person || undefined, event: query.event || undefined }
}

/** The download's name: the practice's today. */
export const activityCsvName = (now: Date, timeZone: string) => `activity-${dateInZone(now, timeZone)}.csv`

/**
 * The practice's activity under the filters, newest first, as CSV text in chunks: a header (with
 * a byte-order mark so spreadsheets read UTF-8), then EXPORT_CHUNK rows per query, each query
 * starting after the last row of the one before (keyset), so a long history costs the same per
 * row at its end as at its start. Every cell is formula-safe (src/text/csv.ts).
 */
export function exportActivityCsv(
  deps: Pick<Deps, 'db'>,
  input: { practiceId: string; timeZone: string; filter: ActivityFilter },
): ReadableStream<Uint8Array> {
  const { practiceId, timeZone, filter } = input
  const encoder = new TextEncoder()
  const inZone = wallClock(timeZone)
  let before: ActivityFilter['before']
  let started = false
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true
        controller.enqueue(encoder.encode('\uFEFF' + csvLine(activityCsvHeader(timeZone))))
        return
      }
      const raw = await activityQuery(deps.db, practiceId, { ...filter, before }, EXPORT_CHUNK)
      const rows = raw.map(toActivityRow)
      if (rows.length > 0) controller.enqueue(encoder.encode(rows.map((row) => activityCsvLine(row, inZone)).join('')))
      const last = rows.at(-1)
      if (!last || rows.length < EXPORT_CHUNK) controller.close()
      else before = { createdAt: last.createdAt, id: last.id }
    },
  })
}
