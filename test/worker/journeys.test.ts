import { describe, expect, it } from 'vitest'
import { ADMIN_EMAIL, PRACTICE_NAME, STRONG_PASSWORD } from './constants'
import { addStaff, APP_URL, front, linkIn, logIn, mailTo, pathOf, WorkerAgent } from './support'

// The main journeys against the real Worker in workerd (wrangler.toml as deployed), its database
// reached over HTTP through the libSQL client's web build, mail in the development outbox.
// Each step builds on the one before, as a person would go through them.

const STAFF_EMAIL = 'rowan@harbor.test'
const NEW_PASSWORD = 'Lantern meadow quartz 2031'
const LINK_PASSWORD = 'Copper heron tapestry 4477'

/** A date in the practice's time zone (DEFAULT_TIME_ZONE, America/New_York), days from today. */
const dayInPractice = (days: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date(Date.now() + days * 86_400_000))

let admin: WorkerAgent
let staffId: string

describe('the Worker serves', () => {
  it('pages with their security headers, and public/ through Workers static assets', async () => {
    const login = await front().fetch(`${APP_URL}/login`)
    expect(login.status).toBe(200)
    const html = await login.text()
    for (const name of ['>Email</label>', '>Password</label>', '>Log In</button>', '>Forgot Password</a>']) expect(html).toContain(name)
    expect(login.headers.get('Content-Security-Policy')).toContain("script-src 'self'")
    expect(login.headers.get('Strict-Transport-Security')).toBe('max-age=31536000; includeSubDomains')

    // Every stylesheet and script the page links comes from public/ through Workers static assets
    // (by way of the Worker, which marks the hashed address immutable: static-cache.test.ts).
    const linked = [...html.matchAll(/<(?:link rel="stylesheet" href|script src)="(\/[^"]+)"/g)].map((m) => m[1]!)
    expect(linked.map((href) => href.split('?')[0])).toEqual(expect.arrayContaining(['/app.css', '/htmx.min.js', '/app.js']))
    for (const href of linked) {
      const file = await front().fetch(`${APP_URL}${href}`)
      expect(file.status, href).toBe(200)
      expect(file.headers.get('Content-Type'), href).toMatch(href.includes('.css') ? /text\/css/ : /javascript/)
      // Served from public/ by the assets layer (an ETag), not made up by the app (its pages have none).
      expect(file.headers.get('ETag'), `${href} comes from public/`).toBeTruthy()
    }
    expect(await (await front().fetch(`${APP_URL}/htmx.min.js`)).text()).toContain('htmx')
  })

  it('refuses a form post from another site (CSRF)', async () => {
    const response = await new WorkerAgent().post('/login', { email: ADMIN_EMAIL, password: 'x' }, { Origin: 'https://evil.example' })
    expect(response.status).toBe(403)
  })
})

