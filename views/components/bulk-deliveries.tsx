import type { BatchDelivery } from '../../src/invitations/bulk-delivery'
import { plural } from './staff-list-links'

/** Each invitation of a batch and where its email stands; polled by htmx while any is queued. */
export function BulkDeliveries(props: { deliveries: BatchDelivery[]; batchId: string | null }) {
  const { deliveries, batchId } = props
  if (deliveries.length === 0) return null
  const queued = deliveries.filter((d) => d.state === 'pending').length
  const failed = deliveries.filter((d) => d.state === 'failed' || d.state === 'cancelled').length
  const sent = deliveries.length - queued - failed
  const href = batchId ? `/staff/invitations/batches/${batchId}` : undefined
  const poll = queued > 0 && href ? { 'hx-get': href, 'hx-trigger': 'every 2s', 'hx-swap': 'outerHTML' } : {}
  return (
    <section id="bulk-deliveries" aria-labelledby="deliveries-heading" class="card" {...poll}>
      <h2 id="deliveries-heading">Invitations</h2>
      <p role="status">
        {plural(sent, 'email')} sent, {queued.toLocaleString('en-US')} sending, {failed.toLocaleString('en-US')} not delivered.
        {failed > 0 && ' Undelivered email is retried automatically; open the profile to retry now.'}
      </p>
      {queued > 0 && href && (
        <p>
          <a href={href}>Refresh</a>
        </p>
      )}
      <ul class="deliveries">
        {deliveries.map((d) => (
          <li>
            <a href={`/staff/${d.staffId}/portal`}>{d.name}</a> ({d.email}):{' '}
            <span class={`delivery delivery-${d.state}`}>
              {d.state === 'sent' ? 'sent' : d.state === 'pending' ? 'sending' : `not delivered${d.error ? ` (${d.error})` : ''}`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}
