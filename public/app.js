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
