// Which language a page or an email is in. Staff pick theirs on their profile; signed-out
// pages follow the browser (Accept-Language) or the "Español" / "English" link.

export const LOCALES = ['en', 'es'] as const
export type Locale = (typeof LOCALES)[number]

/** How each language names itself, in the Language select and the switch link. */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', es: 'Español' }

/** The BCP 47 tag Intl formats with: US English, and Spanish as written across Latin America. */
export const INTL_LOCALE: Record<Locale, string> = { en: 'en-US', es: 'es-419' }

export const isLocale = (value: unknown): value is Locale => value === 'en' || value === 'es'

/**
 * The best of our languages for an Accept-Language header ("es-MX,es;q=0.9,en;q=0.8"), by
 * quality then order; English when none matches.
 */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  if (!header) return 'en'
  const ranked = header
    .slice(0, 500)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean)
      return { language: tag.trim().toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q), index }
    })
    .filter((entry) => entry.q > 0 && !Number.isNaN(entry.q))
    .sort((a, b) => b.q - a.q || a.index - b.index)
  return ranked.map((entry) => entry.language).find(isLocale) ?? 'en'
}

const pluralRules = new Map<Locale, Intl.PluralRules>()

/** The plural category of a count in a language ("one", "other", …), by Intl.PluralRules. */
export function pluralOf(locale: Locale, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(locale)
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(INTL_LOCALE[locale])))
  return rules.select(count)
}

/** Forms for the categories our languages use; "other" is the fallback for any category missing. */
export type PluralForms = { one: string; other: string } & Partial<Record<Intl.LDMLPluralRule, string>>

// Made once per language: building a NumberFormat is far dearer than using one, and the
// session warning on every signed-in page asks for a count.
const numberFormats = new Map<Locale, Intl.NumberFormat>()

/** Picks the form for a count and puts the count in place of "{n}". */
export function plural(locale: Locale, count: number, forms: PluralForms): string {
  const form = forms[pluralOf(locale, count)] ?? forms.other
  let format = numberFormats.get(locale)
  if (!format) numberFormats.set(locale, (format = new Intl.NumberFormat(INTL_LOCALE[locale])))
  return form.replace('{n}', format.format(count))
}
