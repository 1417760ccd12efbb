import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditEvents, staff } from '../db/schema'
import type { Agent } from './support/agent'
import { ADMIN_PASSWORD, addPractice, createTestApp, HARBOR, logIn, type TestApp } from './support/app'
import { generateResetLinkFor } from './adversarial/support/world'
import { addStaff, linkIn, pathOf, sendInvitation, STRONG_PASSWORD } from './support/staff'

let t: TestApp
let admin: Agent

beforeAll(async () => {
  t = await createTestApp()
  await addPractice(t, HARBOR.name, HARBOR.adminEmail)
  admin = await logIn(t, HARBOR.adminEmail)
})
afterAll(() => t.cleanup())

const lastMail = () => t.devMailbox!.list()[0]!
const langOf = (html: string) => /<html lang="([a-z]+)">/.exec(html)?.[1]

describe('a Spanish-speaking staff member', () => {
  let link: string
  let staffId: string

  it('has "Language" on the staff form, English by default, and keeps it when a form leaves it out', async () => {
    const form = await (await admin.get('/staff/new')).text()
    expect(form).toContain('<label for="field-language">Language</label>')
    expect(form).toContain('<option value="en" lang="en" selected="">English</option>')
    expect(form).toContain('<option value="es" lang="es">Español</option>')
    staffId = await addStaff(admin, { firstName: 'Lucía', lastName: 'Ramírez', email1: 'lucia@harbor.test', language: 'es' })
    const edit = await (await admin.get(`/staff/${staffId}/edit`)).text()
    expect(edit).toContain('<option value="es" lang="es" selected="">Español</option>')
    // Admin pages stay English.
    expect(langOf(edit)).toBe('en')
  })

  it('gets the invitation email in Spanish, with the date in Spanish', async () => {
    await sendInvitation(admin, staffId, 'lucia@harbor.test')
    const mail = lastMail()
    expect(mail.subject).toBe('Invitación al Staff Portal de Harbor Therapy Group')
    expect(mail.text).toContain('Hola, Lucía:')
    expect(mail.text).toContain('Practice Admin le invitó al Staff Portal de Harbor Therapy Group.')
    expect(mail.text).toMatch(/vence el \d+ dic 2026/)
    expect(mail.html).toContain('<html lang="es">')
    link = linkIn(mail.text)
  })

  it('sees Create Account in Spanish, with Spanish messages beside the fields', async () => {
    const agent = t.agent()
    const page = await (await agent.get(pathOf(link))).text()
    expect(langOf(page)).toBe('es')
    expect(page).toContain('<title>Crear cuenta · Staff Portal</title>')
    expect(page).toContain('<label for="field-password">Contraseña</label>')
    expect(page).toContain('<label for="field-confirmPassword">Confirmar contraseña</label>')
    expect(page).toMatch(/>\s*Mostrar contraseña\s*</)
    expect(page).toContain('hreflang="en">English</a>')

    const empty = await agent.post(pathOf(link), { password: '', confirmPassword: 'x' })
    expect(empty.status).toBe(422)
    expect(await empty.text()).toContain('Escriba una contraseña.')
    const mismatch = await agent.post(pathOf(link), { password: STRONG_PASSWORD, confirmPassword: 'other' })
    expect(await mismatch.text()).toContain('Las dos contraseñas no coinciden.')
    const short = await agent.post(pathOf(link), { password: 'corta', confirmPassword: 'corta' })
    expect(await short.text()).toContain('Use al menos 15 caracteres (esta tiene 5 caracteres).')
    const guessable = await agent.post(pathOf(link), { password: 'passwordpassword', confirmPassword: 'passwordpassword' })
    expect(await guessable.text()).toContain('Esta contraseña es demasiado fácil de adivinar.')

    const created = await agent.post(pathOf(link), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })
    expect(created.status).toBe(303)
    // The signed-out login page that follows speaks the account's language.
    const login = await (await agent.get(created.headers.get('Location')!)).text()
    expect(langOf(login)).toBe('es')
    expect(login).toContain('Su cuenta está lista.')
    expect(login).toMatch(/>\s*Iniciar sesión\s*<\/button>/)
    expect(login).toContain('<a href="/forgot-password">¿Olvidó su contraseña?</a>')
  })

  it('logs in to a Spanish portal home, with dates in Spanish, and can switch to English there', async () => {
    const agent = t.agent()
    const failed = await agent.post('/login', { email: 'lucia@harbor.test', password: 'wrong password' }, { 'Accept-Language': 'es' })
    expect(await failed.text()).toContain('Ese correo electrónico y esa contraseña no corresponden a ninguna cuenta')
    expect((await agent.post('/login', { email: 'lucia@harbor.test', password: STRONG_PASSWORD })).headers.get('Location')).toBe('/portal')
    const home = await (await agent.get('/portal')).text()
    expect(langOf(home)).toBe('es')
    expect(home).toContain('Le damos la bienvenida, Lucía')
    expect(home).toContain('<label for="field-language">Idioma</label>')
    expect(home).toMatch(/\d+ nov 2026/)
    expect(home).toContain('>Cerrar sesión')
    expect(home).toContain('<h2 id="session-warning-title">¿Sigue ahí?</h2>')
    // Signed in, the person's own language decides, not a switch link.
    expect(home).not.toContain('hreflang=')

    const change = await (await agent.get('/portal/password')).text()
    expect(langOf(change)).toBe('es')
    expect(change).toContain('<label for="field-currentPassword">Contraseña actual</label>')
    const wrong = await agent.post('/portal/password', { currentPassword: '', password: '', confirmPassword: '' })
    const wrongHtml = await wrong.text()
    expect(wrongHtml).toContain('Escriba su contraseña actual.')
    expect(wrongHtml).toContain('Escriba una contraseña.')

    const saved = await agent.post('/portal/language', { language: 'en' })
    expect(saved.headers.get('Location')).toBe('/portal?language_saved')
    const english = await (await agent.get('/portal?language_saved')).text()
    expect(langOf(english)).toBe('en')
    expect(english).toContain('Saved. Your pages and emails are now in English.')
    const [row] = await t.db.select({ language: staff.language }).from(staff).where(eq(staff.id, staffId))
    expect(row!.language).toBe('en')
    expect((await agent.post('/portal/language', { language: 'fr' })).headers.get('Location')).toBe('/portal')
    await agent.post('/portal/language', { language: 'es' })
  })

  it('gets the login email verification in Spanish, with the date in Spanish', async () => {
    await admin.post(`/staff/${staffId}/portal/login-email`, { newEmail: 'lucia.nueva@harbor.test' }, { 'HX-Request': 'true' })
    const mail = lastMail()
    expect(mail.to).toBe('lucia.nueva@harbor.test')
    expect(mail.subject).toBe('Confirme su nuevo correo de inicio de sesión del Staff Portal de Harbor Therapy Group')
    expect(mail.text).toContain('Hola, Lucía:')
    expect(mail.text).toMatch(/hasta el \d+ (nov|dic) 2026/)
    expect(mail.html).toContain('<html lang="es">')
  })
})

