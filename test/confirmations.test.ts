import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, invitations, passwordResetLinks, sessions } from '../db/schema'
import type { Agent } from './support/agent'
import { createTestApp, logIn, type TestApp, addTwoPractices, logInBothAdmins } from './support/app'
import { addStaff, linkIn, pathOf, sendInvitation, STRONG_PASSWORD } from './support/staff'

// Nothing destructive happens until the confirming button is pressed: without JavaScript the
// post answers a confirmation page, over htmx a <dialog>; only confirm=yes acts.

let t: TestApp
let admin: Agent
let otherAdmin: Agent

beforeAll(async () => {
  t = await createTestApp()
  await addTwoPractices(t)
  ;({ admin, otherAdmin } = await logInBothAdmins(t))
})
afterAll(() => t.cleanup())

const HX = { 'HX-Request': 'true' }

async function signedUp(email: string) {
  const id = await addStaff(admin, { firstName: 'Robin', lastName: 'Vale', email1: email })
  await sendInvitation(admin, id, email)
  const mail = t.devMailbox!.list().find((m) => m.to === email)!
  await t.agent().post(pathOf(linkIn(mail.text)), { password: STRONG_PASSWORD, confirmPassword: STRONG_PASSWORD })
  const [account] = await t.db.select().from(accounts).where(eq(accounts.staffId, id))
  return { id, accountId: account!.id }
}

/** The confirmation page's one confirming form: its action, fields and button. */
function confirmingForm(html: string) {
  const form = /<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html.slice(html.indexOf('confirm-heading')))
  if (!form) throw new Error(`no confirming form in:\n${html}`)
  const fields = Object.fromEntries([...form[2]!.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]))
  const button = />([^<]+)<\/button>/.exec(form[2]!)![1]
  return { action: form[1]!, fields, button }
}

describe('Revoke an invitation', () => {
  it('asks on a page without JavaScript, names the action on its button, and revokes only when pressed', async () => {
    const id = await addStaff(admin, { firstName: 'Ask', lastName: 'First', email1: 'ask.first@harbor.test' })
    await sendInvitation(admin, id, 'ask.first@harbor.test')
    const [invitation] = await t.db.select().from(invitations).where(eq(invitations.staffId, id))
    const path = `/staff/${id}/portal/invitations/${invitation!.id}/revoke`

    const asked = await admin.post(path)
    expect(asked.status).toBe(200)
    const page = await asked.text()
    expect(page).toContain('<html')
    expect(page).toContain('<h1 id="confirm-heading">Revoke the invitation to ask.first@harbor.test?</h1>')
    expect(page).toContain(`href="/staff/${id}/portal">Cancel</a>`)
    expect(page).not.toContain('hx-confirm')
    const form = confirmingForm(page)
    expect(form).toEqual({ action: path, fields: { confirm: 'yes' }, button: 'Revoke' })
    expect((await t.db.select().from(invitations).where(eq(invitations.id, invitation!.id)))[0]!.revokedAt).toBeNull()

    const done = await admin.post(form.action, form.fields)
    expect(await done.text()).toContain('Invitation revoked.')
    expect((await t.db.select().from(invitations).where(eq(invitations.id, invitation!.id)))[0]!.revokedAt).not.toBeNull()
  })

  it('over htmx answers a dialog retargeted into #dialog-slot, whose button posts back into the panel', async () => {
    const id = await addStaff(admin, { firstName: 'Dialog', lastName: 'Asked', email1: 'dialog.asked@harbor.test' })
    await sendInvitation(admin, id, 'dialog.asked@harbor.test')
    const [invitation] = await t.db.select().from(invitations).where(eq(invitations.staffId, id))
    const path = `/staff/${id}/portal/invitations/${invitation!.id}/revoke`
    const asked = await admin.post(path, {}, HX)
    expect(asked.headers.get('HX-Retarget')).toBe('#dialog-slot')
    expect(asked.headers.get('HX-Reswap')).toBe('innerHTML')
    const html = await asked.text()
    expect(html).not.toContain('<html')
    expect(html).toMatch(/^<dialog class="confirm-dialog" aria-labelledby="confirm-dialog-title" aria-describedby="confirm-dialog-text"/)
    expect(html).toContain(`<form method="post" action="${path}" hx-post="${path}" hx-target="#portal-panel" hx-swap="outerHTML">`)
    expect(html).toContain('<input type="hidden" name="confirm" value="yes"/>')
    expect(html).toContain('<form method="dialog"><button type="submit" class="button button-quiet" autofocus="">Cancel</button></form>')
    expect((await t.db.select().from(invitations).where(eq(invitations.id, invitation!.id)))[0]!.revokedAt).toBeNull()
  })

  it("is not found for another practice's admin, confirmed or not", async () => {
    const id = await addStaff(admin, { firstName: 'Other', lastName: 'Side', email1: 'other.side@harbor.test' })
    await sendInvitation(admin, id, 'other.side@harbor.test')
    const [invitation] = await t.db.select().from(invitations).where(eq(invitations.staffId, id))
    const path = `/staff/${id}/portal/invitations/${invitation!.id}/revoke`
    expect((await otherAdmin.post(path)).status).toBe(404)
    expect((await otherAdmin.post(path, {}, HX)).status).toBe(404)
    expect((await otherAdmin.post(path, { confirm: 'yes' })).status).toBe(404)
  })
})

