import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import * as common from '@zxcvbn-ts/language-common'
import * as en from '@zxcvbn-ts/language-en'

export const PASSWORD_MIN = 15
export const PASSWORD_MAX = 128
// zxcvbn's scale is 0–4; 3 means "safely unguessable: moderate protection from offline attacks".
const MIN_SCORE = 3

let factory: ZxcvbnFactory | undefined
const zxcvbn = () =>
  (factory ??= new ZxcvbnFactory({
    translations: en.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
  }))

export type PasswordCheck = { ok: true; password: string } | { ok: false; message: string }

/**
 * Length is counted in code points after NFKC, so what a person types and pastes
 * counts the same however their keyboard encodes it. No composition rules.
 */
export function checkNewPassword(password: string, context: string[]): PasswordCheck {
  const normalized = password.normalize('NFKC')
  const length = [...normalized].length
  if (length < PASSWORD_MIN) return { ok: false, message: `Use at least ${PASSWORD_MIN} characters (this has ${length}).` }
  if (length > PASSWORD_MAX) return { ok: false, message: `Use at most ${PASSWORD_MAX} characters.` }
  const words = context.flatMap((item) => [item, ...item.split(/[\s@.]+/)]).filter((word) => word.length >= 3)
  const result = zxcvbn().check(normalized, words)
  if (result.score >= MIN_SCORE) return { ok: true, password: normalized }
  const reason = result.feedback.warning || 'It would be easy to guess.'
  const hint = result.feedback.suggestions[0] ?? 'Try a few unrelated words together.'
  return { ok: false, message: `This password is too easy to guess. ${reason} ${hint}`.replace(/\s+/g, ' ').trim() }
}
