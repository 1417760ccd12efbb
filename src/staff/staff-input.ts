import { isStatusFilter } from '../text/status-filters'
import { z } from 'zod'
import { LOCALES } from '../text/locale'
import { errorKey } from '../text/messages'
import { formText } from '../text/form-text'

export const EMAIL_SLOTS = [1, 2, 3] as const

const requiredText = (max: number, label: string) => formText(max, label).pipe(z.string().min(1, `Enter a ${label.toLowerCase()}.`))

const email = formText(254, 'Email')
  .transform((value) => value.toLowerCase())
  .pipe(z.union([z.literal(''), z.email('Enter an email address like name@example.com.')]))

/** The staff form as posted. Every field arrives as text; absent fields read as empty. */
export const staffInputSchema = z
  .object({
    firstName: requiredText(100, 'First name'),
    lastName: requiredText(100, 'Last name'),
    credentials: formText(60, 'Credentials'),
    phone: formText(30, 'Phone').pipe(
      z.string().refine((value) => value === '' || /^\+?[0-9().\-\s]{7,30}$/.test(value), 'Enter a phone number like (555) 123-4567.'),
    ),
    email1: email,
    email2: email,
    email3: email,
    primaryEmail: z.enum(['1', '2', '3']).catch('1'),
    active: z
      .string()
      .optional()
      .transform((value) => value === 'on' || value === 'true'),
    // The language of the person's pages and emails. Absent (a form or import without the
    // field) leaves it as it is: English for a new profile.
    language: z.enum(LOCALES).optional().catch(undefined),
  })
  .superRefine((input, ctx) => {
    const filled = EMAIL_SLOTS.filter((slot) => input[`email${slot}`] !== '')
    if (filled.length === 0) ctx.addIssue({ code: 'custom', path: ['email1'], message: 'Enter at least one email address.' })
    const seen = new Set<string>()
    for (const slot of filled) {
      const value = input[`email${slot}`]
      if (seen.has(value)) ctx.addIssue({ code: 'custom', path: [`email${slot}`], message: 'This address is already listed above.' })
      seen.add(value)
    }
  })

export type StaffInput = z.infer<typeof staffInputSchema>
export type StaffFormValues = Partial<Record<keyof z.input<typeof staffInputSchema>, string>>

/** The emails of a valid input, in form order; the chosen primary, or else the first, is marked. */
export function emailsOf(input: StaffInput): { email: string; isPrimary: boolean; position: number }[] {
  const filled = EMAIL_SLOTS.filter((slot) => input[`email${slot}`] !== '')
  const primary = filled.find((slot) => String(slot) === input.primaryEmail) ?? filled[0]
  return filled.map((slot, index) => ({ email: input[`email${slot}`], isPrimary: slot === primary, position: index }))
}

const ownName = (empty: 'enterFirstName' | 'enterLastName') =>
  z
    .string()
    .default('')
    .transform((value) => value.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(1, errorKey(empty))
        .max(100, errorKey('nameTooLong'))
        .refine((value) => !/\p{Cc}/u.test(value), errorKey('nameControlCharacters')),
    )

/** An admin's own name, as the first-login prompt posts it. */
export const ownNameSchema = z.object({ firstName: ownName('enterFirstName'), lastName: ownName('enterLastName') })

/** The Language select on one's portal home. */
export const ownLanguageSchema = z.object({ language: z.enum(LOCALES, { error: errorKey('chooseLanguage') }) })

export const listQuerySchema = z.object({
  q: z
    .string()
    .default('')
    .transform((value) => value.normalize('NFC').trim().slice(0, 100)),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  // An unknown value is no filter rather than an error: the list is a GET anyone may mistype.
  status: z
    .string()
    .optional()
    .transform((value) => (isStatusFilter(value) ? value : '')),
})
