import { Hono } from 'hono'
import { BulkDeliveries } from '../../../views/components/bulk-deliveries'
import { ResultsCount, StaffResults } from '../../../views/components/staff-results'
import { BulkInvitePage, BulkOutcome, StaffListPage } from '../../../views/pages/staff-list'
import type { Defer } from '../../http/defer'
import { actorOf, currentUser, type AppContext, type AppEnv } from '../../http/env'
import { render, renderMessage, wantsFragment } from '../../http/render'
import { isId } from '../../ids'
import { deliverQueued, getInvitationBatch } from '../../invitations/bulk-delivery'
import { BULK_LIMIT, planInvitations, queueInvitations, type BulkMode } from '../../invitations/bulk-invite'
import { listStaff } from '../../staff/directory'
import { exportStaffRows, STAFF_CSV_HEADER } from '../../staff/staff-export'
import { matchingStaffIds } from '../../staff/staff-filter'
import { csvLine } from '../../text/csv'
import { listQuerySchema } from '../../staff/staff-input'
import { fullName } from '../../text/format'
import { askToConfirm, isConfirmed } from '../confirm'
import { ID } from './shared'

const listQueryOf = (c: AppContext) =>
  listQuerySchema.parse({ q: c.req.query('q'), page: c.req.query('page'), status: c.req.query('status') })

export const listHref = (query: { q: string; status: string }) => {
  const params = new URLSearchParams()
  if (query.q) params.set('q', query.q)
  if (query.status) params.set('status', query.status)
  const search = params.toString()
  return search ? `/staff?${search}` : '/staff'
}

/** The Staffs list; htmx (Search as you type, Status, the pager) gets the rows, with the count out of band. */
async function showStaffList(c: AppContext) {
  const query = listQueryOf(c)
  const fragmentOnly = wantsFragment(c)
  const page = await listStaff(c.get('deps'), { practiceId: currentUser(c).practiceId, ...query, withOnboarding: !fragmentOnly })
  const fragment = (
    <>
      <StaffResults page={page} />
      <ResultsCount page={page} oob />
    </>
  )
  return render(c, <StaffListPage page={page} />, { fragment })
}

