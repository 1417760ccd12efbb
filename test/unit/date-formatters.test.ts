// Building an Intl.DateTimeFormat costs ~100 µs and ~30 KB of native memory that V8 frees late:
// built per formatted date, a Staff Portal tab took 4 ms more and the Node host grew ~400 KB a
// request. Formatters are kept per time zone; this holds them to that.
import { afterEach, describe, expect, it } from 'vitest'
import { dateInZone, endOfDayInZone } from '../../src/text/calendar'
import { formatDate, formatDateTime, lastDay } from '../../src/text/format'

const RealDateTimeFormat = Intl.DateTimeFormat
afterEach(() => {
  Intl.DateTimeFormat = RealDateTimeFormat
})

describe('date formatting', () => {
  it('builds one formatter per time zone, not one per date', () => {
    let built = 0
    Intl.DateTimeFormat = new Proxy(RealDateTimeFormat, {
      construct: (target, args) => {
        built++
        return Reflect.construct(target, args)
      },
      apply: (target, self, args) => {
        built++
        return Reflect.apply(target, self, args)
      },
    })
    const zones = ['America/Chicago', 'Europe/London', 'Asia/Tokyo']
    for (let i = 0; i < 50; i++)
      for (const zone of zones) {
        const instant = new Date(Date.UTC(2026, 10, 1 + (i % 28), 15))
        formatDateTime(instant, zone)
        formatDate(instant, zone)
        lastDay(instant, zone)
        endOfDayInZone(dateInZone(instant, zone), zone)
      }
    // Four kinds of formatter, three zones.
    expect(built).toBeGreaterThan(0)
    expect(built).toBeLessThanOrEqual(4 * zones.length)
  })

  it('still formats in each zone', () => {
    const instant = new Date('2026-11-27T03:30:00Z')
    expect(formatDateTime(instant, 'America/Chicago')).toBe('Nov 26, 2026, 9:30 PM')
    expect(formatDateTime(instant, 'Asia/Tokyo')).toBe('Nov 27, 2026, 12:30 PM')
    expect(formatDate(instant, 'America/Chicago')).toBe('Nov 26, 2026')
    expect(dateInZone(instant, 'America/Chicago')).toBe('2026-11-26')
    expect(endOfDayInZone('2026-11-26', 'America/Chicago').toISOString()).toBe('2026-11-27T06:00:00.000Z')
  })
})
