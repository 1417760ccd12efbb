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
import { isLocale } from '../text/locale'
import { messagesFor, type Messages } from '../text/messages'

export interface TemplateParams {
  invitation: InvitationEmailParams
  'reset-code': ResetCodeParams
  'reset-link': ResetLinkParams
  'password-changed': PasswordChangedParams
  'login-email-verify': LoginEmailVerifyParams
  'login-email-changed': LoginEmailChangedParams
}

export type TemplateName = keyof TemplateParams

type Rendered = { subject: string; text: string; html: string }

const templates: { [K in TemplateName]: (params: TemplateParams[K], link: string, t: Messages) => Rendered } = {
  invitation: invitationEmail,
  'reset-code': resetCodeEmail,
  'reset-link': resetLinkEmail,
  'password-changed': passwordChangedEmail,
  'login-email-verify': loginEmailVerifyEmail,
  'login-email-changed': loginEmailChangedEmail,
}

/** A message in its recipient's language: the params say which (English for rows from before). */
export function renderEmail<K extends TemplateName>(template: K, params: TemplateParams[K], link: string) {
  const language = (params as { language?: unknown }).language
  return templates[template](params, link, messagesFor(isLocale(language) ? language : 'en'))
}
