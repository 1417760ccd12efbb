/** Said on every reset page: a new password is never a way around the second step. */
export function SecondStepNote(props: { text?: string }) {
  return (
    <p class="field-hint">
      {props.text ??
        'A new password does not sign you in or turn off two-step sign-in: log in with it, then use your second step or a recovery code.'}
    </p>
  )
}
