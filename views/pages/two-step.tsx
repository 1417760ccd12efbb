import { raw } from 'hono/html'
import type { SessionUser } from '../../src/auth/session'
import type { TwoStepStatus } from '../../src/two-step/two-step'
import { Field } from '../components/field'
import { formatDateTime } from '../../src/text/format'
import { PageTitle } from '../components/page-title'

export const TWO_STEP_PATH = '/account/two-step'

export interface TotpSetupView {
  /** The QR code as an inline SVG (drawn on the server: no script, no remote image). */
  qrSvg: string
  setupKey: string
}

export interface TwoStepPageProps {
  user: SessionUser
  status: TwoStepStatus
  setup?: TotpSetupView
  /** Shown once, right after they were made. */
  recoveryCodes?: string[]
  notice?: string
  errors?: { code?: string; passkeyName?: string; passkey?: string }
  passkeyName?: string
  /** The practice requires two-step sign-in and this person has no factor yet: nothing else opens. */
  setUpRequired?: boolean
}

const QR_LABEL = 'QR code to scan with your authenticator app'

/** The SVG with its role and name on the element itself, so screen readers meet one image. */
const labelledSvg = (svg: string) => svg.replace('<svg ', `<svg role="img" aria-label="${QR_LABEL}" class="qr-code" `)

export function TwoStepPage(props: TwoStepPageProps) {
  const { user, status, errors = {} } = props
  return (
    <>
      <PageTitle text={props.setUpRequired ? 'Set Up Two-Step Sign-In' : 'Two-Step Sign-In'} />
      <h1>{props.setUpRequired ? 'Set Up Two-Step Sign-In' : 'Two-Step Sign-In'}</h1>
      {props.setUpRequired && (
        <p class="alert alert-info" role="status">
          {user.practiceName} requires two-step sign-in. Set up an authenticator app, or a passkey if this device has one, to continue.
        </p>
      )}
      {props.notice && (
        <p class="alert alert-info" role="status">
          {props.notice}
        </p>
      )}
      <p>
        {status.on
          ? 'Two-step sign-in is on: after your password, you also use your authenticator app or a passkey.'
          : 'Two-step sign-in is off. Add an authenticator app or a passkey so that your password alone is not enough to sign in as you.'}
      </p>

      {props.recoveryCodes && (
        <section class="card" aria-labelledby="recovery-codes-heading">
          <h2 id="recovery-codes-heading">Recovery Codes</h2>
          <p>
            Keep these somewhere safe, such as a password manager or a printed page. Each works once, in place of your app or passkey, if
            you lose them. <strong>They are shown only now.</strong>
          </p>
          <p>
            <a class="button button-primary" href="/">
              I Kept My Codes, Continue
            </a>
          </p>
          <ul class="recovery-codes">
            {props.recoveryCodes.map((code) => (
              <li>
                <code>{code}</code>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section class="card" aria-labelledby="app-heading">
        <h2 id="app-heading">Authenticator app</h2>
        {status.totp.status === 'on' && (
          <div class="section-head">
            <p>
              <span class="badge badge-success">On</span>{' '}
              {status.totp.enabledAt && <>since {formatDateTime(status.totp.enabledAt, user.timeZone)}</>}
              {status.locked.includes('totp') && <> · locked after too many wrong codes: ask your practice admin</>}
            </p>
            <form method="get" action={`${TWO_STEP_PATH}/remove/app`}>
              <button type="submit" class="button" aria-label="Remove authenticator app">
                Remove
              </button>
            </form>
          </div>
        )}
        {status.totp.status !== 'on' && !props.setup && (
          <form method="post" action={`${TWO_STEP_PATH}/app/setup`}>
            <p>Use an app such as Google Authenticator, Microsoft Authenticator or 1Password to make a new code every 30 seconds.</p>
            <button type="submit" class="button button-primary">
              Set Up Authenticator App
            </button>
          </form>
        )}
        {props.setup && (
          <div class="stack">
            <p>Scan this code with your authenticator app, or type the setup key into it. Then enter the code it shows.</p>
            <div class="qr">{raw(labelledSvg(props.setup.qrSvg))}</div>
            <Field label="Setup Key" name="setupKey" value={props.setup.setupKey} readonly autocomplete="off" />
            <form method="post" action={`${TWO_STEP_PATH}/app/turn-on`} class="stack" novalidate>
              <Field
                label="Authentication Code"
                name="code"
                inputmode="numeric"
                autocomplete="one-time-code"
                maxlength={12}
                required
                error={errors.code}
                autofocus={Boolean(errors.code)}
              />
              <div class="actions">
                <button type="submit" class="button button-primary">
                  Turn On
                </button>
              </div>
            </form>
          </div>
        )}
      </section>

      <section class="card" aria-labelledby="passkeys-heading">
        <h2 id="passkeys-heading">Passkeys</h2>
        <p>A passkey signs you in with your device's fingerprint, face or PIN, and cannot be used on a look-alike site.</p>
        {status.locked.includes('passkey') && <p>Your passkeys are locked after too many failed tries: ask your practice admin.</p>}
        {status.passkeys.length > 0 && (
          <ul class="plain">
            {status.passkeys.map((passkey) => (
              <li class="section-head">
                <span>
                  <strong>{passkey.name}</strong> · added {formatDateTime(passkey.createdAt, user.timeZone)}
                  {passkey.lastUsedAt && <> · last used {formatDateTime(passkey.lastUsedAt, user.timeZone)}</>}
                </span>
                <form method="get" action={`${TWO_STEP_PATH}/remove/passkey/${passkey.id}`}>
                  <button type="submit" class="button" aria-label={`Remove ${passkey.name}`}>
                    Remove
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        {errors.passkey && (
          <p class="alert alert-error" role="alert">
            {errors.passkey}
          </p>
        )}
        {/* Offered once public/passkey.js finds WebAuthn in the browser: without script there is nothing to press. */}
        <form
          method="post"
          action={`${TWO_STEP_PATH}/passkeys`}
          class="stack"
          data-passkey="register"
          data-options={`${TWO_STEP_PATH}/passkeys/options`}
          data-webauthn
          hidden
          novalidate
        >
          <Field
            label="Passkey Name"
            name="name"
            value={props.passkeyName}
            maxlength={60}
            required
            error={errors.passkeyName}
            hint="Such as “Work laptop” or “Phone”."
          />
          <input type="hidden" name="credential" value="" />
          <p class="passkey-status" role="status" aria-live="polite"></p>
          <div class="actions">
            <button type="submit" class="button button-primary">
              Add Passkey
            </button>
          </div>
        </form>
      </section>

      <section class="card" aria-labelledby="codes-heading">
        <h2 id="codes-heading">{props.recoveryCodes ? 'Your recovery codes' : 'Recovery Codes'}</h2>
        {status.on ? (
          <div class="section-head">
            <p>{status.recoveryCodesLeft} of 10 recovery codes left. Each works once if you lose your app and passkeys.</p>
            <form method="get" action={`${TWO_STEP_PATH}/recovery-codes/new`}>
              <button type="submit" class="button">
                New Recovery Codes
              </button>
            </form>
          </div>
        ) : (
          <p>You get 10 recovery codes when you turn on two-step sign-in.</p>
        )}
      </section>
      <script src="/passkey.js" defer></script>
    </>
  )
}
