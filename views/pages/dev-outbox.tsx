import { PageTitle } from '../components/page-title'

/** Development only: the mail that would have gone out, newest first. */
export function DevOutboxPage(props: { messages: { to: string; subject: string; text: string; createdAt: string }[] }) {
  return (
    <>
      <PageTitle text="Development outbox" />
      <h1>Development outbox</h1>
      <p class="field-hint">
        No MailChannels key is configured, so email is kept here instead of being sent, newest first, since the server started. Also as{' '}
        <a href="/dev/outbox.json">JSON</a>.
      </p>
      {props.messages.length === 0 && <p>No email yet.</p>}
      {props.messages.map((m) => (
        <article class="card">
          <h2>{m.subject}</h2>
          <p class="muted">
            To {m.to} · {m.createdAt}
          </p>
          <pre class="email-text">{m.text}</pre>
        </article>
      ))}
    </>
  )
}
