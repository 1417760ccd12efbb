// Calendar days in a practice's time zone, with Intl only (no date library in the bundle).

const DAY_MS = 24 * 60 * 60 * 1000
export const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

// One formatter per time zone: building one costs ~100 µs and ~30 KB of ICU memory (see views/format.ts).
const dayFormats = new Map<string, Intl.DateTimeFormat>()
const wallClockFormats = new Map<string, Intl.DateTimeFormat>()

function cached(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, make: () => Intl.DateTimeFormat) {
  let formatter = cache.get(timeZone)
  if (!formatter) {
    formatter = make()
    cache.set(timeZone, formatter)
  }
  return formatter
}

/** The calendar date ("YYYY-MM-DD") that an instant falls on in a time zone. */
export function dateInZone(instant: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return cached(
    dayFormats,
    timeZone,
    () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(instant)
}

export function addDays(date: string, days: number): string {
  const [, y, m, d] = ISO_DATE.exec(date)!
  return new Date(Date.UTC(Number(y), Number(m) - 1, Number(d) + days)).toISOString().slice(0, 10)
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const wallClock = cached(
    wallClockFormats,
    timeZone,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      }),
  )
  const parts = wallClock.formatToParts(new Date(instant))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return wall - Math.floor(instant / 1000) * 1000
}

/** The instant a calendar day ends in a time zone: midnight at the start of the next day there. */
export function endOfDayInZone(date: string, timeZone: string): Date {
  const [, y, m, d] = ISO_DATE.exec(date)!
  const wallMidnight = Date.UTC(Number(y), Number(m) - 1, Number(d) + 1)
  // Two passes settle the offset across a daylight-saving change.
  let instant = wallMidnight - offsetAt(wallMidnight, timeZone)
  instant = wallMidnight - offsetAt(instant, timeZone)
  return new Date(instant)
}

export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS)
