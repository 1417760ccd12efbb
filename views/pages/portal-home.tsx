import type { SessionUser } from '../../src/auth/session'
import { fullName } from '../format'
import { Layout } from '../layout'

export function PortalHomePage(props: {
  user: SessionUser
  profile: { firstName: string; lastName: string; credentials: string; phone: string; emails: { email: string; isPrimary: boolean }[] }
}) {
  const { user, profile } = props
  return (
    <Layout title="Your portal" user={user} current="portal">
      <h1>Welcome, {profile.firstName}</h1>
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
    </Layout>
  )
}
