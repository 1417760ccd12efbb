import type { SessionUser } from '../../src/auth/session'
import { CodeField } from '../components/code-field'
import { Field } from '../components/field'
import { PageTitle } from '../components/page-title'
import type { Messages } from '../../src/text/messages'
import { passkeyWords } from '../components/passkey-words'

export interface TwoStepConfirmProps {
  t: Messages
  user: SessionUser
  /** The page's heading and its button: "Remove", "New Recovery Codes". */
  title: string
  action: string
  buttonLabel: string
  explanation: string
  hasApp: boolean
  hasPasskey: boolean
  errors?: { code?: string; recoveryCode?: string; passkey?: string }
  /** Why the change cannot be made at all, above the form (which stays, for after it is fixed). */
  problem?: string
}

/**
 * Changing two-step sign-in asks for a current factor: a code from the app, a recovery code, or
 * (with script) one of the person's passkeys. Nothing changes until the button is pressed.
 */
export function TwoStepConfirmPage(props: TwoStepConfirmProps) {
  const errors = props.errors ?? {}
  const t = props.t.twoStep
  return (
    <>
      <PageTitle text={props.title} />
      <section class="card narrow">
        <h1>{props.title}</h1>
        <p>{props.explanation}</p>
        <p>{t.confirmItIsYou}</p>
        {props.problem && (
          <p class="alert alert-error" role="alert">
            {props.problem}
          </p>
        )}
        <form method="post" action={props.action} class="stack" novalidate>
          {props.hasApp && <CodeField label={t.authenticationCode} error={errors.code} autofocus />}
          <Field
            label={t.recoveryCode}
            name="recoveryCode"
            autocomplete="off"
            maxlength={20}
            error={errors.recoveryCode}
            hint={props.hasApp ? t.recoveryCodeHintWithApp : t.recoveryCodeHint}
          />
          <div class="actions">
            <button type="submit" class="button button-primary">
              {props.buttonLabel}
            </button>
            <a href="/account/two-step">{t.cancel}</a>
          </div>
        </form>
        {props.hasPasskey && (
          <form
            method="post"
            action={props.action}
            class="stack below-form"
            data-passkey="get"
            data-options="/account/two-step/confirm/options"
            data-webauthn
            {...passkeyWords(t)}
            hidden
          >
            <input type="hidden" name="passkeyResponse" value="" />
            {errors.passkey && (
              <p class="alert alert-error" role="alert">
                {errors.passkey}
              </p>
            )}
            <p class="passkey-status" role="status" aria-live="polite"></p>
            <button type="submit" class="button">
              {t.useAPasskey}
            </button>
          </form>
        )}
      </section>
    </>
  )
}
