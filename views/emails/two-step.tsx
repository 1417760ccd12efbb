import type { Messages } from '../../src/text/messages'
import { composeEmail, dateTimeIn, paragraph, smallPrint, type EmailParams } from './parts'

interface Common extends EmailParams {
  /** When it happened, as an ISO instant shown in `timeZone`. */
  at: string
}

/**
 * Which factor changed, as the outbox row keeps it (the two-step notices write this shape); rows
 * written before this kept the English words themselves. Spelled here rather than imported, so
 * the email does not reach back up into the use case that queues it.
 */
export type TwoStepFactor = { kind: 'app' } | { kind: 'passkey'; name: string } | string

export interface TwoStepOnParams extends Common {
  factor: TwoStepFactor
}

export interface TwoStepOffParams extends Common {
  factor: TwoStepFactor
  /** Whether another factor still guards the account. */
  stillOn: boolean
}

export type TwoStepResetParams = Common

export interface RecoveryCodeUsedParams extends Common {
  remaining: number
}

const factorName = (factor: TwoStepFactor, t: Messages) =>
  typeof factor === 'string' ? factor : factor.kind === 'app' ? t.emails.twoStep.app : t.emails.twoStep.passkey(factor.name)

function notice(params: Common, t: Messages, subject: string, lines: string[]) {
  return composeEmail(params, { subject, blocks: [...lines.map((line) => paragraph(line)), smallPrint(t.emails.twoStep.ifNotYou)] }, t)
}

export function twoStepOnEmail(params: TwoStepOnParams, _link: string, t: Messages) {
  const words = t.emails.twoStep
  const factor = factorName(params.factor, t)
  return notice(params, t, words.addedSubject(factor, params.practiceName), [
    words.added(dateTimeIn(params, params.at), factor),
    words.fromNow,
  ])
}

export function twoStepOffEmail(params: TwoStepOffParams, _link: string, t: Messages) {
  const words = t.emails.twoStep
  const factor = factorName(params.factor, t)
  return notice(params, t, params.stillOn ? words.removedSubject(factor, params.practiceName) : words.offSubject(params.practiceName), [
    words.removed(dateTimeIn(params, params.at), factor),
    params.stillOn ? words.othersStillWork : words.nowOff,
  ])
}

export function twoStepResetEmail(params: TwoStepResetParams, _link: string, t: Messages) {
  const words = t.emails.twoStep
  return notice(params, t, words.resetSubject(params.practiceName), [words.reset(dateTimeIn(params, params.at)), words.setUpAgain])
}

export function recoveryCodeUsedEmail(params: RecoveryCodeUsedParams, _link: string, t: Messages) {
  const words = t.emails.twoStep
  return notice(params, t, words.codeUsedSubject(params.practiceName), [
    words.codeUsed(dateTimeIn(params, params.at)),
    params.remaining === 0 ? words.noCodesLeft : words.codesLeft(params.remaining),
  ])
}
