import { Field } from './field'

/** The password rules the page states and its fields allow (src/auth/password-policy.ts). */
export interface PasswordRules {
  min: number
  max: number
}

const passwordHint = (rules: PasswordRules) =>
  `At least ${rules.min} characters. A few unrelated words make a strong, memorable password; pasting from a password manager is fine.`

/** The words of the two fields in the page's language; English when a page passes none. */
export interface NewPasswordWords {
  hint: (min: number) => string
  show: string
  hide: string
  /** The live counter's templates: {length}, {min} and {max} are filled in by public/app.js. */
  counter: { short: string; long: string; fine: string }
}

const ENGLISH_COUNTER = {
  short: '{length} of at least {min} characters',
  long: '{length} characters: at most {max}',
  fine: '{length} characters',
}

/** The new password twice, as every page that sets one asks for it. */
export function NewPasswordFields(props: {
  rules: PasswordRules
  errors: Record<string, string | undefined>
  labels?: [string, string]
  autofocus?: boolean
  words?: NewPasswordWords
  /** What was typed, sent back when the page is shown again (Reset Password keeps it). */
  values?: { password?: string; confirmPassword?: string }
}) {
  const [first, second] = props.labels ?? ['New Password', 'Confirm New Password']
  // maxlength counts UTF-16 units before NFKC: leave room, and let the server count.
  const maxlength = props.rules.max * 4
  return (
    <>
      <Field
        label={first}
        name="password"
        type="password"
        autocomplete="new-password"
        required
        maxlength={maxlength}
        hint={props.words ? props.words.hint(props.rules.min) : passwordHint(props.rules)}
        showPasswordLabel={props.words?.show}
        hidePasswordLabel={props.words?.hide}
        error={props.errors.password}
        autofocus={props.autofocus}
        value={props.values?.password}
        keepValue={props.values !== undefined}
        after={<LengthCounter for="field-password" rules={props.rules} words={props.words?.counter ?? ENGLISH_COUNTER} />}
      />
      <Field
        label={second}
        name="confirmPassword"
        type="password"
        autocomplete="new-password"
        required
        maxlength={maxlength}
        error={props.errors.confirmPassword}
        showPasswordLabel={props.words?.show}
        hidePasswordLabel={props.words?.hide}
        value={props.values?.confirmPassword}
        keepValue={props.values !== undefined}
      />
    </>
  )
}

/**
 * A live count of the characters typed, as the rule counts them; public/app.js shows and fills
 * it, so without JavaScript it stays hidden and the server's message says the same.
 */
function LengthCounter(props: { for: string; rules: PasswordRules; words: NewPasswordWords['counter'] }) {
  return (
    <p
      class="field-hint length-counter"
      id={`${props.for}-count`}
      data-counts={props.for}
      data-min={String(props.rules.min)}
      data-max={String(props.rules.max)}
      data-short={props.words.short}
      data-long={props.words.long}
      data-fine={props.words.fine}
      aria-live="polite"
      hidden
    ></p>
  )
}