describe('admin and staff journeys in workerd', () => {
  it('admin logs in with a __Host- session cookie, and the browser becomes a known device (signed with the secret binding)', async () => {
    admin = await logIn()
    expect([...admin.cookies.keys()].sort()).toEqual(['__Host-device', '__Host-session'])
    const staffs = await admin.get('/staff')
    expect(staffs.status).toBe(200)
    const html = await staffs.text()
    expect(html).toContain('>Staffs</a>')
    expect(html).toContain('Add Staff')
  })

  it('admin adds a staff member, who shows up in an htmx search', async () => {
    staffId = await addStaff(admin, { firstName: 'Rowan', lastName: 'Ellery', email1: STAFF_EMAIL })
    const fragment = await admin.get('/staff?q=Ellery', { 'HX-Request': 'true' })
    expect(fragment.status).toBe(200)
    const html = await fragment.text()
    expect(html).not.toContain('<html')
    expect(html).toContain('Ellery')
    const tab = await (await admin.get(`/staff/${staffId}/portal`)).text()
    expect(tab).toContain('Yet to sign up')
    expect(tab).toContain('>Send Invitation</button>')
  })

  it('admin sends the invitation; the badge changes in place and the email carries the link', async () => {
    const response = await admin.post(`/staff/${staffId}/portal/invitations`, { email: STAFF_EMAIL }, { 'HX-Request': 'true' })
    expect(response.status).toBe(200)
    const panel = await response.text()
    expect(panel).not.toContain('<html')
    expect(panel).toMatch(/id="portal-status">Signup initiated</)
    const [mail] = await mailTo(STAFF_EMAIL)
    expect(mail!.subject).toBe(`You're invited to the ${PRACTICE_NAME} Staff Portal`)
    expect(linkIn(mail!.text)).toMatch(new RegExp(`^${APP_URL}/invite/`))
  })

  it('staff creates the account from the emailed link, then logs in', async () => {
    const link = linkIn((await mailTo(STAFF_EMAIL))[0]!.text)
    const page = await new WorkerAgent().get(pathOf(link))
    expect(page.status).toBe(200)
    const html = await page.text()
    for (const name of ['>Password</label>', '>Confirm Password</label>', '>Create Account</button>']) expect(html).toContain(name)
    const created = await new WorkerAgent().post(pathOf(link), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })
    expect(created.status).toBe(303)
    expect(created.headers.get('Location')).toBe(`/login?welcome&email=${encodeURIComponent(STAFF_EMAIL)}`)
    expect((await new WorkerAgent().post(pathOf(link), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })).status).toBe(410)

    const staff = await logIn(STAFF_EMAIL, STRONG_PASSWORD)
    const home = await staff.get('/portal')
    expect(home.status).toBe(200)
    expect(await home.text()).toContain('Rowan')
    expect(await (await admin.get(`/staff/${staffId}/portal`)).text()).toMatch(/id="portal-status">Signed up</)
  })

  it('staff resets a forgotten password with the emailed code', async () => {
    const before = (await mailTo(STAFF_EMAIL)).length
    // One browser asks for the code and types it: the code works only there.
    const browser = new WorkerAgent()
    const sent = await browser.post('/forgot-password', { email: STAFF_EMAIL })
    expect(sent.status).toBe(303)
    expect(sent.headers.get('Location')).toBe(`/forgot-password/verify?email=${encodeURIComponent(STAFF_EMAIL)}`)
    // The code goes out after the response (ctx.waitUntil).
    const mail = await mailTo(STAFF_EMAIL, before + 1)
    const code = /verification code is (\d{8})/.exec(mail[0]!.text)?.[1]
    expect(code).toMatch(/^\d{8}$/)

    const wrong = await browser.post('/forgot-password/verify', {
      email: STAFF_EMAIL,
      code: code === '00000000' ? '11111111' : '00000000',
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    })
    expect(wrong.status).toBe(422)
    const elsewhere = await new WorkerAgent().post('/forgot-password/verify', {
      email: STAFF_EMAIL,
      code: code!,
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    })
    expect(elsewhere.status).toBe(422)
    const done = await browser.post('/forgot-password/verify', {
      email: STAFF_EMAIL,
      code: code!,
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    })
    expect(done.status).toBe(303)
    expect(done.headers.get('Location')).toBe(`/login?reset&email=${encodeURIComponent(STAFF_EMAIL)}`)

    expect((await new WorkerAgent().post('/login', { email: STAFF_EMAIL, password: STRONG_PASSWORD })).status).toBe(401)
    await logIn(STAFF_EMAIL, NEW_PASSWORD)
    expect((await mailTo(STAFF_EMAIL, before + 2))[0]!.subject).toMatch(/password/i)
  })

  it('admin generates a reset link, sends it to the email on file, and staff sets a new password with it', async () => {
    const generated = await admin.post(
      `/staff/${staffId}/portal/reset-links`,
      { expirationDate: dayInPractice(1) },
      { 'HX-Request': 'true' },
    )
    expect(generated.status).toBe(200)
    const panel = await generated.text()
    const url = /id="field-resetLink" type="text" readonly="" value="([^"]+)"/.exec(panel)?.[1]
    expect(url).toMatch(new RegExp(`^${APP_URL}/reset/[a-z2-7]{16}\\.[a-z2-7]{39}$`))
    for (const name of ['>Copy Link</button>', '>Send to Email</button>']) expect(panel).toContain(name)

    const token = /name="token" value="([^"]+)"/.exec(panel)![1]!
    const emailed = await admin.post(`/staff/${staffId}/portal/reset-links/email`, { token }, { 'HX-Request': 'true' })
    expect(await emailed.text()).toContain(`The reset link was sent to ${STAFF_EMAIL}.`)
    const mail = (await mailTo(STAFF_EMAIL))[0]!
    expect(linkIn(mail.text, 'reset')).toBe(url)

    const page = await new WorkerAgent().get(pathOf(url!))
    expect(page.status).toBe(200)
    const html = await page.text()
    for (const name of ['>New Password</label>', '>Confirm New Password</label>', '>Reset Password</button>']) expect(html).toContain(name)
    const done = await new WorkerAgent().post(pathOf(url!), { password: LINK_PASSWORD, confirmPassword: LINK_PASSWORD })
    expect(done.status).toBe(303)
    expect((await new WorkerAgent().get(pathOf(url!))).status).toBe(410)
    await logIn(STAFF_EMAIL, LINK_PASSWORD)
  })

  it('admin logs out, and the session ends server side', async () => {
    const cookie = admin.cookies.get('__Host-session')!
    expect((await admin.post('/logout')).status).toBe(303)
    const replay = new WorkerAgent()
    replay.cookies.set('__Host-session', cookie)
    const after = await replay.get('/staff')
    expect(after.status).toBe(303)
    expect(after.headers.get('Location')).toMatch(/^\/login/)
  })
})
