import { z } from 'zod'

/**
 * The IANA time zones a practice may choose: what this runtime's Intl knows, plus UTC (which
 * Intl accepts but does not list). Sorted, for the searchable list on Practice Settings.
 */
export const TIME_ZONES: readonly string[] = [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].sort()

const byLowerCase = new Map(TIME_ZONES.map((zone) => [zone.toLowerCase(), zone]))

/** The listed zone a typed name stands for, whatever its letter case; undefined when unknown. */
export const canonicalTimeZone = (value: string): string | undefined => byLowerCase.get(value.trim().toLowerCase())

/**
 * A time zone from the list, given in its listed spelling. `alsoAllowed` lets a practice keep
 * a zone it already has (one set from DEFAULT_TIME_ZONE may be an alias the list lacks).
 */
export const timeZoneSchema = (alsoAllowed?: string) =>
  z
    .string()
    .default('')
    .transform((value) => value.trim())
    .pipe(z.string().min(1, 'Choose a time zone.'))
    .transform((value, ctx) => {
      if (alsoAllowed !== undefined && value === alsoAllowed) return value
      const zone = canonicalTimeZone(value)
      if (zone) return zone
      ctx.addIssue({ code: 'custom', message: 'Use an IANA time zone name from the list, such as America/Chicago.' })
      return z.NEVER
    })
