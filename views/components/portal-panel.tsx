import type { StaffProfile, InvitationView } from '../../src/staff/staff'
import type { InvitationState } from '../../src/staff/portal-status'
import { isLocked, isThrottled } from '../../src/auth/throttle'
import { formatDateTime, lastDay } from '../format'
import { ActivityTable } from './activity-table'
import { StatusBadge } from './status-badge'

const stateLabel: Record<InvitationState, string> = {
  pending: 'Waiting for sign-up',
  used: 'Account created',
  revoked: 'Revoked',
  replaced: 'Replaced by a newer invitation',
  expired: 'Expired',
}

export interface PanelMessage {
  tone: 'info' | 'error'
  text: string
}

function Pending(props: { staffId: string; invitation: InvitationView; timeZone: string }) {
  const { invitation, staffId, timeZone } = props
  const base = `/staff/${staffId}/portal/invitations/${invitation.id}`
  const failed = invitation.delivery?.status === 'failed'
  return (
    <div class={failed ? 'callout callout-error' : 'callout'}>
      <p>
        Invitation sent to <strong>{invitation.email}</strong> on {formatDateTime(invitation.createdAt, timeZone)}; the link expires{' '}
        {formatDateTime(invitation.expiresAt, timeZone)}.
      </p>
      {failed && (
        <p class="delivery-failed">
          <strong>The email was not delivered</strong> ({invitation.delivery?.error}). Retry sends it again with a fresh link.
        </p>
      )}
      <div class="actions">
        {failed && (
          <form method="post" action={`${base}/retry`} hx-post={`${base}/retry`} hx-target="#portal-panel" hx-swap="outerHTML">
            <button type="submit" class="button button-primary" id="retry-invitation">
              Retry
            </button>
          </form>
        )}
        <form
          method="post"
          action={`/staff/${staffId}/portal/invitations`}
          hx-post={`/staff/${staffId}/portal/invitations`}
          hx-target="#portal-panel"
          hx-swap="outerHTML"
        >
          <input type="hidden" name="email" value={invitation.email} />
          <button type="submit" class="button" id="resend-invitation">
            Resend
          </button>
        </form>
        <form
          method="post"
          action={`${base}/revoke`}
          hx-post={`${base}/revoke`}
          hx-target="#portal-panel"
          hx-swap="outerHTML"
          hx-confirm="Revoke this invitation? Its link will stop working."
        >
          <button type="submit" class="button button-danger" id="revoke-invitation">
            Revoke
          </button>
        </form>
      </div>
    </div>
  )
}

function SendForm(props: { profile: StaffProfile; error?: string }) {
  const { staff, emails, pending } = props.profile
  const chosen = pending?.email ?? emails.find((e) => e.isPrimary)?.email ?? emails[0]?.email
  const action = `/staff/${staff.id}/portal/invitations`
  return (
    <form method="post" action={action} hx-post={action} hx-target="#portal-panel" hx-swap="outerHTML" class="stack">
      <fieldset aria-describedby={props.error ? 'invite-error' : undefined}>
        <legend>Send the invitation to</legend>
        {emails.map((e) => (
          <label class="radio-line">
            <input type="radio" name="email" value={e.email} checked={e.email === chosen} />
            {e.email}
            {e.isPrimary && <span class="badge badge-muted">Primary</span>}
          </label>
        ))}
        {props.error && (
          <p class="field-error" id="invite-error">
            {props.error}
          </p>
        )}
      </fieldset>
      <button type="submit" class="button button-primary" disabled={!staff.isActive} id="send-invitation">
        Send Invitation
      </button>
      {!staff.isActive && <p class="field-hint">This profile is inactive. Make it active to invite them.</p>}
    </form>
  )
}

