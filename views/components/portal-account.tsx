import type { StaffProfile } from '../../src/profile/staff-profile'
import { formatDateTime, lastDay } from '../../src/text/format'

// The Staff Portal tab's part for a signed-up person: their account's access, and the admin's
// password reset link.

export interface ResetPanelState {
  /** The dates the Expiration Date field allows, in the practice's time zone. */
  choices: { min: string; max: string; suggested: string }
  date?: string
  dateError?: string
  /** Shown once, right after Generate Link: the token is never stored, so it cannot be shown later. */
  generated?: { url: string; token: string; expiresAt: Date }
}

export function ResetLinkSection(props: { profile: StaffProfile; timeZone: string; reset: ResetPanelState }) {
  const { staff, resetLink } = props.profile
  const { choices, generated } = props.reset
  const base = `/staff/${staff.id}/portal/reset-links`
  const swap = { 'hx-target': '#portal-panel', 'hx-swap': 'outerHTML' }
  return (
    <section aria-labelledby="reset-heading" class="subsection">
      <h3 id="reset-heading">Password reset link</h3>
      <p class="field-hint section-intro">
        If they cannot get back in, give them a link to set a new password. You never see or set their password.
      </p>
      <form method="post" action={base} hx-post={base} {...swap} class="inline-form">
        <div class={props.reset.dateError ? 'field field-invalid' : 'field'}>
          <label for="field-expirationDate">Expiration Date</label>
          <p class="field-hint" id="field-expirationDate-hint">
            The link works until the end of this day, practice time.
          </p>
          <input
            id="field-expirationDate"
            name="expirationDate"
            type="date"
            min={choices.min}
            max={choices.max}
            value={props.reset.date ?? choices.suggested}
            required
            aria-invalid={props.reset.dateError ? 'true' : undefined}
            aria-describedby={props.reset.dateError ? 'field-expirationDate-hint field-expirationDate-error' : 'field-expirationDate-hint'}
          />
          {props.reset.dateError && (
            <p class="field-error" id="field-expirationDate-error">
              {props.reset.dateError}
            </p>
          )}
        </div>
        <button type="submit" class="button button-primary" id="generate-link">
          Generate Link
        </button>
      </form>
      {generated && (
        <div class="callout">
          <div class="field">
            <label for="field-resetLink">Reset Link</label>
            <p class="field-hint" id="field-resetLink-hint">
              To copy it, select the whole link and press Ctrl+C (⌘C on a Mac).
            </p>
            <input
              id="field-resetLink"
              type="text"
              readonly
              value={generated.url}
              class="mono"
              aria-describedby="field-resetLink-hint"
              data-select-on-focus=""
            />
          </div>
          <p class="field-hint">Works once, through {lastDay(generated.expiresAt, props.timeZone)} (practice time).</p>
          <div class="actions">
            {/* Hidden until app.js can copy: without JavaScript a button that does nothing would mislead. */}
            <button type="button" class="button" data-copy="#field-resetLink" id="copy-link" hidden>
              Copy Link
            </button>
            <form method="post" action={`${base}/email`} hx-post={`${base}/email`} {...swap}>
              <input type="hidden" name="token" value={generated.token} />
              <button type="submit" class="button" id="send-link">
                Send to Email
              </button>
            </form>
            <span class="copy-status" role="status" aria-live="polite"></span>
          </div>
        </div>
      )}
      {resetLink && !generated && (
        <div class="callout">
          <p>
            A reset link made {formatDateTime(resetLink.createdAt, props.timeZone)} works through{' '}
            {lastDay(resetLink.expiresAt, props.timeZone)}. Generate a new one to see or send it again.
          </p>
        </div>
      )}
      {resetLink && (
        <form method="post" action={`${base}/${resetLink.id}/revoke`} hx-post={`${base}/${resetLink.id}/revoke`} {...swap}>
          <button type="submit" class="button button-danger" id="revoke-link">
            Revoke
          </button>
        </form>
      )}
    </section>
  )
}

export function AccountControls(props: { profile: StaffProfile; timeZone: string }) {
  const { staff, account, loginFailures, loginHold, activeSessions } = props.profile
  if (!account) return null
  const action = `/staff/${staff.id}/portal/access`
  // Disable Portal Access and Sign Out Everywhere are answered with a confirmation first (server side).
  const button = (value: string, label: string, tone = '') => (
    <form method="post" action={action} hx-post={action} hx-target="#portal-panel" hx-swap="outerHTML">
      <input type="hidden" name="action" value={value} />
      <button type="submit" class={`button ${tone}`} id={`access-${value}`}>
        {label}
      </button>
    </form>
  )
  return (
    <section aria-labelledby="access-heading" class="subsection">
      <h3 id="access-heading">Account</h3>
      <dl class="details">
        <dt>Portal access</dt>
        <dd>
          {account.disabledAt ? (
            <strong class="text-error">Disabled {formatDateTime(account.disabledAt, props.timeZone)}</strong>
          ) : (
            'Enabled'
          )}
        </dd>
        <dt>Last login</dt>
        <dd>{account.lastLoginAt ? formatDateTime(account.lastLoginAt, props.timeZone) : 'Never'}</dd>
        <dt>Signed in on</dt>
        <dd>{activeSessions === 0 ? 'No devices' : `${activeSessions} device${activeSessions === 1 ? '' : 's'}`}</dd>
        {loginFailures > 0 && (
          <>
            <dt>Failed logins</dt>
            <dd>
              {loginFailures} in a row
              {loginHold === 'locked'
                ? ': login is locked until unlocked here.'
                : loginHold === 'throttled'
                  ? ': each new try must wait longer.'
                  : ''}
            </dd>
          </>
        )}
      </dl>
      <div class="actions">
        {account.disabledAt
          ? button('enable', 'Enable Portal Access', 'button-primary')
          : button('disable', 'Disable Portal Access', 'button-danger')}
        {activeSessions > 0 && button('end-sessions', 'Sign Out Everywhere')}
        {loginHold !== 'none' && button('unlock', 'Unlock')}
      </div>
    </section>
  )
}
