import { Field } from '../components/field'
import { PageTitle } from '../components/page-title'

export interface LoginProps {
  email?: string
  error?: string
  notice?: string
}

export function LoginPage(props: LoginProps) {
  return (
    <>
      <PageTitle text="Log In" />
      <section class="card narrow">
        <h1>Log in to Staff Portal</h1>
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
          <Field
            label="Email"
            name="email"
            type="email"
            value={props.email}
            autocomplete="username"
            required
            maxlength={254}
            autofocus={!props.email}
          />
          <Field
            label="Password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            maxlength={1024}
            autofocus={!!props.email}
          />
          <button type="submit" class="button button-primary">
            Log In
          </button>
        </form>
        <p class="below-form">
          <a href="/forgot-password">Forgot Password</a>
        </p>
        {/* Offered once public/passkey.js finds WebAuthn in the browser. */}
        <form
          method="post"
          action="/login/passkey"
          class="stack below-form"
          data-passkey="get"
          data-options="/login/passkey/options"
          data-webauthn
          hidden
        >
          <input type="hidden" name="passkeyResponse" value="" />
          <p class="passkey-status" role="status" aria-live="polite"></p>
          <button type="submit" class="button">
            Log In with a Passkey
          </button>
        </form>
      </section>
    </>
  )
}
