import { PageTitle } from './page-title'

/**
 * What a destructive action asks before it acts. The route answers an unconfirmed post with
 * this: as a page without JavaScript, as a <dialog> that app.js opens with htmx. The confirming
 * button repeats the action's name and posts the same fields with confirm=yes.
 */
export interface Confirmation {
  /** The question, e.g. "Revoke this invitation?": the page's heading or the dialog's name. */
  question: string
  consequence: string
  /** The confirming button: the action's own name ("Revoke", "Send 24 Invitations"). */
  label: string
  action: string
  /** Posted again with confirm=yes; pairs, since a name may repeat (staffId). */
  fields: [name: string, value: string][]
  tone: 'danger' | 'primary'
  /** Where Cancel goes without JavaScript. */
  cancelHref: string
  /** What htmx swaps with the confirmed answer; none posts the whole page. */
  target?: string
  /** Extra lines under the consequence (e.g. who is skipped and why). */
  details?: string[]
}

function ConfirmForm(props: { confirmation: Confirmation; htmx: boolean }) {
  const { action, fields, target, label, tone } = props.confirmation
  const swap = props.htmx && target ? { 'hx-post': action, 'hx-target': target, 'hx-swap': 'outerHTML' } : {}
  return (
    <form method="post" action={action} {...swap}>
      {fields.map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <input type="hidden" name="confirm" value="yes" />
      <button type="submit" class={tone === 'danger' ? 'button button-danger' : 'button button-primary'} data-confirm-button="">
        {label}
      </button>
    </form>
  )
}

function Details(props: { lines?: string[] }) {
  if (!props.lines || props.lines.length === 0) return null
  return (
    <ul class="confirm-details">
      {props.lines.map((line) => (
        <li>{line}</li>
      ))}
    </ul>
  )
}

/** The confirmation as a page of its own, for a plain form post. */
export function ConfirmationPage(props: { confirmation: Confirmation }) {
  const { question, consequence, cancelHref } = props.confirmation
  return (
    <>
      <PageTitle text={question} />
      <section class="card narrow" aria-labelledby="confirm-heading">
        <h1 id="confirm-heading">{question}</h1>
        <p>{consequence}</p>
        <Details lines={props.confirmation.details} />
        <div class="actions">
          <ConfirmForm confirmation={props.confirmation} htmx={false} />
          <a class="button button-quiet" href={cancelHref}>
            Cancel
          </a>
        </div>
      </section>
    </>
  )
}

/**
 * The same confirmation as a modal <dialog>, swapped into #dialog-slot; app.js opens it with
 * showModal() (focus stays inside, Escape cancels) and gives focus back to the button that asked.
 * Cancel closes it without script (method="dialog") and has the first focus, so Enter on a
 * destructive question does nothing destructive.
 */
export function ConfirmationDialog(props: { confirmation: Confirmation }) {
  const { question, consequence } = props.confirmation
  return (
    <dialog class="confirm-dialog" aria-labelledby="confirm-dialog-title" aria-describedby="confirm-dialog-text" data-confirm-dialog="">
      <h2 id="confirm-dialog-title">{question}</h2>
      <p id="confirm-dialog-text">{consequence}</p>
      <Details lines={props.confirmation.details} />
      <div class="actions">
        <ConfirmForm confirmation={props.confirmation} htmx />
        <form method="dialog">
          <button type="submit" class="button button-quiet" autofocus>
            Cancel
          </button>
        </form>
      </div>
    </dialog>
  )
}
