import type { Messages } from '../../src/text/messages'
import { CodeField } from '../components/code-field'
import { Field } from '../components/field'
import { PageTitle } from '../components/page-title'
import { passkeyWords } from '../components/passkey-words'

export interface LoginSecondStepProps {
  t: Messages
  /** 'code': the app's code (and a passkey); 'recovery': a recovery code. */
  mode: 'code' | 'recovery'
  hasApp: boolean
  hasPasskey: boolean
  error?: string
}

/** After a correct password, for a person with two-step sign-in: no session exists until this is done. */
export function LoginSecondStepPage(props: LoginSecondStepProps) {
  const recovery = props.mode === 'recovery'
  const t = props.t.secondStep
  return (
    <>
      <PageTitle text={t.title} />
      <section class="card narrow">
        <h1>{recovery ? t.useRecoveryCode : t.title}</h1>
        {recovery ? (
          <form method="post" action="/login/two-step/recovery-code" class="stack" novalidate>
            <p>{t.recoveryIntro}</p>
            <Field label={t.recoveryCode} name="recoveryCode" autocomplete="off" maxlength={20} required error={props.error} autofocus />
            <button type="submit" class="button button-primary">
              {t.verify}
            </button>
          </form>
        ) : (
          <>
            {props.hasApp && (
              <form method="post" action="/login/two-step" class="stack" novalidate>
                <p>{t.codeIntro}</p>
                <CodeField label={t.authenticationCode} required error={props.error} autofocus />
                <button type="submit" class="button button-primary">
                  {t.verify}
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
                {...passkeyWords(props.t.twoStep)}
                hidden
              >
                <input type="hidden" name="passkeyResponse" value="" />
                <p class="passkey-status" role="status" aria-live="polite"></p>
                <button type="submit" class={props.hasApp ? 'button' : 'button button-primary'}>
                  {t.useAPasskey}
                </button>
              </form>
            )}
          </>
        )}
        <p class="below-form">
          {recovery ? <a href="/login/two-step">{t.useAppInstead}</a> : <a href="/login/two-step/recovery-code">{t.useRecoveryCode}</a>}
          {' · '}
          <a href="/login">{t.startAgain}</a>
        </p>
      </section>
    </>
  )
}
