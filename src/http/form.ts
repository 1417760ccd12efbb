import type { Context } from 'hono'
import type { z } from 'zod'
import { errorText, type Messages } from '../text/messages'

/** The posted form as text fields only; a body that cannot be read counts as empty. */
export async function readForm(c: Context): Promise<Record<string, string>> {
  let body: Record<string, unknown>
  try {
    body = await c.req.parseBody()
  } catch {
    return {}
  }
  const fields: Record<string, string> = {}
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') fields[key] = value
  return fields
}

/** The first message for each field, keyed by the field's name, in the page's language (English unless told). */
export function fieldErrors(error: z.ZodError, messages?: Messages): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form')
    errors[key] ??= errorText(issue.message, messages)
  }
  return errors
}