describe('Disable Portal Access and Sign Out Everywhere', () => {
  it('ask first, with buttons named after the action, then act', async () => {
    const { id, accountId } = await signedUp('robin.vale@harbor.test')
    await logIn(t, 'robin.vale@harbor.test', STRONG_PASSWORD)
    const path = `/staff/${id}/portal/access`

    const signOut = confirmingForm(await (await admin.post(path, { action: 'end-sessions' })).text())
    expect(signOut).toEqual({ action: path, fields: { action: 'end-sessions', confirm: 'yes' }, button: 'Sign Out Everywhere' })
    expect(await t.db.select().from(sessions).where(eq(sessions.accountId, accountId))).toHaveLength(1)
    await admin.post(signOut.action, signOut.fields)
    expect(await t.db.select().from(sessions).where(eq(sessions.accountId, accountId))).toHaveLength(0)

    const disable = await (await admin.post(path, { action: 'disable' })).text()
    expect(disable).toContain('Disable portal access for Robin Vale?')
    expect(confirmingForm(disable).button).toBe('Disable Portal Access')
    expect((await t.db.select().from(accounts).where(eq(accounts.id, accountId)))[0]!.disabledAt).toBeNull()
    await admin.post(path, { action: 'disable', confirm: 'yes' })
    expect((await t.db.select().from(accounts).where(eq(accounts.id, accountId)))[0]!.disabledAt).not.toBeNull()

    // Giving access back asks nothing.
    const enabled = await (await admin.post(path, { action: 'enable' }, HX)).text()
    expect(enabled).toContain('Portal access enabled.')
  })
})

describe('Revoke a reset link, and Copy Link without JavaScript', () => {
  it('shows the link in a read-only field with a hint, hides Copy Link until the script shows it, and asks before Revoke', async () => {
    const { id, accountId } = await signedUp('copy.link@harbor.test')
    const generated = await (await admin.post(`/staff/${id}/portal/reset-links`, { expirationDate: '2026-11-28' })).text()
    expect(generated).toContain('To copy it, select the whole link and press Ctrl+C (⌘C on a Mac).')
    expect(generated).toMatch(
      /<input id="field-resetLink" type="text" readonly="" value="http[^"]+" class="mono" aria-describedby="field-resetLink-hint"/,
    )
    expect(generated).toMatch(/id="copy-link" hidden="">Copy Link<\/button>/)

    const [link] = await t.db.select().from(passwordResetLinks).where(eq(passwordResetLinks.accountId, accountId))
    const path = `/staff/${id}/portal/reset-links/${link!.id}/revoke`
    const asked = confirmingForm(await (await admin.post(path)).text())
    expect(asked.button).toBe('Revoke')
    expect((await t.db.select().from(passwordResetLinks).where(eq(passwordResetLinks.id, link!.id)))[0]!.revokedAt).toBeNull()
    await admin.post(path, { confirm: 'yes' })
    expect((await t.db.select().from(passwordResetLinks).where(eq(passwordResetLinks.id, link!.id)))[0]!.revokedAt).not.toBeNull()
  })
})

describe('Remove Admin', () => {
  it('asks with a "Remove Admin" button and no hx-confirm', async () => {
    const { id } = await signedUp('two.admins@harbor.test')
    await admin.post(`/staff/${id}/access-level`, { role: 'admin', confirm: 'yes' })
    const details = await (await admin.get(`/staff/${id}`)).text()
    expect(details).not.toContain('hx-confirm')
    const asked = await admin.post(`/staff/${id}/access-level`, { role: 'staff' }, HX)
    expect(asked.headers.get('HX-Retarget')).toBe('#dialog-slot')
    const dialog = await asked.text()
    expect(dialog).toContain('Remove admin access from Robin Vale?')
    expect(dialog).toContain('hx-target="#access-level"')
    expect(dialog).toMatch(/data-confirm-button="">Remove Admin<\/button>/)
  })
})
