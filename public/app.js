// The only client script besides htmx; served from 'self' under the CSP, no inline code.

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
