// The catalogs of the staff-facing words, one per language. A route picks the catalog for the
// person (or the browser, when signed out) and passes it to the view: views never choose.
import type { Locale } from '../locale'
import { en } from './en'
import { es } from './es'

/** Every language's catalog has exactly the English catalog's keys and shapes. */
export type Messages = typeof en

const catalogs: Record<Locale, Messages> = { en, es }

export const messagesFor = (locale: Locale): Messages => catalogs[locale]

type ErrorKey = keyof Messages['errors']
const ERROR_PREFIX = 'error:'

/**
 * The message an input schema (zod) gives for an issue: a key of the errors catalog, turned
 * into words in the person's language when the form comes back (fieldErrors in src/http/form.ts).
 */
export const errorKey = (key: ErrorKey): string => `${ERROR_PREFIX}${key}`

/** An issue's words: a catalog key in the language given, any other text as it is. */
export function errorText(message: string, messages: Messages = en): string {
  if (!message.startsWith(ERROR_PREFIX)) return message
  const key = message.slice(ERROR_PREFIX.length)
  return key in messages.errors ? messages.errors[key as ErrorKey] : message
}
