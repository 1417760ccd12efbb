import { Field } from '../components/field'
import type { SessionUser } from '../../src/auth/session'
import type { OwnProfile } from '../../src/profile/own-profile'
import { formatDateTime, fullName } from '../../src/text/format'
import { PageTitle } from '../components/page-title'

export function PortalHomePage(props: {
  user: SessionUser
  profile: OwnProfile
  currentSessionId: string
  notice?: string
  /** Beside the current password of "Sign out other sessions". */
  sessionsError?: string
}) {
  const { user, profile } = props
  const others = profile.sessions.filter((s) => s.id !== props.currentSessionId).length
  return (
    <>
      <PageTitle text="Your portal" />
      <h1>Welcome, {profile.firstName}</h1>
      {props.notice && (
        <p class="alert alert-info" role="status">
          {props.notice}
        </p>
      )}
      <section class="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading">Your profile</h2>
        <dl class="details">
          <dt>Name</dt>
          <dd>{fullName(profile)}</dd>
          <dt>Credentials</dt>
          <dd>{profile.credentials || '—'}</dd>
          <dt>Practice</dt>
          <dd>{user.practiceName}</dd>
          <dt>Signed in as</dt>
          <dd>{user.email}</dd>
          <dt>Email addresses</dt>
          <dd>
            <ul class="plain">
              {profile.emails.map((e) => (
                <li>
                  {e.email} {e.isPrimary && <span class="badge badge-muted">Primary</span>}
                </li>
              ))}
            </ul>
          </dd>
        </dl>
        <p class="field-hint">To change these details, ask your practice admin.</p>
      </section>
      <section class="card" aria-labelledby="security-heading">
        <div class="section-head">
          <h2 id="security-heading">Sign-in and security</h2>
          <a class="button" href="/portal/password">
            Change Password
          </a>
          <a class="button" href="/account/two-step">
            Two-Step Sign-In
          </a>
        </div>
        <h3>Where you are signed in</h3>
        <div class="table-scroll">
          <table class="table table-compact table-stack">
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Address</th>
                <th scope="col">Last seen</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {profile.sessions.map((s) => (
                <tr>
                  <td class="cell-key">
                    {s.device}
                    {s.id === props.currentSessionId && <span class="badge badge-success">This device</span>}
                  </td>
                  <td data-label="Address">{s.ip || '—'}</td>
                  <td data-label="Last seen">{formatDateTime(s.lastSeenAt, user.timeZone)}</td>
                  <td data-label="Actions">
                    {s.id !== props.currentSessionId && (
                      <form method="post" action={`/portal/sessions/${s.id}/end`}>
                        <button type="submit" class="button">
                          End<span class="visually-hidden"> the session of {s.device}</span>
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {others > 0 && (
          <form method="post" action="/portal/sessions/end-others" class="below-form stack" novalidate>
            <Field
              label="Current Password"
              name="currentPassword"
              type="password"
              error={props.sessionsError}
              required
              maxlength={1024}
              autocomplete="current-password"
              hint="To sign out your other sessions, confirm it is you."
            />
            <button type="submit" class="button">
              Sign out other sessions
            </button>
          </form>
        )}
      </section>
    </>
  )
}
