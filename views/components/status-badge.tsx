import type { PortalStatus } from '../../src/staff/portal-status'

const tone: Record<PortalStatus, string> = {
  'Yet to sign up': 'badge-neutral',
  'Signup initiated': 'badge-pending',
  'Signed up': 'badge-success',
}

export function StatusBadge(props: { status: PortalStatus; id?: string }) {
  return (
    <span class={`badge ${tone[props.status]}`} id={props.id}>
      {props.status}
    </span>
  )
}
