import { raw } from 'hono/html'
import type { SessionUser } from '../../src/auth/session'
import type { TwoStepStatus } from '../../src/two-step/two-step'
import { CodeField } from '../components/code-field'
import { Field } from '../components/field'
import { formatDateTime } from '../../src/text/format'
import type { Messages } from '../../src/text/messages'
import { PageTitle } from '../components/page-title'
import { passkeyWords } from '../components/passkey-words'

export const TWO_STEP_PATH = '/account/two-step'

export interface TotpSetupView {
  /** The QR code as an inline SVG (drawn on the server: no script, no remote image). */
  qrSvg: string
  setupKey: string
}

export interface TwoStepPageProps {
  t: Messages
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

/** The SVG with its role and name on the element itself, so screen readers meet one image. */
const labelledSvg = (svg: string, label: string) =>
  svg.replace('<svg ', `<svg role="img" aria-label="${label.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)}" class="qr-code" `)

export function TwoStepPage(props: TwoStepPageProps) {
  const { user, status, errors = {} } = props
  const t = props.t.twoStep
  const lang = user.language
  const when = (date: Date) => formatDateTime(date, user.timeZone, lang)
  return (
    <>
      <PageTitle text={props.setUpRequired ? t.setUpTitle : t.title} />
      <h1>{props.setUpRequired ? t.setUpTitle : t.title}</h1>
      {props.setUpRequired && (
        <p class="alert alert-info" role="status">
          {t.required(user.practiceName)}
        </p>
      )}
      {props.notice && (
        <p class="alert alert-info" role="status">
          {props.notice}
        </p>
      )}
      <p>{status.on ? t.isOn : t.isOff}</p>

      {props.recoveryCodes && (
        <section class="card" aria-labelledby="recovery-codes-heading">
          <h2 id="recovery-codes-heading">{t.recoveryCodes}</h2>
          <p>
            {t.keepCodes} <strong>{t.shownOnce}</strong>
          </p>
          <p>
            <a class="button button-primary" href="/">
              {t.keptCodes}
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
        <h2 id="app-heading">{t.appHeading}</h2>
        {status.totp.status === 'on' && (
          <div class="section-head">
            <p>
              <span class="badge badge-success">{t.on}</span> {status.totp.enabledAt && t.since(when(status.totp.enabledAt))}
              {status.locked.includes('totp') && <> · {t.appLocked}</>}
            </p>
            <form method="get" action={`${TWO_STEP_PATH}/remove/app`}>
              <button type="submit" class="button" aria-label={t.removeApp}>
                {t.remove}
              </button>
            </form>
          </div>
        )}
        {status.totp.status !== 'on' && !props.setup && (
          <form method="post" action={`${TWO_STEP_PATH}/app/setup`}>
            <p>{t.appIntro}</p>
            <button type="submit" class="button button-primary">
              {t.setUpApp}
            </button>
          </form>
        )}
        {props.setup && (
          <div class="stack">
            <p>{t.scan}</p>
            <div class="qr">{raw(labelledSvg(props.setup.qrSvg, t.qrLabel))}</div>
            <Field label={t.setupKey} name="setupKey" value={props.setup.setupKey} readonly autocomplete="off" />
            <form method="post" action={`${TWO_STEP_PATH}/app/turn-on`} class="stack" novalidate>
              <CodeField label={t.authenticationCode} required error={errors.code} autofocus={Boolean(errors.code)} />
              <div class="actions">
                <button type="submit" class="button button-primary">
                  {t.turnOn}
                </button>
              </div>
            </form>
          </div>
        )}
      </section>

      <section class="card" aria-labelledby="passkeys-heading">
        <h2 id="passkeys-heading">{t.passkeysHeading}</h2>
        <p>{t.passkeysIntro}</p>
        {status.locked.includes('passkey') && <p>{t.passkeysLocked}</p>}
        {status.passkeys.length > 0 && (
          <ul class="plain">
            {status.passkeys.map((passkey) => (
              <li class="section-head">
                <span>
                  <strong>{passkey.name}</strong> · {t.added(when(passkey.createdAt))}
                  {passkey.lastUsedAt && <> · {t.lastUsed(when(passkey.lastUsedAt))}</>}
                </span>
                <form method="get" action={`${TWO_STEP_PATH}/remove/passkey/${passkey.id}`}>
                  <button type="submit" class="button" aria-label={t.removeNamed(passkey.name)}>
                    {t.remove}
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
          {...passkeyWords(t)}
          hidden
          novalidate
        >
          <Field
            label={t.passkeyName}
            name="name"
            value={props.passkeyName}
            maxlength={60}
            required
            error={errors.passkeyName}
            hint={t.passkeyNameHint}
          />
          <input type="hidden" name="credential" value="" />
          <p class="passkey-status" role="status" aria-live="polite"></p>
          <div class="actions">
            <button type="submit" class="button button-primary">
              {t.addPasskey}
            </button>
          </div>
        </form>
      </section>

      <section class="card" aria-labelledby="codes-heading">
        <h2 id="codes-heading">{props.recoveryCodes ? t.yourRecoveryCodes : t.recoveryCodes}</h2>
        {status.on ? (
          <div class="section-head">
            <p>{t.codesLeft(status.recoveryCodesLeft)}</p>
            <form method="get" action={`${TWO_STEP_PATH}/recovery-codes/new`}>
              <button type="submit" class="button">
                {t.newRecoveryCodes}
              </button>
            </form>
          </div>
        ) : (
          <p>{t.codesWhenOn}</p>
        )}
      </section>
    </>
  )
}
