import { plural } from '../../locale'

export const minutes = (n: number) => plural('es', n, { one: '{n} minuto', other: '{n} minutos' })

export const wait = (ms: number) => {
  const seconds = Math.ceil(ms / 1000)
  if (seconds < 60) return plural('es', seconds, { one: '{n} segundo', other: '{n} segundos' })
  return minutes(Math.ceil(seconds / 60))
}
