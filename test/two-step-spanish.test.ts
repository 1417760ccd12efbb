import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { practices } from '../db/schema'
import { en } from '../src/text/messages/en'
import { es } from '../src/text/messages/es'
import { generateTotpCode } from '../src/two-step/totp'
import type { Agent } from './support/agent'
import { addPractice, createTestApp, HARBOR, logIn, type TestApp } from './support/app'
import { SoftAuthenticator } from './support/soft-authenticator'
import { addStaff, linkIn, pathOf, sendInvitation, STRONG_PASSWORD } from './support/staff'

let t: TestApp
let admin: Agent

beforeAll(async () => {
  t = await createTestApp()
  await addPractice(t, HARBOR.name, HARBOR.adminEmail)
  admin = await logIn(t, HARBOR.adminEmail)
})
afterAll(() => t.cleanup())

const EMAIL = 'sofia@harbor.test'
const PAGE = '/account/two-step'
// A browser set to English: the person's profile language must win once they are known.
const ENGLISH_BROWSER = { 'Accept-Language': 'en-US,en;q=0.9' }
const WINDOWS_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36'

// Notices go out after the response: the newest mail is read once the deferred work is done.
const lastMail = async () => {
  await t.settle()
  return t.devMailbox!.list()[0]!
}
const langOf = (html: string) => /<html lang="([a-z]+)">/.exec(html)?.[1]
/** What a person reads and what a screen reader says: the text, and the labels in attributes. */
const readable = (html: string) =>
  [
    html.replace(/<svg[\s\S]*?<\/svg>/g, ' ').replace(/<[^>]+>/g, ' '),
    ...[...html.matchAll(/(?:aria-label|data-say-[a-z]+|data-label-[a-z]+)="([^"]*)"/g)].map((m) => m[1]),
  ]
    .join(' ')
    .replace(/\s+/g, ' ')
const codesIn = (html: string) => [...html.matchAll(/<code>([a-z2-7]{5}-[a-z2-7]{5})<\/code>/g)].map((m) => m[1]!)

/** Whether the text says these words as words ("Cancel" is not said by "Cancelar"). */
const saysWord = (text: string, words: string) =>
  new RegExp(`(?<![\\p{L}\\d])${words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\d])`, 'u').test(text)

/** Every English word of these catalog sections that Spanish says differently: none may show on a Spanish page. */
function englishLeaks(html: string, sections: (keyof typeof en)[]): string[] {
  const seen = readable(html)
  const leaks: string[] = []
  const walk = (english: unknown, spanish: unknown) => {
    if (typeof english === 'string') {
      // Short words ("On") could be part of anything: the pinned names are all longer.
      if (english !== spanish && english.length > 3 && saysWord(seen, english)) leaks.push(english)
    } else if (english && typeof english === 'object')
      for (const key of Object.keys(english)) walk((english as never)[key], (spanish as never)[key])
  }
  for (const section of sections) walk(en[section], es[section])
  return leaks
}

/** The names DESIGN.md pins for these pages, in English: a Spanish page shows none of them. */
const PINNED = [
  'Two-Step Sign-In',
  'Set Up Two-Step Sign-In',
  'Set Up Authenticator App',
  'Setup Key',
  'Authentication Code',
  'Turn On',
  'Add Passkey',
  'Passkey Name',
  'Recovery Codes',
  'New Recovery Codes',
  'Remove',
  'Verify',
  'Use a Passkey',
  'Use a Recovery Code',
  'Recovery Code',
  'Log In with a Passkey',
  'Show Password',
  'Hide Password',
]
const pinnedLeaks = (html: string) => PINNED.filter((name) => saysWord(readable(html), name))

function setupKeyIn(html: string): Uint8Array {
  const match = /<input id="field-setupKey" name="setupKey" type="text" value="([A-Z2-7 ]+)"[^>]*readonly/.exec(html)
  if (!match) throw new Error('no read-only Setup Key field')
  return decodeBase32IgnorePadding(match[1]!.replace(/ /g, ''))
}

