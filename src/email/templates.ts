import { invitationEmail, type InvitationEmailParams } from '../../views/emails/invitation'

export interface TemplateParams {
  invitation: InvitationEmailParams
}

export type TemplateName = keyof TemplateParams

const templates: { [K in TemplateName]: (params: TemplateParams[K], link: string) => { subject: string; text: string; html: string } } = {
  invitation: invitationEmail,
}

export function renderEmail<K extends TemplateName>(template: K, params: TemplateParams[K], link: string) {
  return templates[template](params, link)
}
