import { z } from 'zod'
import { SESSION_IDLE_MINUTES } from '../auth/session'
import { TWO_STEP_POLICIES } from '../two-step/policy'
import { formText } from '../text/form-text'
import { timeZoneSchema } from './time-zones'

// No control characters: names end up in email headers and page titles.
const CONTROL = /\p{Cc}/u

const text = (max: number, label: string) =>
  formText(max, label, (text) => text.refine((value) => !CONTROL.test(value), `${label} cannot contain control characters.`))

export const practiceNameSchema = text(120, 'Practice name').pipe(z.string().min(1, 'Enter the practice name.'))

/** The name emails are sent under; empty means the practice name. */
export const senderNameSchema = text(100, 'Sender name').pipe(
  z.string().refine((value) => !/[<>"]/.test(value), 'Sender name cannot contain < > or ".'),
)

/** The choices of "Sign Out After", in idle minutes. */
export const SIGN_OUT_AFTER_CHOICES = [5, 10, 15, 20, 30, 45, 60] as const

const idleMessage = `Choose between ${SESSION_IDLE_MINUTES.min} and ${SESSION_IDLE_MINUTES.max} minutes.`

export const sessionIdleMinutesSchema = z
  .string()
  .default(String(SESSION_IDLE_MINUTES.default))
  .pipe(z.string().regex(/^\d{1,3}$/, idleMessage))
  .transform(Number)
  .pipe(z.number().int().min(SESSION_IDLE_MINUTES.min, idleMessage).max(SESSION_IDLE_MINUTES.max, idleMessage))

/** The Practice Settings form as posted; `currentTimeZone` is accepted even when the list lacks it. */
export const practiceSettingsSchema = (currentTimeZone?: string) =>
  z.object({
    name: practiceNameSchema,
    timeZone: timeZoneSchema(currentTimeZone),
    senderName: senderNameSchema,
    sessionIdleMinutes: sessionIdleMinutesSchema,
    twoStepPolicy: z.enum(TWO_STEP_POLICIES, 'Choose Off, Admins or Everyone.'),
  })

export type PracticeSettingsInput = z.infer<ReturnType<typeof practiceSettingsSchema>>
export type PracticeSettingsValues = Partial<Record<keyof PracticeSettingsInput, string>>

const personName = (label: string) => text(100, label).pipe(z.string().min(1, `Enter the ${label.toLowerCase()}.`))

/** What onboarding a practice takes: its name, its first admin, and optionally its time zone. */
export const newPracticeSchema = z.object({
  name: practiceNameSchema,
  adminEmail: z
    .string()
    .default('')
    .transform((value) => value.trim().toLowerCase())
    .pipe(z.email('Enter the admin email as an address like owner@example.com.').max(254)),
  adminFirstName: personName('Admin first name'),
  adminLastName: personName('Admin last name'),
  timeZone: timeZoneSchema().optional(),
})

export type NewPracticeInput = z.infer<typeof newPracticeSchema>
