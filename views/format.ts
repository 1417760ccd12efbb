// Building an Intl.DateTimeFormat costs ~100 µs and ~30 KB of ICU memory that is only freed
// when V8 next collects (a Staff Portal tab built dozens a request: 4 ms, and the Node host
// grew ~400 KB a request). There are only so many time zones: keep one formatter per zone.
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>()
const dateFormats = new Map<string, Intl.DateTimeFormat>()

function formatterFor(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, options: Intl.DateTimeFormatOptions) {
  let formatter = cache.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { ...options, timeZone })
    cache.set(timeZone, formatter)
  }
  return formatter
}

/** Dates people see are in their practice's time zone. */
export function formatDateTime(date: Date, timeZone: string): string {
  return formatterFor(dateTimeFormats, timeZone, { dateStyle: 'medium', timeStyle: 'short' }).format(date)
}

export function formatDate(date: Date, timeZone: string): string {
  return formatterFor(dateFormats, timeZone, { dateStyle: 'medium' }).format(date)
}

export const fullName = (person: { firstName: string; lastName: string }) => `${person.firstName} ${person.lastName}`

/** A link that ends at midnight lasts "through" the day before: say that day, not the next one. */
export function lastDay(endsAt: Date, timeZone: string): string {
  return `the end of ${formatDate(new Date(endsAt.getTime() - 1), timeZone)}`
}
