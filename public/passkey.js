// Passkeys on the Two-Step Sign-In pages. No build and no inline code (the CSP allows scripts
// from 'self' only). Forms marked data-passkey stay hidden unless this browser has WebAuthn;
// without script the pages work, passkeys just are not offered.
//
// A form with data-passkey="register" or "get": on submit, fetch the options (posted as a form,
// so the server's Origin check applies), ask the authenticator, put its answer in the form's
// hidden field as JSON, and submit the form for real. What it says comes from the form's
// data-say-prompt and data-say-failed, in the page's language: no words live here.
;(() => {
  if (!window.PublicKeyCredential || !navigator.credentials) return
  for (const element of document.querySelectorAll('[data-webauthn]')) element.hidden = false

  const toBytes = (base64url) => {
    const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/')
    return Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0))
  }
  const toBase64url = (buffer) => {
    let text = ''
    for (const byte of new Uint8Array(buffer)) text += String.fromCharCode(byte)
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  }
  const withIds = (list) => (list || []).map((item) => ({ ...item, id: toBytes(item.id) }))

  async function fetchOptions(url) {
    const response = await fetch(url, { method: 'POST', body: new URLSearchParams(), credentials: 'same-origin' })
    if (!response.ok) throw new Error('options')
    return response.json()
  }

  async function register(options) {
    const credential = await navigator.credentials.create({
      publicKey: {
        ...options,
        challenge: toBytes(options.challenge),
        user: { ...options.user, id: toBytes(options.user.id) },
        excludeCredentials: withIds(options.excludeCredentials),
      },
    })
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      response: {
        clientDataJSON: toBase64url(credential.response.clientDataJSON),
        attestationObject: toBase64url(credential.response.attestationObject),
      },
    }
  }

  async function assert(options) {
    const credential = await navigator.credentials.get({
      publicKey: { ...options, challenge: toBytes(options.challenge), allowCredentials: withIds(options.allowCredentials) },
    })
    const { response } = credential
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      response: {
        clientDataJSON: toBase64url(response.clientDataJSON),
        authenticatorData: toBase64url(response.authenticatorData),
        signature: toBase64url(response.signature),
        userHandle: response.userHandle ? toBase64url(response.userHandle) : null,
      },
    }
  }

  document.addEventListener('submit', async (event) => {
    const form = event.target
    if (!(form instanceof HTMLFormElement) || !form.dataset.passkey) return
    event.preventDefault()
    const status = form.querySelector('.passkey-status')
    const say = (text) => status && (status.textContent = text)
    const nameField = form.elements.namedItem('name')
    if (nameField && nameField.value.trim() === '') {
      // The server says what is missing, beside the field.
      form.submit()
      return
    }
    const button = form.querySelector('button[type="submit"]')
    if (button) button.disabled = true
    try {
      say(form.dataset.sayPrompt || '')
      const options = await fetchOptions(form.dataset.options)
      const answer = form.dataset.passkey === 'register' ? await register(options) : await assert(options)
      form.elements.namedItem(form.dataset.passkey === 'register' ? 'credential' : 'passkeyResponse').value = JSON.stringify(answer)
      form.submit()
    } catch {
      say(form.dataset.sayFailed || '')
      if (button) button.disabled = false
    }
  })
})()
