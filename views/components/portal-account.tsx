import type { StaffProfile } from '../../src/profile/staff-profile'
import { formatDateTime } from '../../src/text/format'

// The Staff Portal tab's part for a signed-up person: their account's access and two-step sign-in.

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
      <TwoStepState profile={props.profile} />
    </section>
  )
}

/** What guards the account after its password, and the admin's way to clear it for a person who lost it all. */
function TwoStepState(props: { profile: StaffProfile }) {
  const { staff, twoStep } = props.profile
  const on = twoStep.app || twoStep.passkeys.length > 0
  const action = `/staff/${staff.id}/portal/two-step/reset`
  return (
    <>
      <h4 id="two-step-heading">Two-step sign-in</h4>
      <dl class="details" aria-labelledby="two-step-heading">
        <dt>Status</dt>
        <dd>{on ? 'On' : 'Off'}</dd>
        {on && (
          <>
            <dt>Authenticator app</dt>
            <dd>{twoStep.app ? 'On' : 'None'}</dd>
            <dt>Passkeys</dt>
            <dd>{twoStep.passkeys.length === 0 ? 'None' : twoStep.passkeys.join(', ')}</dd>
            <dt>Recovery codes left</dt>
            <dd>{twoStep.recoveryCodesLeft} of 10</dd>
          </>
        )}
      </dl>
      {on && (
        <div class="actions">
          {/* Asks first: a confirmation page without script, the dialog with it (src/routes/confirm.tsx). */}
          <form method="post" action={action} hx-post={action} hx-target="#portal-panel" hx-swap="outerHTML">
            <button type="submit" class="button button-danger">
              Reset Two-Step Sign-In
            </button>
          </form>
        </div>
      )}
    </>
  )
}
