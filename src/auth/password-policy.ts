import type { ZxcvbnFactory } from '@zxcvbn-ts/core'
import { z } from 'zod'

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

export type PasswordCheck = { ok: true; password: string } | { ok: false; message: string }

/** A password's length as the rule counts it: code points after NFKC (an emoji is one). */
export const passwordLength = (password: string) => [...password.normalize('NFKC')].length

/**
 * What can be wrong with a new password typed twice without knowing whose it is, every problem
 * at once: a person fixes them in one go instead of meeting them one by one.
 */
export function newPasswordProblems(password: string, confirmPassword: string): { password?: string; confirmPassword?: string } {
  const length = passwordLength(password)
  const problems: { password?: string; confirmPassword?: string } = {}
  if (password === '') problems.password = 'Enter a password.'
  else if (length < PASSWORD_MIN) problems.password = `Use at least ${PASSWORD_MIN} characters (this has ${length}).`
  else if (length > PASSWORD_MAX) problems.password = `Use at most ${PASSWORD_MAX} characters (this has ${length}).`
  if (confirmPassword !== password) problems.confirmPassword = 'The two passwords do not match.'
  return problems
}

/**
 * Length is counted in code points after NFKC, so what a person types and pastes
 * counts the same however their keyboard encodes it. No composition rules.
 */
export async function checkNewPassword(password: string, context: string[]): Promise<PasswordCheck> {
  const normalized = password.normalize('NFKC')
  const length = passwordLength(password)
  if (length < PASSWORD_MIN) return { ok: false, message: `Use at least ${PASSWORD_MIN} characters (this has ${length}).` }
  if (length > PASSWORD_MAX) return { ok: false, message: `Use at most ${PASSWORD_MAX} characters.` }
  const words = contextWords(context)
  if (isMostlyContext(normalized, words))
    return { ok: false, message: 'This password is too easy to guess. It is made mostly of your name, email or practice name.' }
  const result = (await zxcvbn()).check(normalized, words)
  if (result.score >= MIN_SCORE) return { ok: true, password: normalized }
  const reason = result.feedback.warning || 'It would be easy to guess.'
  const hint = result.feedback.suggestions[0] ?? 'Try a few unrelated words together.'
  return { ok: false, message: `This password is too easy to guess. ${reason} ${hint}`.replace(/\s+/g, ' ').trim() }
}

/**
 * A new password typed twice, as every form that sets one posts it (Create Account, both resets,
 * Change Password). Only presence and a generous bound here: checkNewPassword judges it.
 */
export const newPasswordSchema = z
  .object({
    password: z.string().default('').pipe(z.string().min(1, 'Enter a password.').max(4096, 'Use at most 128 characters.')),
    confirmPassword: z.string().default(''),
  })
  .refine((form) => form.confirmPassword === form.password, { path: ['confirmPassword'], message: 'The two passwords do not match.' })
