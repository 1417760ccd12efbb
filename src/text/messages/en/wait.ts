import { plural } from '../../locale'

export const wait = (ms: number) => {
  const seconds = Math.ceil(ms / 1000)
  if (seconds < 60) return plural('en', seconds, { one: '{n} second', other: '{n} seconds' })
  return plural('en', Math.ceil(seconds / 60), { one: '{n} minute', other: '{n} minutes' })
}
