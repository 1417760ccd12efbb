import type { ZxcvbnFactory } from '@zxcvbn-ts/core'
import { z } from 'zod'
import translations from '@zxcvbn-ts/language-en/dist/translations.mjs'
import { errorKey, messagesFor, type Messages } from '../text/messages'

export const PASSWORD_MIN = 15
export const PASSWORD_MAX = 128
/** What the password fields tell people and allow; a view shows these, it does not know them. */
export const PASSWORD_RULES = { min: PASSWORD_MIN, max: PASSWORD_MAX } as const
export type PasswordRules = typeof PASSWORD_RULES
// zxcvbn's scale is 0–4; 3 means "safely unguessable: moderate protection from offline attacks".
export const MIN_SCORE = 3

// The dictionaries are the largest thing in memory once parsed (docs/benchmarks.md): a host loads
// them at the first password check instead of at start, since most of its requests never check one.
let factory: Promise<ZxcvbnFactory> | undefined
const zxcvbn = () => (factory ??= import('./password-dictionaries').then(({ createZxcvbn }) => createZxcvbn()))

// zxcvbn scores a phrase of several personal words as strong; an attacker who knows the
// person would try those first, so such a phrase needs real other content too.
function isMostlyContext(password: string, words: string[]): boolean {
  const lower = password.toLowerCase()
  let rest = lower
  for (const word of [...words].sort((a, b) => b.length - a.length)) rest = rest.split(word.toLowerCase()).join('')
  if (rest === lower) return false
  return [...rest.replace(/[\p{P}\p{Z}\p{N}\p{S}]/gu, '')].length < 6
}

const contextWords = (context: string[]) => context.flatMap((item) => [item, ...item.split(/[\s@.]+/)]).filter((word) => word.length >= 3)

/** zxcvbn's score (0–4) of a password with a person's context: checkNewPassword needs MIN_SCORE. */
export const passwordScore = async (password: string, context: string[]) =>
  (await zxcvbn()).check(password.normalize('NFKC'), contextWords(context)).score

type Warning = keyof typeof translations.warnings
type Suggestion = keyof typeof translations.suggestions

/** Why a new password is refused, in words of no language yet: describePasswordProblem says it. */
export type PasswordProblem =
  | { kind: 'too-short'; min: number; length: number }
  | { kind: 'too-long'; max: number }
  | { kind: 'mostly-context' }
  | { kind: 'guessable'; warning?: Warning; suggestion?: Suggestion }
  // Listed by the breached-password check (src/auth/breached-password.ts).
  | { kind: 'breached' }

/** `message` is the English words (kept for callers that show only English); `problem` says why in any language. */
export type PasswordCheck = { ok: true; password: string } | { ok: false; message: string; problem: PasswordProblem }

// zxcvbn gives its feedback as English sentences; these turn them back into its keys.
const keyOf = <K extends string>(texts: Record<K, string>, text: string) => (Object.keys(texts) as K[]).find((key) => texts[key] === text)

/** A refused password's reason in the person's language. */
export function describePasswordProblem(problem: PasswordProblem, t: Messages): string {
  const words = t.password
  switch (problem.kind) {
    case 'too-short':
      return words.tooShort(problem.min, problem.length)
    case 'too-long':
      return words.tooLong(problem.max)
    case 'mostly-context':
      return words.mostlyContext
    case 'breached':
      return words.breached
    case 'guessable': {
      const reason = problem.warning ? words.warnings[problem.warning] : words.guessableReason
      const hint = problem.suggestion ? words.suggestions[problem.suggestion] : words.guessableHint
      return `${words.guessable} ${reason} ${hint}`.replace(/\s+/g, ' ').trim()
    }
  }
}

const englishMessages = messagesFor('en')

const refuse = (problem: PasswordProblem, t: Messages = englishMessages): PasswordCheck => ({
  ok: false,
  message: describePasswordProblem(problem, t),
  problem,
})

/** A password's length as the rule counts it: code points after NFKC (an emoji is one). */
export const passwordLength = (password: string) => [...password.normalize('NFKC')].length

/**
 * What can be wrong with a new password typed twice without knowing whose it is, every problem
 * at once: a person fixes them in one go instead of meeting them one by one.
 */
export function newPasswordProblems(
  password: string,
  confirmPassword: string,
  t: Messages = englishMessages,
): { password?: string; confirmPassword?: string } {
  const length = passwordLength(password)
  const problems: { password?: string; confirmPassword?: string } = {}
  if (password === '') problems.password = t.errors.enterNewPassword
  else if (length < PASSWORD_MIN) problems.password = t.password.tooShort(PASSWORD_MIN, length)
  else if (length > PASSWORD_MAX) problems.password = t.password.tooLongHas(PASSWORD_MAX, length)
  if (confirmPassword !== password) problems.confirmPassword = t.errors.passwordsDoNotMatch
  return problems
}

/**
 * Length is counted in code points after NFKC, so what a person types and pastes
 * counts the same however their keyboard encodes it. No composition rules.
 */
export async function checkNewPassword(password: string, context: string[]): Promise<PasswordCheck> {
  const normalized = password.normalize('NFKC')
  const length = passwordLength(password)
  if (length < PASSWORD_MIN) return refuse({ kind: 'too-short', min: PASSWORD_MIN, length })
  if (length > PASSWORD_MAX) return refuse({ kind: 'too-long', max: PASSWORD_MAX })
  const words = contextWords(context)
  if (isMostlyContext(normalized, words)) return refuse({ kind: 'mostly-context' })
  const result = (await zxcvbn()).check(normalized, words)
  if (result.score >= MIN_SCORE) return { ok: true, password: normalized }
  const warning = result.feedback.warning ? keyOf(translations.warnings, result.feedback.warning) : undefined
  const first = result.feedback.suggestions[0]
  const suggestion = first ? keyOf(translations.suggestions, first) : undefined
  return refuse({ kind: 'guessable', warning, suggestion })
}

/**
 * A new password typed twice, as every form that sets one posts it (Create Account, both resets,
 * Change Password). Only presence and a generous bound here: checkNewPassword judges it.
 */
export const newPasswordSchema = z
  .object({
    password: z
      .string()
      .default('')
      .pipe(z.string().min(1, errorKey('enterNewPassword')).max(4096, errorKey('newPasswordTooLong'))),
    confirmPassword: z.string().default(''),
  })
  .refine((form) => form.confirmPassword === form.password, { path: ['confirmPassword'], message: errorKey('passwordsDoNotMatch') })
