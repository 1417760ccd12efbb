import type { Clock } from '../../src/clock'

/** A clock the test moves by hand: expiry is tested by moving time, never by waiting. */
export class TestClock implements Clock {
  constructor(private current = new Date('2026-11-26T15:00:00Z')) {}
  now() {
    return new Date(this.current)
  }
  set(date: Date | string) {
    this.current = new Date(date)
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms)
  }
}

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR
