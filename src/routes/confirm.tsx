import { ConfirmationDialog, ConfirmationPage, type Confirmation } from '../../views/components/confirmation'
import type { AppContext } from '../http/env'
import { render, wantsFragment } from '../http/render'

export type { Confirmation }

/** A destructive post acts only with confirm=yes, which only the confirming button sends. */
export const isConfirmed = (form: Record<string, string>) => form.confirm === 'yes'

/**
 * Answers an unconfirmed destructive post with its confirmation and changes nothing: htmx gets
 * the dialog, retargeted into the layout's #dialog-slot whatever the asking form targets; a
 * plain post gets the confirmation page.
 */
export function askToConfirm(c: AppContext, confirmation: Confirmation) {
  c.header('Vary', 'HX-Request')
  if (wantsFragment(c)) {
    c.header('HX-Retarget', '#dialog-slot')
    c.header('HX-Reswap', 'innerHTML')
    return c.html(<ConfirmationDialog confirmation={confirmation} />)
  }
  return render(c, <ConfirmationPage confirmation={confirmation} />)
}
