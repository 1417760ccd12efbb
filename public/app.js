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
  counter.textContent =
    length < min
      ? `${length} of at least ${min} characters`
      : length > max
        ? `${length} characters: at most ${max}`
        : `${length} characters`
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
