import { Field } from '../components/field'
import { PageTitle } from '../components/page-title'

export interface LoginSecondStepProps {
  /** 'code': the app's code (and a passkey); 'recovery': a recovery code. */
  mode: 'code' | 'recovery'
  hasApp: boolean
  hasPasskey: boolean
  error?: string
}

/** After a correct password, for a person with two-step sign-in: no session exists until this is done. */
export function LoginSecondStepPage(props: LoginSecondStepProps) {
  const recovery = props.mode === 'recovery'
  return (
    <>
      <PageTitle text="Two-Step Sign-In" />
      <section class="card narrow">
        <h1>{recovery ? 'Use a Recovery Code' : 'Two-Step Sign-In'}</h1>
        {recovery ? (
          <form method="post" action="/login/two-step/recovery-code" class="stack" novalidate>
            <p>Enter one of the recovery codes you kept when you turned on two-step sign-in. Each works once.</p>
            <Field label="Recovery Code" name="recoveryCode" autocomplete="off" maxlength={20} required error={props.error} autofocus />
            <button type="submit" class="button button-primary">
              Verify
            </button>
          </form>
        ) : (
          <>
            {props.hasApp && (
              <form method="post" action="/login/two-step" class="stack" novalidate>
                <p>Enter the 6-digit code your authenticator app shows.</p>
                <Field
                  label="Authentication Code"
                  name="code"
                  inputmode="numeric"
                  autocomplete="one-time-code"
                  maxlength={12}
                  required
                  error={props.error}
                  autofocus
                />
                <button type="submit" class="button button-primary">
                  Verify
                </button>
              </form>
            )}
            {!props.hasApp && props.error && (
              <p class="alert alert-error" role="alert">
                {props.error}
              </p>
            )}
            {props.hasPasskey && (
              <form
                method="post"
                action="/login/two-step/passkey"
                class="stack below-form"
                data-passkey="get"
                data-options="/login/two-step/passkey/options"
                data-webauthn
                hidden
              >
                <input type="hidden" name="passkeyResponse" value="" />
                <p class="passkey-status" role="status" aria-live="polite"></p>
                <button type="submit" class={props.hasApp ? 'button' : 'button button-primary'}>
                  Use a Passkey
                </button>
              </form>
            )}
          </>
        )}
        <p class="below-form">
          {recovery ? (
            <a href="/login/two-step">Use your app or passkey instead</a>
          ) : (
            <a href="/login/two-step/recovery-code">Use a Recovery Code</a>
          )}
          {' · '}
          <a href="/login">Start again</a>
        </p>
      </section>
      <script src="/passkey.js" defer></script>
    </>
  )
}
