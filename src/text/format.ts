// How dates and names read, for pages, emails and audit details alike. It sits below the views
// and the domain code both: the one module of src/ whose values views may import.
import { INTL_LOCALE, type Locale } from './locale'

const STYLES = {
  dateTime: ['en-US', { dateStyle: 'medium', timeStyle: 'short' }],
  date: ['en-US', { dateStyle: 'medium' }],
  // en-CA formats as YYYY-MM-DD.
  isoDay: ['en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }],
  wallClock: [
    'en-US',
    { hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' },
  ],
} satisfies Record<string, [string, Intl.DateTimeFormatOptions]>

// Building an Intl.DateTimeFormat is costly in time and memory (docs/benchmarks.md), and there
// are only so many time zones: keep one formatter per style and zone.
const formatters = new Map<string, Intl.DateTimeFormat>()

// Styles people read follow their language; the machine-readable ones keep their fixed locale.
const READABLE = new Set<keyof typeof STYLES>(['dateTime', 'date'])

export function formatterFor(style: keyof typeof STYLES, timeZone: string, language: Locale = 'en'): Intl.DateTimeFormat {
  const key = `${style} ${timeZone} ${language}`
  let formatter = formatters.get(key)
  if (!formatter) {
    const [fixed, options] = STYLES[style]
    const locale = READABLE.has(style) ? INTL_LOCALE[language] : fixed
    formatter = new Intl.DateTimeFormat(locale, { ...options, timeZone })
    formatters.set(key, formatter)
  }
  return formatter
}

/** Dates people see are in their practice's time zone. */
export function formatDateTime(date: Date, timeZone: string, language: Locale = 'en'): string {
  return formatterFor('dateTime', timeZone, language).format(date)
}

export function formatDate(date: Date, timeZone: string, language: Locale = 'en'): string {
  return formatterFor('date', timeZone, language).format(date)
}

/** A link that ends at midnight lasts "through" the day before: say that day, not the next one. */
export function lastDay(endsAt: Date, timeZone: string): string {
  return `the end of ${formatDate(new Date(endsAt.getTime() - 1), timeZone)}`
}

export const fullName = (person: { firstName: string; lastName: string }) => `${person.firstName} ${person.lastName}`

/**
 * A date an outbox row keeps as an ISO instant with the zone to show it in. Rows written before
 * that kept the words themselves, with no zone: those read as they are.
 */
export function storedDate(value: string, timeZone: string | undefined, format: (date: Date, timeZone: string) => string): string {
  return timeZone ? format(new Date(value), timeZone) : value
}