describe('Two-Step Sign-In for a staff member whose Language is Español', () => {
  let staffId: string
  let person: Agent
  let secret: Uint8Array
  let recoveryCodes: string[]

  beforeAll(async () => {
    staffId = await addStaff(admin, { firstName: 'Sofía', lastName: 'Castro', email1: EMAIL, language: 'es' })
    await sendInvitation(admin, staffId, EMAIL)
    const created = await t
      .agent()
      .post(pathOf(linkIn((await lastMail()).text)), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })
    expect(created.status).toBe(303)
    person = t.agent()
    const login = await person.post(
      '/login',
      { email: EMAIL, password: STRONG_PASSWORD },
      { ...ENGLISH_BROWSER, 'User-Agent': WINDOWS_CHROME },
    )
    expect(login.status).toBe(303)
  })

  it('links to it from the portal home in Spanish, and names the device in Spanish', async () => {
    const home = await (await person.get('/portal', ENGLISH_BROWSER)).text()
    expect(langOf(home)).toBe('es')
    expect(home).toMatch(/<a class="button" href="\/account\/two-step">\s*Inicio de sesión en dos pasos\s*<\/a>/)
    expect(readable(home)).toContain('Chrome en Windows')
    expect(readable(home)).not.toContain('Chrome on Windows')
    expect(pinnedLeaks(home)).toEqual([])
  })

  it('sets up the authenticator app in Spanish: the page, a wrong code, Turn On, the codes and the email', async () => {
    const off = await (await person.get(PAGE, ENGLISH_BROWSER)).text()
    expect(langOf(off)).toBe('es')
    expect(off).toContain('<title>Inicio de sesión en dos pasos · Staff Portal</title>')
    expect(off).toMatch(/>\s*Configurar aplicación de autenticación\s*</)
    expect(off).toContain('data-say-prompt="Siga las indicaciones de su navegador para usar su llave de acceso…"')
    expect(off).toContain('<label for="field-name">Nombre de la llave de acceso</label>')
    expect(off).toMatch(/>\s*Agregar llave de acceso\s*</)
    expect(englishLeaks(off, ['twoStep', 'layout'])).toEqual([])
    expect(pinnedLeaks(off)).toEqual([])

    await person.post(`${PAGE}/app/setup`)
    const setup = await (await person.get(PAGE)).text()
    expect(setup).toMatch(/<svg role="img" aria-label="Código QR para escanear con su aplicación de autenticación"/)
    expect(setup).toContain('<label for="field-setupKey">Clave de configuración</label>')
    expect(setup).toContain('<label for="field-code">Código de autenticación</label>')
    expect(setup).toMatch(/>\s*Activar\s*</)
    expect(englishLeaks(setup, ['twoStep', 'layout'])).toEqual([])
    expect(pinnedLeaks(setup)).toEqual([])
    secret = setupKeyIn(setup)

    const empty = await person.post(`${PAGE}/app/turn-on`, { code: '' })
    expect(await empty.text()).toContain(es.twoStep.enterAppCode)
    const wrong = await person.post(`${PAGE}/app/turn-on`, { code: '000000' })
    expect(wrong.status).toBe(422)
    expect(await wrong.text()).toContain('Ese código no es correcto. Revise que su teléfono tenga la hora correcta')

    const on = await person.post(`${PAGE}/app/turn-on`, { code: generateTotpCode(secret, t.clock.now()) })
    expect(on.status).toBe(200)
    const onHtml = await on.text()
    expect(onHtml).toContain('<h2 id="recovery-codes-heading">Códigos de recuperación</h2>')
    expect(onHtml).toContain('Su aplicación de autenticación está activada.')
    expect(readable(onHtml)).toContain('Quedan 10 de 10 códigos de recuperación')
    expect(onHtml).toMatch(/>\s*Nuevos códigos de recuperación\s*</)
    expect(onHtml).toContain('aria-label="Quitar la aplicación de autenticación"')
    expect(englishLeaks(onHtml, ['twoStep', 'layout'])).toEqual([])
    expect(pinnedLeaks(onHtml)).toEqual([])
    recoveryCodes = codesIn(onHtml)
    expect(recoveryCodes).toHaveLength(10)

    const mail = await lastMail()
    expect(mail.to).toBe(EMAIL)
    expect(mail.subject).toBe(
      'Inicio de sesión en dos pasos: se agregó una aplicación de autenticación a su cuenta del Staff Portal de Harbor Therapy Group',
    )
    expect(mail.text).toContain('Hola, Sofía:')
    expect(mail.text).toMatch(/El \d+ [a-z]{3} 2026, .* se agregó una aplicación de autenticación/)
    expect(mail.text).toContain(es.emails.twoStep.ifNotYou)
    expect(mail.html).toContain('<html lang="es">')
    expect(mail.text).not.toContain('Hello')
  })

  it('asks for the second step in Spanish from a browser set to English, with Spanish refusals', async () => {
    await person.post('/logout')
    const browser = t.agent()
    const password = await browser.post('/login', { email: EMAIL, password: STRONG_PASSWORD }, ENGLISH_BROWSER)
    expect(password.headers.get('Location')).toBe('/login/two-step')

    const step = await (await browser.get('/login/two-step', ENGLISH_BROWSER)).text()
    expect(langOf(step)).toBe('es')
    expect(step).toContain('<label for="field-code">Código de autenticación</label>')
    expect(step).toMatch(/>\s*Verificar\s*</)
    expect(step).toContain('<a href="/login/two-step/recovery-code">Usar un código de recuperación</a>')
    // The person's language, not the browser's: no switch link that could not switch it.
    expect(step).not.toContain('hreflang=')
    expect(englishLeaks(step, ['secondStep', 'layout'])).toEqual([])
    expect(pinnedLeaks(step)).toEqual([])

    const empty = await browser.post('/login/two-step', { code: '' }, ENGLISH_BROWSER)
    expect(await empty.text()).toContain('Escriba el código de 6 dígitos que muestra su aplicación.')
    const wrong = await browser.post('/login/two-step', { code: '000000' }, ENGLISH_BROWSER)
    expect(wrong.status).toBe(401)
    const wrongHtml = await wrong.text()
    expect(langOf(wrongHtml)).toBe('es')
    expect(wrongHtml).toContain('Ese código no es correcto o ya se usó.')

    const recovery = await (await browser.get('/login/two-step/recovery-code', ENGLISH_BROWSER)).text()
    expect(langOf(recovery)).toBe('es')
    expect(recovery).toContain('<h1>Usar un código de recuperación</h1>')
    expect(recovery).toContain('<label for="field-recoveryCode">Código de recuperación</label>')
    expect(englishLeaks(recovery, ['secondStep', 'layout'])).toEqual([])
    expect(pinnedLeaks(recovery)).toEqual([])
    const badCode = await browser.post('/login/two-step/recovery-code', { recoveryCode: 'aaaaa-aaaaa' }, ENGLISH_BROWSER)
    expect(await badCode.text()).toContain('Ese código de recuperación no es correcto o ya se usó.')

    const done = await browser.post('/login/two-step/recovery-code', { recoveryCode: recoveryCodes[0]! }, ENGLISH_BROWSER)
    expect(done.status).toBe(303)
    const mail = await lastMail()
    expect(mail.subject).toBe('Se usó un código de recuperación en su cuenta del Staff Portal de Harbor Therapy Group')
    expect(mail.text).toContain('Le quedan 9 códigos de recuperación. Puede generar nuevos')
    person = browser
  })

  it('confirms New Recovery Codes and Remove in Spanish, and tells by email in Spanish', async () => {
    const confirm = await (await person.get(`${PAGE}/recovery-codes/new`)).text()
    expect(langOf(confirm)).toBe('es')
    expect(confirm).toContain('<h1>Nuevos códigos de recuperación</h1>')
    expect(confirm).toContain('Para confirmar que es usted, use su segundo paso.')
    expect(englishLeaks(confirm, ['twoStep', 'layout'])).toEqual([])
    expect(pinnedLeaks(confirm)).toEqual([])
    const refused = await person.post(`${PAGE}/recovery-codes/new`, {})
    expect(await refused.text()).toContain('Escriba un código de su aplicación o un código de recuperación.')

    const remove = await (await person.get(`${PAGE}/remove/app`)).text()
    expect(remove).toContain('<h1>Quitar su aplicación de autenticación</h1>')
    expect(remove).toContain('Después de esto, su aplicación de autenticación ya no iniciará su sesión.')
    expect(pinnedLeaks(remove)).toEqual([])
    const removed = await person.post(`${PAGE}/remove/app`, { recoveryCode: recoveryCodes[1]! })
    expect(removed.headers.get('Location')).toBe(`${PAGE}?removed`)
    expect(await (await person.get(`${PAGE}?removed`)).text()).toContain('Se quitó. Le enviamos un correo sobre el cambio.')
    const mail = await lastMail()
    expect(mail.subject).toBe('Se desactivó el inicio de sesión en dos pasos de su cuenta del Staff Portal de Harbor Therapy Group')
    expect(mail.text).toContain('se quitó una aplicación de autenticación del inicio de sesión en dos pasos')
    expect(mail.html).toContain('<html lang="es">')
  })

  it('adds a passkey in Spanish, and offers it at the second step in Spanish', async () => {
    const options = (await (await person.post(`${PAGE}/passkeys/options`)).json()) as { challenge: string; user: { id: string } }
    const authenticator = new SoftAuthenticator({ rpId: 'localhost', origin: 'http://localhost' })
    const credential = JSON.stringify(await authenticator.create(options))
    const unnamed = await person.post(`${PAGE}/passkeys`, { name: '  ', credential })
    expect(await unnamed.text()).toContain('Ponga un nombre a la llave de acceso')
    const added = await person.post(`${PAGE}/passkeys`, { name: 'Teléfono', credential })
    expect(added.status).toBe(200)
    const addedHtml = await added.text()
    expect(addedHtml).toContain('Se agregó su llave de acceso.')
    expect(addedHtml).toContain('aria-label="Quitar Teléfono"')
    expect(pinnedLeaks(addedHtml)).toEqual([])
    expect((await lastMail()).subject).toBe(
      'Inicio de sesión en dos pasos: se agregó la llave de acceso “Teléfono” a su cuenta del Staff Portal de Harbor Therapy Group',
    )
    const again = await person.post(`${PAGE}/passkeys`, { name: 'Otra vez', credential })
    // Its challenge was spent by the first use.
    expect(await again.text()).toContain('Pasó demasiado tiempo o la página era antigua. Vuelva a intentarlo.')

    await person.post('/logout')
    const browser = t.agent()
    await browser.post('/login', { email: EMAIL, password: STRONG_PASSWORD }, ENGLISH_BROWSER)
    const step = await (await browser.get('/login/two-step', ENGLISH_BROWSER)).text()
    expect(langOf(step)).toBe('es')
    expect(step).toMatch(/>\s*Usar una llave de acceso\s*</)
    expect(step).toContain('data-say-failed="No se usó la llave de acceso. Puede volver a intentarlo."')
    expect(pinnedLeaks(step)).toEqual([])
    const refused = await browser.post('/login/two-step/passkey', { passkeyResponse: '{}' }, ENGLISH_BROWSER)
    expect(refused.status).toBe(401)
    expect(await refused.text()).toContain('Esa llave de acceso no es correcta o ya se usó.')
  })

  it('tells of an admin’s Reset Two-Step Sign-In in Spanish', async () => {
    const reset = await admin.post(`/staff/${staffId}/portal/two-step/reset`, { confirm: 'yes' }, { 'HX-Request': 'true' })
    expect(reset.status).toBe(200)
    const mail = await lastMail()
    expect(mail.to).toBe(EMAIL)
    expect(mail.subject).toBe(
      'El administrador de su práctica restableció el inicio de sesión en dos pasos de su cuenta del Staff Portal de Harbor Therapy Group',
    )
    expect(mail.text).toContain('vuelva a configurar el inicio de sesión en dos pasos')
  })

  it('shows "Set Up Two-Step Sign-In" in Spanish when the practice requires it', async () => {
    // The policy asks the admin to have a factor of their own first.
    await admin.post(`${PAGE}/app/setup`)
    const adminSecret = setupKeyIn(await (await admin.get(PAGE)).text())
    expect((await admin.post(`${PAGE}/app/turn-on`, { code: generateTotpCode(adminSecret, t.clock.now()) })).status).toBe(200)
    const [practice] = await t.db.select().from(practices)
    const saved = await admin.post('/settings', {
      name: practice!.name,
      timeZone: practice!.timeZone,
      senderName: '',
      twoStepPolicy: 'everyone',
    })
    expect(saved.status).toBe(303)

    const browser = t.agent()
    const login = await browser.post('/login', { email: EMAIL, password: STRONG_PASSWORD }, ENGLISH_BROWSER)
    expect(login.headers.get('Location')).toBe('/account/two-step/setup')
    const page = await (await browser.get('/account/two-step/setup', ENGLISH_BROWSER)).text()
    expect(langOf(page)).toBe('es')
    expect(page).toContain('<h1>Configure el inicio de sesión en dos pasos</h1>')
    expect(page).toContain('Harbor Therapy Group exige el inicio de sesión en dos pasos.')
    expect(englishLeaks(page, ['twoStep', 'layout'])).toEqual([])
    expect(pinnedLeaks(page)).toEqual([])
  })
})

