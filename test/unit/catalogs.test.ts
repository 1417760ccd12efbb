import { describe, expect, expectTypeOf, it } from 'vitest'
import { deviceOf, describeDevice } from '../../src/auth/own-account'
import { renderEmail } from '../../src/email/render'
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

describe('device names', () => {
  it('come from the User-Agent as raw parts, and read in each language', () => {
    const chrome = deviceOf('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36')
    expect(chrome).toEqual({ browser: 'Chrome', system: 'Windows' })
    expect(en.portal.deviceName(chrome)).toBe('Chrome on Windows')
    expect(es.portal.deviceName(chrome)).toBe('Chrome en Windows')
    const unknown = deviceOf('curl/8.0')
    expect(unknown).toEqual({ browser: null, system: null })
    expect(en.portal.deviceName(unknown)).toBe('A browser on an unknown system')
    expect(es.portal.deviceName(unknown)).toBe('Dispositivo desconocido')
    expect(es.portal.deviceName({ browser: 'Safari', system: null })).toBe('Safari en un sistema desconocido')
    // The audit trail stays English, as the admin pages that show it.
    expect(describeDevice('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1')).toBe('Safari on iOS')
  })
})

describe('two-step emails', () => {
  const base = { practiceName: 'Harbor', firstName: 'Ana', at: '2026-05-01T15:00:00Z', timeZone: 'UTC' }
  it('name the factor in the person’s language, and read a row from before in its own words', () => {
    const spanish = renderEmail('two-step-on', { ...base, language: 'es', factor: { kind: 'passkey', name: 'Teléfono' } }, '')
    expect(spanish.subject).toBe(
      'Inicio de sesión en dos pasos: se agregó la llave de acceso “Teléfono” a su cuenta del Staff Portal de Harbor',
    )
    const old = renderEmail('two-step-off', { ...base, factor: 'an authenticator app', stillOn: false }, '')
    expect(old.subject).toBe('Two-step sign-in was turned off for your Harbor Staff Portal account')
    expect(old.text).toContain('an authenticator app was removed')
  })

  it('count recovery codes left with plural forms', () => {
    const one = renderEmail('recovery-code-used', { ...base, language: 'es', remaining: 1 }, '')
    expect(one.text).toContain('Le queda 1 código de recuperación.')
    expect(renderEmail('recovery-code-used', { ...base, remaining: 1 }, '').text).toContain('You have 1 recovery code left.')
    expect(renderEmail('recovery-code-used', { ...base, remaining: 3 }, '').text).toContain('You have 3 recovery codes left.')
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
