import type { Deps } from '../deps'
import { deliverEmail, insertOutbox, outboxValues } from '../email/outbox'
import type { TemplateName, TemplateParams } from '../email/render'
import { findPasswordOwner } from '../password-reset/password-change'

/** Which factor a notice is about: raw parts, which the email puts in the person's language. */
export type NoticeFactor = { kind: 'app' } | { kind: 'passkey'; name: string }

type TwoStepTemplate = Extract<TemplateName, 'two-step-on' | 'two-step-off' | 'two-step-reset' | 'recovery-code-used'>

export type NoticeDeps = Pick<Deps, 'db' | 'clock' | 'mailer' | 'logger' | 'later'>

/**
 * Tells the person what changed on their sign-in (OWASP: say when a factor changes or is used
 * to recover). Written to the outbox first like every message, then sent; a failed send is
 * retried by the maintenance run, never lost, and never fails the change it reports. With
 * `deps.later` it all happens after the response: the change it reports is already committed,
 * and nothing in the answer depends on it.
 */
export async function sendTwoStepNotice<K extends TwoStepTemplate>(
  deps: NoticeDeps,
  accountId: string,
  template: K,
  params: Omit<TemplateParams[K], 'practiceName' | 'firstName' | 'at' | 'timeZone' | 'language'>,
): Promise<void> {
  const at = deps.clock.now().toISOString()
  const send = async () => {
    const owner = await findPasswordOwner(deps, { accountId })
    if (!owner) return
    const row = outboxValues(deps.clock, {
      practiceId: owner.practiceId,
      recipient: owner.email,
      template,
      params: {
        ...params,
        practiceName: owner.practiceName,
        firstName: owner.firstName,
        at,
        timeZone: owner.timeZone,
        language: owner.language,
      } as TemplateParams[K],
    })
    await insertOutbox(deps.db, row)
    await deliverEmail(deps, row, owner.senderName || owner.practiceName, '')
  }
  if (deps.later) deps.later(send)
  else await send()
}
