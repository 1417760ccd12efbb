// The only client script besides htmx; served from 'self' under the CSP, no inline code.

// Copy Link: without this script the button stays hidden and the field's hint says how to copy.
for (const button of document.querySelectorAll('[data-copy][hidden]')) button.hidden = false
document.addEventListener('htmx:load', (event) => {
  const root = event.target instanceof Element ? event.target : document
  for (const button of root.querySelectorAll('[data-copy][hidden]')) button.hidden = false
})
document.addEventListener('focusin', (event) => {
  if (event.target instanceof HTMLInputElement && event.target.hasAttribute('data-select-on-focus')) event.target.select()
})

// Confirmations (views/components/confirmation.tsx): an unconfirmed destructive post answers
// with a <dialog> in #dialog-slot. Open it modal (focus stays inside, Escape cancels), close it
// when its confirming form is sent, and give focus back to the button that asked.
let asker = null
document.addEventListener('htmx:beforeRequest', (event) => {
  const elt = event.detail && event.detail.elt
  if (!(elt instanceof Element)) return
  const dialog = elt.closest('dialog[data-confirm-dialog]')
  if (dialog) {
    // Kept in the page while its request runs (htmx still needs the form); the next
    // confirmation replaces it.
    dialog.dataset.sending = 'yes'
    dialog.close()
    return
  }
  asker = document.activeElement
})
document.addEventListener('htmx:afterSettle', () => {
  for (const dialog of document.querySelectorAll('dialog[data-confirm-dialog]:not([open])')) {
    if (dialog.dataset.opened) continue
    dialog.dataset.opened = 'yes'
    const opener = asker
    dialog.addEventListener('close', () => {
      if (!dialog.dataset.sending) dialog.remove()
      // After Cancel the asking button is still there; after the action it was swapped away,
      // and the outcome message takes focus (below).
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus()
    })
    dialog.showModal()
  }
})

// Copy Link: copies a read-only field's value and says so. Delegated, so it works on
// content htmx swaps in.
document.addEventListener('click', async (event) => {
  const button = event.target instanceof Element ? event.target.closest('[data-copy]') : null
  if (!button) return
  const field = document.querySelector(button.getAttribute('data-copy'))
  const status = button.parentElement && button.parentElement.querySelector('.copy-status')
  if (!field) return
  try {
    await navigator.clipboard.writeText(field.value)
    if (status) status.textContent = 'Link copied to the clipboard.'
  } catch {
    field.focus()
    field.select()
    if (status) status.textContent = 'Press Ctrl+C (or ⌘C) to copy the selected link.'
  }
})

// After htmx swaps the Staff Portal panel, the button that had focus is gone; put focus on
// the outcome message so keyboard and screen-reader users keep their place.
document.addEventListener('htmx:afterSettle', () => {
  if (document.activeElement && document.activeElement !== document.body) return
  const status = document.getElementById('panel-status')
  if (status && status.textContent.trim() !== '') status.focus()
})

// Show Password: each password field has a hidden toggle button; with script it appears and
// switches the field between hidden and shown text. aria-pressed says which it is, and the
// button reads "Hide Password" while shown: both sets of words come from its data- attributes,
// in the page's language.
function revealPasswordToggles(root) {
  for (const button of root.querySelectorAll('.password-toggle[hidden]')) button.hidden = false
}
revealPasswordToggles(document)
document.addEventListener('htmx:load', (event) => revealPasswordToggles(event.target))

document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('.password-toggle') : null
  if (!button) return
  const field = document.getElementById(button.getAttribute('aria-controls'))
  if (!field) return
  setPasswordShown(button, field, button.getAttribute('aria-pressed') !== 'true')
})

function setPasswordShown(button, field, shown) {
  field.type = shown ? 'text' : 'password'
  button.setAttribute('aria-pressed', String(shown))
  const label = button.getAttribute(shown ? 'data-label-hide' : 'data-label-show')
  if (label) button.textContent = label
}

