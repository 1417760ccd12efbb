// Calendar days in a practice's time zone, with Intl only (no date library in the bundle).
import { formatterFor } from './format'

export const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** The calendar date ("YYYY-MM-DD") that an instant falls on in a time zone. */
export function dateInZone(instant: Date, timeZone: string): string {
  return formatterFor('isoDay', timeZone).format(instant)
}

export function addDays(date: string, days: number): string {
  const [, y, m, d] = ISO_DATE.exec(date)!
  return new Date(Date.UTC(Number(y), Number(m) - 1, Number(d) + days)).toISOString().slice(0, 10)
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = formatterFor('wallClock', timeZone).formatToParts(new Date(instant))
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
