import { z } from 'zod'

/**
 * A text field as typed in a form: NFC, trimmed, at most `max` characters (said with its
 * `label`). `check` adds a field's own rule to the same step.
 */
export const formText = (max: number, label: string, check: (text: z.ZodString) => z.ZodType<string, string> = (text) => text) =>
  z
    .string()
    .default('')
    .transform((value) => value.normalize('NFC').trim())
    .pipe(check(z.string().max(max, `${label} must be ${max} characters or fewer.`)))
