import { invitationEmail, type InvitationEmailParams } from '../../views/emails/invitation'
import {
  loginEmailChangedEmail,
  loginEmailVerifyEmail,
  type LoginEmailChangedParams,
  type LoginEmailVerifyParams,
} from '../../views/emails/login-email'
import {
  passwordChangedEmail,
  resetCodeEmail,
  resetLinkEmail,
  resetLinkNoticeEmail,
  type PasswordChangedParams,
  type ResetCodeParams,
  type ResetLinkNoticeParams,
  type ResetLinkParams,
} from '../../views/emails/password-reset'
import {
  recoveryCodeUsedEmail,
  twoStepOffEmail,
  twoStepOnEmail,
  twoStepResetEmail,
  type RecoveryCodeUsedParams,
  type TwoStepOffParams,
  type TwoStepOnParams,
  type TwoStepResetParams,
} from '../../views/emails/two-step'
import { isLocale } from '../text/locale'
import { messagesFor, type Messages } from '../text/messages'

export interface TemplateParams {
  invitation: InvitationEmailParams
  'reset-code': ResetCodeParams
  'reset-link': ResetLinkParams
  'reset-link-notice': ResetLinkNoticeParams
  'password-changed': PasswordChangedParams
  'login-email-verify': LoginEmailVerifyParams
  'login-email-changed': LoginEmailChangedParams
  'two-step-on': TwoStepOnParams
  'two-step-off': TwoStepOffParams
  'two-step-reset': TwoStepResetParams
  'recovery-code-used': RecoveryCodeUsedParams
}

export type TemplateName = keyof TemplateParams

type Rendered = { subject: string; text: string; html: string }

const templates: { [K in TemplateName]: (params: TemplateParams[K], link: string, t: Messages) => Rendered } = {
  invitation: invitationEmail,
  'reset-code': resetCodeEmail,
  'reset-link': resetLinkEmail,
  'reset-link-notice': resetLinkNoticeEmail,
  'password-changed': passwordChangedEmail,
  'login-email-verify': loginEmailVerifyEmail,
  'login-email-changed': loginEmailChangedEmail,
  'two-step-on': twoStepOnEmail,
  'two-step-off': twoStepOffEmail,
  'two-step-reset': twoStepResetEmail,
  'recovery-code-used': recoveryCodeUsedEmail,
}

/** A message in its recipient's language: the params say which (English for rows from before). */
export function renderEmail<K extends TemplateName>(template: K, params: TemplateParams[K], link: string) {
  const language = (params as { language?: unknown }).language
  return templates[template](params, link, messagesFor(isLocale(language) ? language : 'en'))
}