/** The posted selection: the ticked ids, or "all matching" the posted Search and Status. */
async function readSelection(c: AppContext) {
  let body: Record<string, string | File | (string | File)[]>
  try {
    body = await c.req.parseBody({ all: true })
  } catch {
    body = {}
  }
  const one = (name: string) => {
    const value = body[name]
    return typeof value === 'string' ? value : ''
  }
  const all = (name: string) => {
    const raw = body[name]
    return (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string')
  }
  const scopes = all('scope')
  // "Select All" without JavaScript: the page's rows, posted beside the box.
  const ticked = (scopes.includes('page') ? [...all('staffId'), ...all('pageStaffId')] : all('staffId')).filter(isId)
  const query = listQuerySchema.parse({ q: one('q'), status: one('status'), page: '1' })
  return {
    matching: scopes.includes('matching'),
    ticked,
    query,
    mode: (one('mode') === 'resend' ? 'resend' : 'invite') as BulkMode,
    confirmed: isConfirmed({ confirm: one('confirm') }),
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

/**
 * Invite Selected and "Resend to all pending or expired": asks first ("Send N Invitations"),
 * then writes every invitation and its outbox row at once and answers; the email goes out after
 * the response, and the result page follows each delivery.
 */
const inviteSelected = (defer: Defer) => async (c: AppContext) => {
  const deps = c.get('deps')
  const user = currentUser(c)
  const selection = await readSelection(c)
  const refuse = async (text: string) => {
    if (wantsFragment(c)) {
      c.header('Vary', 'HX-Request')
      return c.html(<BulkOutcome error={text} />, 422)
    }
    const page = await listStaff(deps, { practiceId: user.practiceId, ...selection.query, page: 1, withOnboarding: true })
    return render(c, <StaffListPage page={page} bulkError={text} />, { status: 422 })
  }
  const ids = selection.matching
    ? await matchingStaffIds(deps, { practiceId: user.practiceId, ...selection.query, limit: BULK_LIMIT })
    : selection.ticked
  if (ids === null) return refuse(`More than ${plural(BULK_LIMIT, 'person', 'people')} match. Narrow the Search or Status first.`)
  if (ids.length === 0) return refuse('Select at least one staff member to invite.')
  if (ids.length > BULK_LIMIT) return refuse(`Select at most ${plural(BULK_LIMIT, 'person', 'people')} at a time.`)

  const plan = await planInvitations(deps, { practiceId: user.practiceId, staffIds: ids, mode: selection.mode })
  if (plan.invite.length === 0) return render(c, <BulkInvitePage skipped={plan.skipped} deliveries={[]} batchId={null} />)
  if (!selection.confirmed) {
    const fields: [string, string][] = selection.matching
      ? [
          ['scope', 'matching'],
          ['q', selection.query.q],
          ['status', selection.query.status],
        ]
      : ids.map((id) => ['staffId', id])
    const n = plan.invite.length
    return askToConfirm(c, {
      question: `Send ${plural(n, 'invitation')}?`,
      consequence:
        (selection.mode === 'resend'
          ? `Each gets a new link at their primary address; their earlier link stops working.`
          : `Each goes to the person's primary address.`) +
        (plan.skipped.length > 0 ? ` ${plural(plan.skipped.length, 'person', 'people')} will be skipped:` : ''),
      details: plan.skipped.map((s) => `${s.name}: ${s.reason}`),
      label: `Send ${plural(n, 'Invitation')}`,
      action: '/staff/invitations',
      fields: [...fields, ['mode', selection.mode]],
      tone: 'primary',
      cancelHref: listHref(selection.query),
    })
  }
  const queued = await queueInvitations(deps, { actor: { ...actorOf(c), name: fullName(user) }, plan })
  if (!queued) return refuse('Nothing was sent. Try again.')
  defer(c, () => deliverQueued(deps, queued))
  const deliveries = plan.invite.map((p) => ({ staffId: p.staffId, name: p.name, email: p.email, state: 'pending' as const, error: '' }))
  return render(c, <BulkInvitePage skipped={plan.skipped} deliveries={deliveries} batchId={queued.batchId} />)
}

/** A sent batch's deliveries: the page behind Refresh, and what htmx polls while any is pending. */
async function showBatch(c: AppContext) {
  const batchId = c.req.param('batchId') ?? ''
  const deliveries = await getInvitationBatch(c.get('deps'), { practiceId: currentUser(c).practiceId, batchId })
  if (!deliveries)
    return renderMessage(
      c,
      { title: 'Not found', message: 'There are no such invitations in your practice.', link: { href: '/staff', label: 'Back to Staffs' } },
      404,
    )
  return render(c, <BulkInvitePage skipped={[]} deliveries={deliveries} batchId={batchId} />, {
    fragment: <BulkDeliveries deliveries={deliveries} batchId={batchId} />,
  })
}

/** Export CSV: the list as filtered now, every address on file, safe to open in a spreadsheet. */
async function exportStaffCsv(c: AppContext) {
  const query = listQueryOf(c)
  const rows = await exportStaffRows(c.get('deps'), { practiceId: currentUser(c).practiceId, ...query })
  const body = '\uFEFF' + csvLine(STAFF_CSV_HEADER) + rows.map(csvLine).join('')
  c.header('Content-Type', 'text/csv; charset=utf-8')
  c.header('Content-Disposition', 'attachment; filename="staff.csv"')
  return c.body(body)
}

export function directoryRoutes(defer: Defer) {
  const app = new Hono<AppEnv>()
  app.get('/', showStaffList)
  app.get('/export.csv', exportStaffCsv)
  app.post('/invitations', inviteSelected(defer))
  app.get(`/invitations/batches/:batchId${ID}`, showBatch)
  return app
}
