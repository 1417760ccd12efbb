import type { StaffProfile } from '../../src/profile/staff-profile'
import { formatDateTime, lastDay } from '../../src/text/format'

// The admin's password reset link on the Staff Portal tab: Generate Link (asking before it
// replaces a link that still works), then Copy Link and Send to Email, and Revoke. Its routes
// are src/routes/staff/reset-links.tsx.

export interface ResetPanelState {
  /** The dates the Expiration Date field allows, in the practice's time zone. */
  choices: { min: string; max: string; suggested: string }
  date?: string
  dateError?: string
  /** Shown once, right after Generate Link: the token is never stored, so it cannot be shown later. */
  generated?: { url: string; token: string; expiresAt: Date }
  /** Generate Link met a link that still works: the admin confirms before it is replaced. */
  confirmReplace?: { createdAt: Date; expiresAt: Date; emailedTo: string | null }
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
      {props.reset.confirmReplace ? (
        <ConfirmReplace
          base={base}
          date={props.reset.date ?? choices.suggested}
          live={props.reset.confirmReplace}
          timeZone={props.timeZone}
        />
      ) : (
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
              aria-describedby={
                props.reset.dateError ? 'field-expirationDate-hint field-expirationDate-error' : 'field-expirationDate-hint'
              }
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
      )}
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

/** Asked before a live link is replaced: without JavaScript this is the page itself. */
function ConfirmReplace(props: { base: string; date: string; live: NonNullable<ResetPanelState['confirmReplace']>; timeZone: string }) {
  const { live } = props
  return (
    <div class="callout" role="group" aria-labelledby="replace-heading">
      <h4 id="replace-heading">Replace the reset link that still works?</h4>
      <p>
        A reset link made {formatDateTime(live.createdAt, props.timeZone)} works through {lastDay(live.expiresAt, props.timeZone)}.{' '}
        {live.emailedTo ? `It was emailed to ${live.emailedTo}.` : 'It was not emailed.'} A new link stops that one from working.
      </p>
      <div class="actions">
        <form method="post" action={props.base} hx-post={props.base} hx-target="#portal-panel" hx-swap="outerHTML">
          <input type="hidden" name="expirationDate" value={props.date} />
          <input type="hidden" name="replace" value="yes" />
          <button type="submit" class="button button-primary" id="generate-link">
            Generate Link
          </button>
        </form>
        <a class="button" href={props.base.replace(/\/reset-links$/, '')}>
          Keep the Current Link
        </a>
      </div>
    </div>
  )
}