describe('the login page for a Spanish browser', () => {
  it('offers "Log In with a Passkey" and Show Password in Spanish, with their words for the script', async () => {
    const html = await (await t.agent().get('/login', { 'Accept-Language': 'es-MX,es;q=0.9' })).text()
    expect(langOf(html)).toBe('es')
    expect(html).toMatch(/>\s*Iniciar sesión con una llave de acceso\s*</)
    expect(html).toContain('data-say-failed="No se usó la llave de acceso. Puede volver a intentarlo."')
    expect(html).toContain('data-label-show="Mostrar contraseña"')
    expect(html).toContain('data-label-hide="Ocultar contraseña"')
    expect(pinnedLeaks(html)).toEqual([])
  })

  it('keeps English words for an English browser', async () => {
    const html = await (await t.agent().get('/login', ENGLISH_BROWSER)).text()
    expect(html).toContain('data-label-show="Show Password"')
    expect(html).toContain('data-label-hide="Hide Password"')
    expect(html).toContain('data-say-prompt="Follow your browser’s prompt to use your passkey…"')
    // The leak checks find English where it is.
    expect(pinnedLeaks(html)).toEqual(['Log In with a Passkey', 'Show Password', 'Hide Password'])
  })
})

describe('message pages', () => {
  it('say "not found" in the visitor’s language, with <html lang> to match', async () => {
    const spanish = await t.agent().get('/no-such-page', { 'Accept-Language': 'es' })
    expect(spanish.status).toBe(404)
    const html = await spanish.text()
    expect(langOf(html)).toBe('es')
    expect(html).toContain('<h1>Página no encontrada</h1>')
    expect(html).toContain('<a href="/">Ir al inicio</a>')
    expect(readable(html)).not.toContain('Page not found')

    const english = await (await t.agent().get('/no-such-page', ENGLISH_BROWSER)).text()
    expect(langOf(english)).toBe('en')
    expect(english).toContain('<h1>Page not found</h1>')
  })

  it('refuse a form from another site in the browser’s language', async () => {
    const refused = await t
      .agent()
      .post('/login', { email: EMAIL, password: 'x' }, { Origin: 'https://evil.test', 'Accept-Language': 'es' })
    expect(refused.status).toBe(403)
    const html = await refused.text()
    expect(langOf(html)).toBe('es')
    expect(html).toContain('<h1>Solicitud rechazada</h1>')
  })

  it('stay English on admin addresses', async () => {
    const html = await (await admin.get('/staff/aaaaaaaaaaaaaaaa', { 'Accept-Language': 'es' })).text()
    expect(langOf(html)).toBe('en')
    expect(html).not.toContain('Página no encontrada')
  })

  it('say "busy" and "something went wrong" in the visitor’s language', async () => {
    // Routes that fail the ways the app answers for itself: the database busy past its timeout,
    // anything else. Added before the app's first request, which builds its router.
    const failing = await createTestApp()
    failing.app.get('/test-busy', () => {
      throw Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' })
    })
    failing.app.get('/test-failure', () => {
      throw new Error('failure')
    })
    const busy = await failing.agent().get('/test-busy', { 'Accept-Language': 'es' })
    expect(busy.status).toBe(503)
    const busyHtml = await busy.text()
    expect(langOf(busyHtml)).toBe('es')
    expect(busyHtml).toContain('<h1>Ocupado, inténtelo de nuevo</h1>')
    const failure = await failing.agent().get('/test-failure', { 'Accept-Language': 'es' })
    expect(failure.status).toBe(500)
    const failureHtml = await failure.text()
    expect(langOf(failureHtml)).toBe('es')
    expect(failureHtml).toContain('<h1>Algo salió mal</h1>')
    expect(await (await failing.agent().get('/test-busy', ENGLISH_BROWSER)).text()).toContain('<h1>Busy, try again</h1>')
    await failing.cleanup()
  })

  it('say "too much data" in Spanish to a Spanish browser', async () => {
    const big = await t.agent().post('/login', { email: 'x'.repeat(70 * 1024) }, { 'Accept-Language': 'es' })
    expect(big.status).toBe(413)
    const html = await big.text()
    expect(langOf(html)).toBe('es')
    expect(html).toContain('<h1>Demasiados datos</h1>')
  })
})
