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

export interface TemplateParams {
  invitation: InvitationEmailParams
  'reset-code': ResetCodeParams
  'reset-link': ResetLinkParams
  'reset-link-notice': ResetLinkNoticeParams
  'password-changed': PasswordChangedParams
  'login-email-verify': LoginEmailVerifyParams
  'login-email-changed': LoginEmailChangedParams
}

export type TemplateName = keyof TemplateParams

const templates: { [K in TemplateName]: (params: TemplateParams[K], link: string) => { subject: string; text: string; html: string } } = {
  invitation: invitationEmail,
  'reset-code': resetCodeEmail,
  'reset-link': resetLinkEmail,
  'reset-link-notice': resetLinkNoticeEmail,
  'password-changed': passwordChangedEmail,
  'login-email-verify': loginEmailVerifyEmail,
  'login-email-changed': loginEmailChangedEmail,
}

export function renderEmail<K extends TemplateName>(template: K, params: TemplateParams[K], link: string) {
  return templates[template](params, link)
}
