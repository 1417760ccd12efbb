import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'

// Every row id, and the id half of every token: 80 random bits as 16 base32 characters.
const ID_BYTES = 10

/** What an id looks like, for Hono route params (`/:id{[a-z2-7]{16}}`) and query checks. */
export const ID_PATTERN = '[a-z2-7]{16}'
const ID = new RegExp(`^${ID_PATTERN}$`)

export const isId = (value: string) => ID.test(value)

export function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length))
}

export function generateId(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(ID_BYTES))
}