// A password shown as text must not be kept by the browser's form history: hide it on submit.
document.addEventListener('submit', (event) => {
  for (const button of event.target.querySelectorAll('.password-toggle[aria-pressed="true"]')) {
    const field = document.getElementById(button.getAttribute('aria-controls'))
    if (field) setPasswordShown(button, field, false)
  }
})

// The session warning. The server ends a session after the practice's idle minutes (it is the
// authority: this is a convenience). Two minutes before that, a dialog offers "Stay Signed In",
// which makes one request that records the session as used. When the time is up, the page
// reloads: the server, finding the session gone, sends the person to log in and back here.
;(function watchSession() {
  const dialog = document.getElementById('session-warning')
  const idleMinutes = Number(document.body.getAttribute('data-idle-minutes'))
  if (!dialog || !idleMinutes || typeof dialog.showModal !== 'function') return
  const WARN_BEFORE_MS = 2 * 60 * 1000
  const idleMs = idleMinutes * 60 * 1000
  let warnTimer
  let endTimer

  function restart() {
    clearTimeout(warnTimer)
    clearTimeout(endTimer)
    warnTimer = setTimeout(
      () => {
        if (!dialog.open) dialog.showModal()
      },
      Math.max(0, idleMs - WARN_BEFORE_MS),
    )
    endTimer = setTimeout(() => window.location.reload(), idleMs)
  }

  async function staySignedIn() {
    const token = dialog.querySelector('form')
    try {
      const response = await fetch('/portal/keep-alive', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(token ? new FormData(token) : undefined),
        credentials: 'same-origin',
      })
      if (response.status === 204) {
        dialog.close()
        restart()
        return
      }
    } catch {
      // Offline or the server is away: fall through to the reload, which shows what happened.
    }
    window.location.reload()
  }

  dialog.addEventListener('submit', (event) => {
    event.preventDefault()
    staySignedIn()
  })
  // Any request htmx makes reaches the server, which counts it as activity.
  document.addEventListener('htmx:afterRequest', restart)
  restart()
})()

// Staffs: "Select All" ticks the page's boxes for the eye (the server already reads it as the
// page); unticking one row unticks it.
document.addEventListener('change', (event) => {
  const box = event.target
  if (!(box instanceof HTMLInputElement) || box.type !== 'checkbox') return
  if (box.hasAttribute('data-select-all')) {
    for (const row of document.querySelectorAll('input[name="staffId"][form="bulk-invite"]')) row.checked = box.checked
  } else if (box.name === 'staffId' && !box.checked) {
    const all = document.querySelector('[data-select-all]')
    if (all) all.checked = false
  }
})

// New password fields: a live count of the characters typed, counted as the rule counts them
// (code points after NFKC, so an emoji is one). The counter is in the page, hidden until this
// script shows it; the server says the same when the form is posted.
function showLength(counter) {
  const input = document.getElementById(counter.getAttribute('data-counts'))
  if (!input) return
  const length = Array.from(input.value.normalize('NFKC')).length
  const min = Number(counter.getAttribute('data-min'))
  const max = Number(counter.getAttribute('data-max'))
  // The words come with the page, in its language.
  const template = counter.getAttribute(length < min ? 'data-short' : length > max ? 'data-long' : 'data-fine') || '{length}'
  counter.textContent = template.replace('{length}', String(length)).replace('{min}', String(min)).replace('{max}', String(max))
  counter.hidden = false
}

function showLengths() {
  document.querySelectorAll('[data-counts]').forEach(showLength)
}

document.addEventListener('input', (event) => {
  const input = event.target
  if (!(input instanceof HTMLInputElement) || !input.id) return
  const counter = document.querySelector(`[data-counts="${input.id}"]`)
  if (counter) showLength(counter)
})
document.addEventListener('DOMContentLoaded', showLengths)
document.addEventListener('htmx:afterSettle', showLengths)
