import type { Messages } from '../../src/text/messages'
import { Field } from '../components/field'
import { PageTitle } from '../components/page-title'
import { passkeyWords } from '../components/passkey-words'

export interface LoginProps {
  t: Messages
  email?: string
  error?: string
  notice?: string
  /** The same-site page to return to after logging in. */
  next?: string
}

export function LoginPage(props: LoginProps) {
  const t = props.t.login
  return (
    <>
      <PageTitle text={t.title} />
      <section class="card narrow">
        <h1>{t.heading}</h1>
        {props.notice && (
          <p class="alert alert-info" role="status">
            {props.notice}
          </p>
        )}
        {props.error && (
          <p class="alert alert-error" role="alert">
            {props.error}
          </p>
        )}
        <form method="post" action="/login" class="stack" novalidate>
          {props.next && <input type="hidden" name="next" value={props.next} />}
          <Field
            label={t.email}
            name="email"
            type="email"
            value={props.email}
            autocomplete="username"
            required
            maxlength={254}
            autofocus={!props.email}
          />
          <Field
            label={t.password}
            name="password"
            type="password"
            autocomplete="current-password"
            required
            maxlength={1024}
            autofocus={!!props.email}
            showPasswordLabel={props.t.password.show}
            hidePasswordLabel={props.t.password.hide}
          />
          <button type="submit" class="button button-primary">
            {t.submit}
          </button>
        </form>
        <p class="below-form">
          <a href="/forgot-password">{t.forgotPassword}</a>
        </p>
        {/* Offered once public/passkey.js finds WebAuthn in the browser. */}
        <form
          method="post"
          action="/login/passkey"
          class="stack below-form"
          data-passkey="get"
          data-options="/login/passkey/options"
          data-webauthn
          {...passkeyWords(props.t.twoStep)}
          hidden
        >
          {props.next && <input type="hidden" name="next" value={props.next} />}
          <input type="hidden" name="passkeyResponse" value="" />
          <p class="passkey-status" role="status" aria-live="polite"></p>
          <button type="submit" class="button">
            {t.passkey}
          </button>
        </form>
      </section>
    </>
  )
}
