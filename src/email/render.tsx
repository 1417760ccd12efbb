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
  type PasswordChangedParams,
  type ResetCodeParams,
  type ResetLinkParams,
} from '../../views/emails/password-reset'

export interface TemplateParams {
  invitation: InvitationEmailParams
  'reset-code': ResetCodeParams
  'reset-link': ResetLinkParams
  'password-changed': PasswordChangedParams
  'login-email-verify': LoginEmailVerifyParams
  'login-email-changed': LoginEmailChangedParams
}

export type TemplateName = keyof TemplateParams

const templates: { [K in TemplateName]: (params: TemplateParams[K], link: string) => { subject: string; text: string; html: string } } = {
  invitation: invitationEmail,
  'reset-code': resetCodeEmail,
  'reset-link': resetLinkEmail,
  'password-changed': passwordChangedEmail,
  'login-email-verify': loginEmailVerifyEmail,
  'login-email-changed': loginEmailChangedEmail,
}

export function renderEmail<K extends TemplateName>(template: K, params: TemplateParams[K], link: string) {
  return templates[template](params, link)
}
