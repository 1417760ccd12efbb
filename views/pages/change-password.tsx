import type { SessionUser } from '../../src/auth/session'
import type { Messages } from '../../src/text/messages'
import { Field } from '../components/field'
import { FormCard } from '../components/form-card'
import { NewPasswordFields, type PasswordRules } from '../components/new-password-fields'

export function ChangePasswordPage(props: {
  t: Messages
  user: SessionUser
  rules: PasswordRules
  errors: Record<string, string | undefined>
}) {
  const t = props.t.changePassword
  const words = props.t.password
  return (
    <FormCard words={t} errors={props.errors} action="/portal/password">
      <input type="hidden" name="username" value={props.user.email} autocomplete="username" />
      <Field
        label={words.currentPassword}
        name="currentPassword"
        type="password"
        autocomplete="current-password"
        required
        maxlength={1024}
        error={props.errors.currentPassword}
        autofocus
        showPasswordLabel={words.show}
        hidePasswordLabel={words.hide}
      />
      <NewPasswordFields rules={props.rules} errors={props.errors} labels={[words.newPassword, words.confirmNewPassword]} words={words} />
      <div class="actions">
        <button type="submit" class="button button-primary">
          {t.submit}
        </button>
        <a href="/portal">{t.cancel}</a>
      </div>
    </FormCard>
  )
}
