import { and, eq, is, SQL, sql, type SQLWrapper } from 'drizzle-orm'
import { accounts, practices, staff } from '../../db/schema'
import type { Deps } from '../deps'
import { deliverEmail, insertOutboxFrom, queuedMessageQuery, type ParamsFrom } from '../email/outbox'
import type { TemplateName, TemplateParams } from '../email/render'
import { generateId } from '../ids'

/** Which factor a notice is about: raw parts, which the email puts in the person's language. */
export type NoticeFactor = { kind: 'app' } | { kind: 'passkey'; name: string }

type TwoStepTemplate = Extract<TemplateName, 'two-step-on' | 'two-step-off' | 'two-step-reset' | 'recovery-code-used'>
type NoticeParams<K extends TwoStepTemplate> = {
  // A value, or SQL read in the batch that writes the notice (its JSON, e.g. jsonBoolean).
  [P in keyof Omit<TemplateParams[K], 'practiceName' | 'firstName' | 'at' | 'timeZone' | 'language'>]: TemplateParams[K][P] | SQL
}

export type NoticeDeps = Pick<Deps, 'db' | 'clock' | 'mailer' | 'logger' | 'later'>

/** A param as json_object takes it: objects and booleans as JSON, so the row reads back as they were. */
const jsonParam = (value: unknown): unknown =>
  is(value, SQL) ? value : typeof value === 'object' || typeof value === 'boolean' ? sql`json(${JSON.stringify(value)})` : value

/** A condition as a JSON boolean param, read when the notice is written. */
export const jsonBoolean = (condition: SQL) => sql`json(case when ${condition} then 'true' else 'false' end)`

/**
 * Tells the person what changed on their sign-in (OWASP: say when a factor changes or is used
 * to recover). The notice's outbox row is written before the answer, as one INSERT … SELECT
 * over the account (`insert`: the caller runs it, in its own batch where it has one), so a
 * notice is on record with the change it reports and the maintenance run retries a failed send;
 * only the sending (`deliver`) waits until after the response.
 *
 * `onlyIf`: the condition that guards the change. Placed before the change's guarded write in
 * the same batch, the row is written in the same transaction iff the change applies; the caller
 * then calls `send` only when it did.
 */
export function twoStepNotice<K extends TwoStepTemplate>(
  deps: NoticeDeps,
  accountId: string | SQLWrapper,
  template: K,
  params: NoticeParams<K>,
  onlyIf?: SQL,
) {
  const id = generateId()
  const person = {
    ...Object.fromEntries(Object.entries(params).map(([key, value]) => [key, jsonParam(value)])),
    practiceName: practices.name,
    firstName: staff.firstName,
    at: deps.clock.now().toISOString(),
    timeZone: practices.timeZone,
    language: staff.language,
  } as unknown as ParamsFrom<K>
  const insert = insertOutboxFrom(
    deps.db,
    deps.clock,
    { id, practiceId: accounts.practiceId, template, recipient: accounts.email, params: person },
    (fields) =>
      deps.db
        .select(fields)
        .from(accounts)
        .innerJoin(staff, eq(staff.id, accounts.staffId))
        .innerJoin(practices, eq(practices.id, accounts.practiceId))
        .where(and(eq(accounts.id, accountId), onlyIf)),
  )
  const deliver = async () => {
    const [row] = await queuedMessageQuery(deps.db, id)
    if (row) await deliverEmail(deps, row, row.fromName, '')
  }
  /** After the change's batch (with `insert` in it): the sending, after the response when it can wait. */
  const send = async () => {
    if (deps.later) deps.later(deliver)
    else await deliver()
  }
  return { insert, send }
}

/** A notice for a change already committed: its row now (one call), its sending after the response. */
export async function sendTwoStepNotice<K extends TwoStepTemplate>(
  deps: NoticeDeps,
  accountId: string,
  template: K,
  params: NoticeParams<K>,
): Promise<void> {
  const notice = twoStepNotice(deps, accountId, template, params)
  await notice.insert
  await notice.send()
}
