import type { PanelMessage } from './portal-panel'
import { fullName } from '../../src/text/format'

export interface AccessLevelPerson {
  id: string
  firstName: string
  lastName: string
  role: 'staff' | 'admin'
}

/** What the button does, in the words of its label and of its confirmation. */
export function accessChange(person: AccessLevelPerson, isSelf: boolean) {
  const name = fullName(person)
  if (person.role === 'admin')
    return {
      to: 'staff' as const,
      label: 'Remove Admin',
      question: isSelf ? 'Remove your own admin access?' : `Remove admin access from ${name}?`,
      consequence: isSelf
        ? 'You will no longer see the Staffs tab or Practice Settings, and you will be logged out now.'
        : `${name} will no longer see the Staffs tab or Practice Settings. Their open sessions end now.`,
    }
  return {
    to: 'admin' as const,
    label: 'Make Admin',
    question: `Make ${name} an admin?`,
    consequence: `${name} will be able to add and edit staff, send invitations and reset links, change access levels and the practice settings. Their open sessions end now; they get admin access at their next login.`,
  }
}

/** The access level on a profile's Details tab; htmx swaps it whole after a change. */
export function AccessLevelSection(props: { person: AccessLevelPerson; isSelf: boolean; message?: PanelMessage; error?: string }) {
  const { person } = props
  const change = accessChange(person, props.isSelf)
  const action = `/staff/${person.id}/access-level`
  return (
    <section class="subsection" id="access-level" aria-labelledby="access-level-heading">
      <h3 id="access-level-heading">Access level</h3>
      <p>
        <strong id="access-level-value">{person.role === 'admin' ? 'Admin' : 'Staff'}</strong>
        <span class="muted">
          {' '}
          — {person.role === 'admin' ? 'manages staff, invitations and practice settings.' : 'sees their own portal only.'}
        </span>
      </p>
      <div role="status" class="panel-message">
        {props.message && <p class={props.message.tone === 'error' ? 'alert alert-error' : 'alert alert-info'}>{props.message.text}</p>}
      </div>
      {props.error && (
        <p class="alert alert-error" role="alert" id="access-level-error">
          {props.error}
        </p>
      )}
      {/* The post (no confirm field) answers with the confirmation: a dialog over htmx, else a page. */}
      <form method="post" action={action} hx-post={action} hx-target="#access-level" hx-swap="outerHTML">
        <input type="hidden" name="role" value={change.to} />
        <button type="submit" class={person.role === 'admin' ? 'button button-danger' : 'button'} id="change-access-level">
          {change.label}
        </button>
      </form>
    </section>
  )
}
