import type { InvitationView, StaffProfile } from '../../src/profile/staff-profile'
import { formatDateTime } from '../../src/text/format'
import { ActivityTable } from './activity-table'
import { LoginEmailSection, type LoginEmailFormState } from './login-email'
import { AccountControls } from './portal-account'
import { ResetLinkSection, type ResetPanelState } from './reset-link'
import { StatusBadge } from './status-badge'

export type { LoginEmailFormState, ResetPanelState }

const stateLabel: Record<InvitationView['state'], string> = {
  valid: 'Waiting for sign-up',
  used: 'Account created',
  revoked: 'Revoked',
  replaced: 'Replaced by a newer invitation',
  expired: 'Expired',
}

const revokedBecause: Record<NonNullable<InvitationView['revokedReason']>, string> = {
  'address-removed': 'the address was removed from the profile',
  inactive: 'the profile was made inactive',
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
        <form method="post" action={`${base}/revoke`} hx-post={`${base}/revoke`} hx-target="#portal-panel" hx-swap="outerHTML">
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
      <table class="table table-compact table-stack">
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
              <td class="cell-key">{formatDateTime(i.createdAt, props.timeZone)}</td>
              <td data-label="To" class="cell-email">
                {i.email}
              </td>
              <td data-label="By">{i.invitedBy ?? '—'}</td>
              <td data-label="Email">
                {i.delivery?.status === 'failed' ? 'Not delivered' : i.delivery?.status === 'sent' ? 'Delivered' : 'Queued'}
              </td>
              <td data-label="Link">
                {stateLabel[i.state]}
                {i.state === 'expired' && `, ${formatDateTime(i.expiresAt, props.timeZone)}`}
                {i.state === 'revoked' && i.revokedReason && `: ${revokedBecause[i.revokedReason]}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
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
export function PortalPanel(props: {
  profile: StaffProfile
  timeZone: string
  reset: ResetPanelState
  loginEmail?: LoginEmailFormState
  error?: string
}) {
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
      {/* Only what fits the state: a pending invitation offers Resend and Revoke (above), none Send Invitation. */}
      {!account && pending && props.error && (
        <p class="field-error" id="invite-error">
          {props.error}
        </p>
      )}
      {!account && !pending && <SendForm profile={props.profile} error={props.error} />}
      {account && <AccountControls profile={props.profile} timeZone={props.timeZone} />}
      {account && <LoginEmailSection profile={props.profile} timeZone={props.timeZone} form={props.loginEmail} />}
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
