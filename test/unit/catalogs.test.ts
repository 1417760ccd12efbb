import { describe, expect, expectTypeOf, it } from 'vitest'
import { safeReturnPath } from '../../src/http/return-path'
import { localeFromAcceptLanguage, plural, pluralOf } from '../../src/text/locale'
import { en } from '../../src/text/messages/en'
import { es } from '../../src/text/messages/es'
import { messagesFor, type Messages } from '../../src/text/messages'

/** Every key path of a catalog, with what sits there: text, or a function of so many arguments. */
function shapeOf(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return [`${path}: text`]
  if (typeof value === 'function') return [`${path}: function/${value.length}`]
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => shapeOf(inner, path ? `${path}.${key}` : key))
}

describe('catalogs', () => {
  it('type every catalog from the English one (a missing or extra key fails tsc)', () => {
    expectTypeOf(es).toEqualTypeOf<Messages>()
    // @ts-expect-error a catalog without one of the keys is not a catalog
    const missing: Messages = { ...es, login: { ...es.login, submit: undefined } }
    expect(missing).toBeDefined()
  })

  it('have every key of the English catalog, with the same shape, and no empty text', () => {
    expect(shapeOf(es)).toEqual(shapeOf(en))
    for (const catalog of [en, es]) {
      const texts: string[] = []
      const collect = (value: unknown) =>
        typeof value === 'string' ? texts.push(value) : typeof value === 'object' && value && Object.values(value).forEach(collect)
      collect(catalog)
      expect(texts.filter((text) => text.trim() === '')).toEqual([])
    }
  })

  it('keep the UI names the design pins in English, and give Spanish its own', () => {
    expect(en.login.submit).toBe('Log In')
    expect(en.login.forgotPassword).toBe('Forgot Password')
    expect(en.invite.submit).toBe('Create Account')
    expect(en.password.show).toBe('Show Password')
    expect(en.layout.sessionWarningTitle).toBe('Still there?')
    expect(en.layout.staySignedIn).toBe('Stay Signed In')
    expect(en.layout.switchLanguage).toBe('Español')
    expect(es.layout.switchLanguage).toBe('English')
    expect(messagesFor('es').login.submit).toBe('Iniciar sesión')
  })
})

describe('plurals', () => {
  it('pick the form by Intl.PluralRules in each language', () => {
    const minutes = { one: '{n} minute', other: '{n} minutes' }
    expect(plural('en', 1, minutes)).toBe('1 minute')
    expect(plural('en', 2, minutes)).toBe('2 minutes')
    expect(plural('en', 0, minutes)).toBe('0 minutes')
    expect(pluralOf('es', 1)).toBe('one')
    expect(pluralOf('es', 0)).toBe('other')
    expect(pluralOf('es', 1_000_000)).toBe('many')
    // A category a catalog does not spell falls back to "other".
    expect(plural('es', 1_000_000, { one: '{n} minuto', other: '{n} minutos' })).toBe('1,000,000 minutos')
  })

  it('reach the catalogs: one minute, two minutes, in both languages', () => {
    expect(en.layout.sessionWarningBody(1)).toContain('in 1 minute without')
    expect(en.layout.sessionWarningBody(2)).toContain('in 2 minutes without')
    expect(es.layout.sessionWarningBody(1)).toContain('en 1 minuto si')
    expect(es.layout.sessionWarningBody(2)).toContain('en 2 minutos si')
    expect(es.password.tooShort(15, 1)).toBe('Use al menos 15 caracteres (esta tiene 1 carácter).')
    expect(es.password.tooShort(15, 11)).toBe('Use al menos 15 caracteres (esta tiene 11 caracteres).')
    expect(es.login.throttled(1000)).toBe('Demasiados intentos fallidos. Vuelva a intentarlo en 1 segundo.')
    expect(en.login.throttled(90_000)).toBe('Too many failed attempts. Try again in 2 minutes.')
  })
})

describe('Accept-Language', () => {
  it('picks our best language by quality, then order; English otherwise', () => {
    expect(localeFromAcceptLanguage(undefined)).toBe('en')
    expect(localeFromAcceptLanguage('es-MX,es;q=0.9,en;q=0.8')).toBe('es')
    expect(localeFromAcceptLanguage('en-US,en;q=0.9,es;q=0.8')).toBe('en')
    expect(localeFromAcceptLanguage('fr-FR,es;q=0.5')).toBe('es')
    expect(localeFromAcceptLanguage('fr-FR,de;q=0.5')).toBe('en')
    expect(localeFromAcceptLanguage('en;q=0.2, es-419;q=0.7')).toBe('es')
    expect(localeFromAcceptLanguage('es;q=0')).toBe('en')
    expect(localeFromAcceptLanguage('*')).toBe('en')
  })
})

describe('the page to return to after logging in', () => {
  it('keeps a same-site path and its query', () => {
    expect(safeReturnPath('/staff')).toBe('/staff')
    expect(safeReturnPath('/staff?q=ana&page=2')).toBe('/staff?q=ana&page=2')
    expect(safeReturnPath('/portal/password')).toBe('/portal/password')
  })

  it('refuses anything a browser could read as another site, or that leads nowhere useful', () => {
    for (const hostile of [
      '//evil.test',
      '//evil.test/staff',
      '/\\evil.test',
      '\\\\evil.test',
      'https://evil.test',
      'http:/evil.test',
      'javascript:alert(1)',
      '%2F%2Fevil.test',
      '/%2F%2Fevil.test',
      '/%5Cevil.test',
      '/%252F%252Fevil.test',
      '/\t/evil.test',
      '/ /evil.test',
      '/\n/evil.test',
      'evil.test',
      '',
      '/login',
      '/login?next=/staff',
      '/logout',
      `/${'a'.repeat(600)}`,
      '/staff\u0000',
      '/ßtaff',
    ])
      expect(safeReturnPath(hostile), hostile).toBeUndefined()
    expect(safeReturnPath(undefined)).toBeUndefined()
  })
})
