import { emailOutbox } from '../../db/schema'
import type { Deps } from '../deps'
import { deliverEmail, outboxValues } from '../email/outbox'
import type { TemplateName, TemplateParams } from '../email/templates'
import { findPasswordOwner } from '../password-reset/password-change'

type TwoStepTemplate = Extract<TemplateName, 'two-step-on' | 'two-step-off' | 'two-step-reset' | 'recovery-code-used'>

export type NoticeDeps = Pick<Deps, 'db' | 'clock' | 'mailer' | 'logger'>

/**
 * Tells the person what changed on their sign-in (OWASP: say when a factor changes or is used
 * to recover). Written to the outbox first like every message, then sent; a failed send is
 * retried by the maintenance run, never lost, and never fails the change it reports.
 */
export async function sendTwoStepNotice<K extends TwoStepTemplate>(
  deps: NoticeDeps,
  accountId: string,
  template: K,
  params: Omit<TemplateParams[K], 'practiceName' | 'firstName' | 'at'>,
): Promise<void> {
  const owner = await findPasswordOwner(deps.db, { accountId })
  if (!owner) return
  const when = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: owner.timeZone }).format(
    deps.clock.now(),
  )
  const row = outboxValues(deps.clock, {
    practiceId: owner.practiceId,
    recipient: owner.email,
    template,
    params: { ...params, practiceName: owner.practiceName, firstName: owner.firstName, at: when } as TemplateParams[K],
  })
  await deps.db.insert(emailOutbox).values(row)
  await deliverEmail(deps, row, owner.senderName || owner.practiceName, '')
}
