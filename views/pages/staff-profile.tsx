import type { SessionUser } from '../../src/auth/session'
import type { StaffProfile } from '../../src/profile/staff-profile'
import { fullName } from '../../src/text/format'
import { PanelStatus, PortalPanel, type LoginEmailFormState, type PanelMessage, type ResetPanelState } from '../components/portal-panel'
import { AccessLevelSection } from '../components/access-level'
import { PageTitle } from '../components/page-title'

export type ProfileTab = 'details' | 'portal'

function Tabs(props: { staffId: string; tab: ProfileTab }) {
  const tabs = [
    { id: 'details', label: 'Details', href: `/staff/${props.staffId}` },
    { id: 'portal', label: 'Staff Portal', href: `/staff/${props.staffId}/portal` },
  ] as const
  return (
    <nav class="tabs" aria-label="Profile sections">
      {tabs.map((t) => (
        <a href={t.href} aria-current={props.tab === t.id ? 'page' : undefined}>
          {t.label}
        </a>
      ))}
    </nav>
  )
}

function Details(props: { profile: StaffProfile; user: SessionUser; message?: PanelMessage; error?: string }) {
  const { staff, emails } = props.profile
  return (
    <section class="card" aria-labelledby="details-heading">
      <div class="section-head">
        <h2 id="details-heading">Details</h2>
        <a class="button" href={`/staff/${staff.id}/edit`}>
          Edit
        </a>
      </div>
      <dl class="details">
        <dt>Name</dt>
        <dd>{fullName(staff)}</dd>
        <dt>Credentials</dt>
        <dd>{staff.credentials || '—'}</dd>
        <dt>Phone</dt>
        <dd>{staff.phone || '—'}</dd>
        <dt>Email addresses</dt>
        <dd>
          <ul class="plain">
            {emails.map((e) => (
              <li>
                {e.email} {e.isPrimary && <span class="badge badge-muted">Primary</span>}
              </li>
            ))}
          </ul>
        </dd>
        <dt>Status</dt>
        <dd>{staff.isActive ? 'Active' : 'Inactive'}</dd>
      </dl>
      <AccessLevelSection person={staff} isSelf={staff.id === props.user.staffId} message={props.message} error={props.error} />
    </section>
  )
}

export function StaffProfilePage(props: {
  user: SessionUser
  profile: StaffProfile
  tab: ProfileTab
  reset: ResetPanelState
  loginEmail?: LoginEmailFormState
  notice?: string
  message?: PanelMessage
  error?: string
}) {
  const { staff } = props.profile
  return (
    <>
      <PageTitle text={fullName(staff)} />
      <p class="breadcrumb">
        <a href="/staff">Staffs</a>
      </p>
      <div class="page-head">
        <h1>
          {fullName(staff)}
          {staff.credentials && <span class="credentials">, {staff.credentials}</span>}
        </h1>
      </div>
      {props.notice && (
        <p class="alert alert-info" role="status">
          {props.notice}
        </p>
      )}
      <Tabs staffId={staff.id} tab={props.tab} />
      {props.tab === 'details' ? (
        <Details profile={props.profile} user={props.user} message={props.message} error={props.error} />
      ) : (
        <>
          <PanelStatus message={props.message} />
          <PortalPanel
            profile={props.profile}
            timeZone={props.user.timeZone}
            reset={props.reset}
            loginEmail={props.loginEmail}
            error={props.error}
          />
        </>
      )}
    </>
  )
}