function History(props: { invitations: InvitationView[]; timeZone: string }) {
  if (props.invitations.length === 0) return null
  return (
    <>
      <h3>Invitation history</h3>
      <table class="table table-compact">
        <thead>
          <tr>
            <th scope="col">Sent</th>
            <th scope="col">To</th>
            <th scope="col">By</th>
            <th scope="col">Email</th>
            <th scope="col">Link</th>
          </tr>
        </thead>
        <tbody>
          {props.invitations.map((i) => (
            <tr>
              <td>{formatDateTime(i.createdAt, props.timeZone)}</td>
              <td>{i.email}</td>
              <td>{i.invitedBy ?? '—'}</td>
              <td>{i.delivery?.status === 'failed' ? 'Not delivered' : i.delivery?.status === 'sent' ? 'Delivered' : 'Queued'}</td>
              <td>
                {stateLabel[i.state]}
                {i.state === 'expired' && `, ${formatDateTime(i.expiresAt, props.timeZone)}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

export interface ResetPanelState {
  /** The dates the Expiration Date field allows, in the practice's time zone. */
  choices: { min: string; max: string; suggested: string }
  date?: string
  dateError?: string
  /** Shown once, right after Generate Link: the token is never stored, so it cannot be shown later. */
  generated?: { url: string; token: string; expiresAt: Date }
}

function ResetLinkSection(props: { profile: StaffProfile; timeZone: string; reset: ResetPanelState }) {
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
            <input id="field-resetLink" type="text" readonly value={generated.url} class="mono" />
          </div>
          <p class="field-hint">Works once, through {lastDay(generated.expiresAt, props.timeZone)} (practice time).</p>
          <div class="actions">
            <button type="button" class="button" data-copy="#field-resetLink" id="copy-link">
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
        <form
          method="post"
          action={`${base}/${resetLink.id}/revoke`}
          hx-post={`${base}/${resetLink.id}/revoke`}
          {...swap}
          hx-confirm="Revoke this reset link? It will stop working."
        >
          <button type="submit" class="button button-danger" id="revoke-link">
            Revoke
          </button>
        </form>
      )}
    </section>
  )
}

function AccountControls(props: { profile: StaffProfile; timeZone: string }) {
  const { staff, account, loginFailures, activeSessions } = props.profile
  if (!account) return null
  const action = `/staff/${staff.id}/portal/access`
  const button = (value: string, label: string, tone = '', confirm?: string) => (
    <form method="post" action={action} hx-post={action} hx-target="#portal-panel" hx-swap="outerHTML" hx-confirm={confirm}>
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
              {isLocked(loginFailures)
                ? ': login is locked until unlocked here.'
                : isThrottled(loginFailures)
                  ? ': each new try must wait longer.'
                  : ''}
            </dd>
          </>
        )}
      </dl>
      <div class="actions">
        {account.disabledAt
          ? button('enable', 'Enable Portal Access', 'button-primary')
          : button(
              'disable',
              'Disable Portal Access',
              'button-danger',
              'Disable portal access? They are signed out at once and cannot log in until you enable it again.',
            )}
        {activeSessions > 0 && button('end-sessions', 'Sign Out Everywhere', '', 'Sign them out on every device?')}
        {isThrottled(loginFailures) && button('unlock', 'Unlock')}
      </div>
    </section>
  )
}

function Activity(props: { profile: StaffProfile; timeZone: string }) {
  const { activity, staff } = props.profile
  return (
    <section aria-labelledby="activity-heading" class="subsection">
      <h3 id="activity-heading">Activity</h3>
      {activity.length === 0 ? <p class="muted">Nothing yet.</p> : <ActivityTable rows={activity} timeZone={props.timeZone} />}
      <p>
        <a href={`/activity?staff=${staff.id}`}>All activity for this person</a>
      </p>
    </section>
  )
}

/**
 * The outcome of the last action. It stays outside the swapped panel so screen readers
 * announce its new text; htmx fills it out of band, and app.js moves focus to it when the
 * button that had focus was swapped away.
 */
export function PanelStatus(props: { message?: PanelMessage; oob?: boolean }) {
  return (
    <div id="panel-status" class="panel-message" role="status" tabindex={-1} hx-swap-oob={props.oob ? 'innerHTML' : undefined}>
      {props.message && <p class={props.message.tone === 'error' ? 'alert alert-error' : 'alert alert-info'}>{props.message.text}</p>}
    </div>
  )
}

/** The Staff Portal tab's body; htmx swaps it whole after each action. */
export function PortalPanel(props: { profile: StaffProfile; timeZone: string; reset: ResetPanelState; error?: string }) {
  const { staff, account, status, pending, invitations } = props.profile
  const latest = invitations[0]
  return (
    <section class="card" aria-labelledby="portal-heading" id="portal-panel">
      <div class="section-head">
        <h2 id="portal-heading">Staff Portal</h2>
        <StatusBadge status={status} id="portal-status" />
      </div>
      {account ? (
        <p>
          Account created {formatDateTime(account.createdAt, props.timeZone)} for <strong>{account.email}</strong>.
          {account.lastLoginAt ? ` Last login ${formatDateTime(account.lastLoginAt, props.timeZone)}.` : ' Has not logged in yet.'}
        </p>
      ) : pending ? (
        <Pending staffId={staff.id} invitation={pending} timeZone={props.timeZone} />
      ) : latest?.state === 'expired' ? (
        <p>The last invitation expired on {formatDateTime(latest.expiresAt, props.timeZone)}. Send a new one below.</p>
      ) : latest?.state === 'revoked' ? (
        <p>The last invitation was revoked. Send a new one when they are ready.</p>
      ) : (
        <p>This staff member has no portal account yet.</p>
      )}
      {!account && <SendForm profile={props.profile} error={props.error} />}
      {account && <AccountControls profile={props.profile} timeZone={props.timeZone} />}
      {account && <ResetLinkSection profile={props.profile} timeZone={props.timeZone} reset={props.reset} />}
      {account && (
        <>
          <h3>Email addresses on file</h3>
          <ul class="plain">
            {props.profile.emails.map((e) => (
              <li>
                {e.email} {e.isPrimary && <span class="badge badge-muted">Primary</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      <History invitations={invitations} timeZone={props.timeZone} />
      <Activity profile={props.profile} timeZone={props.timeZone} />
    </section>
  )
}