describe('password recovery in Spanish', () => {
  const email = 'mateo@harbor.test'
  const ES = { 'Accept-Language': 'es', 'X-Test-Client-IP': '192.0.2.77' }
  const NEW_PASSWORD = 'Faro lejano cuarzo 2031 brisa'
  let staffId: string

  beforeAll(async () => {
    staffId = await addStaff(admin, { firstName: 'Mateo', lastName: 'Suárez', email1: email, language: 'es' })
    await sendInvitation(admin, staffId, email)
    const created = await t.agent().post(pathOf(linkIn(lastMail().text)), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })
    expect(created.status).toBe(303)
  })

  it('Forgot Password, the code email, every problem and the reset page speak Spanish', async () => {
    const browser = t.agent()
    const forgot = await (await browser.get('/forgot-password', ES)).text()
    expect(langOf(forgot)).toBe('es')
    expect(forgot).toContain('<h1>¿Olvidó su contraseña?</h1>')
    expect(forgot).toMatch(/>\s*Enviar código\s*</)
    const bad = await browser.post('/forgot-password', { email: 'no es correo' }, ES)
    expect(await bad.text()).toContain('Escriba un correo electrónico como nombre@ejemplo.com.')

    expect((await browser.post('/forgot-password', { email }, ES)).status).toBe(303)
    await t.settle()
    const mail = lastMail()
    expect(mail.subject).toMatch(/^\d{8} es su código de verificación de Harbor Therapy Group$/)
    expect(mail.text).toContain('Hola, Mateo:')
    expect(mail.text).toContain('Si usted no lo pidió, ignore este correo; su contraseña no cambió.')
    expect(mail.html).toContain('<html lang="es">')
    const code = /^(\d{8})/.exec(mail.subject)![1]!

    const page = await (await browser.get(`/forgot-password/verify?email=${encodeURIComponent(email)}`, ES)).text()
    expect(langOf(page)).toBe('es')
    expect(page).toContain('<label for="field-code">Código de verificación</label>')
    expect(page).toContain('data-short="{length} de al menos {min} caracteres"')
    const wrongCode = code === '00000000' ? '11111111' : '00000000'
    const wrong = await (
      await browser.post('/forgot-password/verify', { email, code: wrongCode, password: 'corta', confirmPassword: 'otra' }, ES)
    ).text()
    // The code is checked only once the passwords are right; both password problems at once.
    expect(wrong).toContain('Use al menos 15 caracteres (esta tiene 5 caracteres).')
    expect(wrong).toContain('Las dos contraseñas no coinciden.')
    expect(wrong).toContain('value="corta"')
    const wrongAgain = await browser.post(
      '/forgot-password/verify',
      { email, code: wrongCode, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      ES,
    )
    expect(await wrongAgain.text()).toMatch(/Ese código no es correcto\. Quedan? \d+ intentos?\./)

    const done = await browser.post('/forgot-password/verify', { email, code, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, ES)
    expect(done.status).toBe(303)
    await t.settle()
    const changed = lastMail()
    expect(changed.subject).toBe('Cambió su contraseña del Staff Portal de Harbor Therapy Group')
    expect(changed.text).toMatch(/cambió el \d+ (nov|dic) 2026/)
  })

  it("the admin's reset link: its email, the notice and the page are in Spanish", async () => {
    const token = await generateResetLinkFor(t, admin, staffId)
    await t.settle()
    expect(lastMail().subject).toBe(
      'Se creó un enlace para restablecer la contraseña de su cuenta del Staff Portal de Harbor Therapy Group',
    )
    await admin.post(`/staff/${staffId}/portal/reset-links/email`, { token })
    await t.settle()
    const mail = lastMail()
    expect(mail.subject).toBe('Restablezca su contraseña del Staff Portal de Harbor Therapy Group')
    expect(mail.text).toMatch(/Funciona una sola vez, hasta el final del \d+ (nov|dic) 2026 \(hora de su práctica\)\./)
    const page = await (await t.agent().get(`/reset/${token}`, ES)).text()
    expect(langOf(page)).toBe('es')
    expect(page).toContain('<h1>Elija una contraseña nueva</h1>')
    expect(page).toContain('Hola, Mateo. Elija una contraseña nueva para el Staff Portal.')
    const gone = await (await t.agent().get('/reset/aaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', ES)).text()
    expect(gone).toContain('<h1>Este enlace no es válido</h1>')
  })
})

describe('signed-out pages', () => {
  it('follow Accept-Language, and the link to the other language (kept in a cookie)', async () => {
    const agent = t.agent()
    const english = await (await agent.get('/login')).text()
    expect(langOf(english)).toBe('en')
    expect(english).toContain('<a class="language-switch" href="/login?lang=es" lang="es" hreflang="es">Español</a>')
    const spanish = await (await agent.get('/login', { 'Accept-Language': 'es-MX,es;q=0.9' })).text()
    expect(langOf(spanish)).toBe('es')
    expect(spanish).toContain('<label for="field-email">Correo electrónico</label>')
    expect(spanish).toContain('href="/login?lang=en" lang="en" hreflang="en">English</a>')

    const switched = await agent.get('/login?lang=es')
    expect(switched.headers.getSetCookie().some((line) => /^__Host-lang=es;.*Secure/.test(line))).toBe(true)
    expect(langOf(await (await agent.get('/forgot-password')).text())).toBe('es')
    const empty = await agent.post('/login', { email: '', password: '' })
    expect(await empty.text()).toContain('Escriba su correo electrónico.')
    expect(langOf(await (await agent.get('/login?lang=en', { 'Accept-Language': 'es' })).text())).toBe('en')
  })

  it('keep the page to return to when switching language, and nothing else from the address', async () => {
    const html = await (await t.agent().get('/login?expired&next=%2Fportal&email=someone%40harbor.test')).text()
    expect(html).toContain('href="/login?next=%2Fportal&amp;lang=es"')
  })
})

describe("the first admin's name", () => {
  it('is asked for at login while it is the placeholder, and Skip for Now leads on', async () => {
    const agent = t.agent()
    const login = await agent.post('/login', { email: HARBOR.adminEmail, password: ADMIN_PASSWORD })
    expect(login.headers.get('Location')).toBe('/portal/name?next=%2Fstaff')
    const page = await (await agent.get('/portal/name?next=%2Fstaff')).text()
    expect(page).toContain('<label for="field-firstName">First Name</label>')
    expect(page).toContain('<label for="field-lastName">Last Name</label>')
    expect(page).toContain('<a href="/staff">Skip for Now</a>')
    // Skipped: the next login asks again.
    expect((await agent.get('/staff')).status).toBe(200)
    const again = await t.agent().post('/login', { email: HARBOR.adminEmail, password: ADMIN_PASSWORD })
    expect(again.headers.get('Location')).toBe('/portal/name?next=%2Fstaff')
  })

  it('checks the name, then saves it, audits it, and asks no more', async () => {
    const agent = await logIn(t, HARBOR.adminEmail)
    const empty = await agent.post('/portal/name', { firstName: ' ', lastName: '', next: '/staff' })
    expect(empty.status).toBe(422)
    const html = await empty.text()
    expect(html).toContain('Enter your first name.')
    expect(html).toContain('Enter your last name.')
    const saved = await agent.post('/portal/name', { firstName: 'Dana', lastName: 'Reyes', next: '//evil.test' })
    expect(saved.headers.get('Location')).toBe('/staff')
    const [row] = await t.db.select().from(staff).where(eq(staff.role, 'admin'))
    expect([row!.firstName, row!.lastName]).toEqual(['Dana', 'Reyes'])
    const audit = await t.db.select().from(auditEvents).where(eq(auditEvents.detail, 'own name, at first login'))
    expect(audit).toHaveLength(1)
    const login = await t.agent().post('/login', { email: HARBOR.adminEmail, password: ADMIN_PASSWORD })
    expect(login.headers.get('Location')).toBe('/staff')
    // A real name is not changed by this page: the staff form is the place for that.
    await agent.post('/portal/name', { firstName: 'Mallory', lastName: 'X' })
    const [after] = await t.db.select().from(staff).where(eq(staff.role, 'admin'))
    expect(after!.firstName).toBe('Dana')
  })

  it('comes from ADMIN_FIRST_NAME and ADMIN_LAST_NAME at bootstrap', async () => {
    const other = await createTestApp({
      ADMIN_EMAIL: 'owner@summit.test',
      ADMIN_PASSWORD,
      ADMIN_FIRST_NAME: 'Ana',
      ADMIN_LAST_NAME: 'Ruiz',
    })
    try {
      const { ensureFirstPractice } = await import('../src/practice/bootstrap')
      await ensureFirstPractice({ db: other.db, clock: other.clock, config: other.config })
      const [row] = await other.db.select().from(staff)
      expect([row!.firstName, row!.lastName]).toEqual(['Ana', 'Ruiz'])
      const login = await other.agent().post('/login', { email: 'owner@summit.test', password: ADMIN_PASSWORD })
      expect(login.headers.get('Location')).toBe('/staff')
    } finally {
      other.cleanup()
    }
  })
})
