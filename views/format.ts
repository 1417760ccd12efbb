/** Dates people see are in their practice's time zone. */
export function formatDateTime(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date)
}

export function formatDate(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone }).format(date)
}

export const fullName = (person: { firstName: string; lastName: string }) => `${person.firstName} ${person.lastName}`

/** A link that ends at midnight lasts "through" the day before: say that day, not the next one. */
export function lastDay(endsAt: Date, timeZone: string): string {
  return `the end of ${formatDate(new Date(endsAt.getTime() - 1), timeZone)}`
}
