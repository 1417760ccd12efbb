import { decodeBase32IgnorePadding } from '@oslojs/encoding'

// What the Two-Step Sign-In pages show that a test reads back: the recovery codes and the Setup Key.

/** The recovery codes a page shows, in order. */
export const codesIn = (html: string) => [...html.matchAll(/<code>([a-z2-7]{5}-[a-z2-7]{5})<\/code>/g)].map((m) => m[1]!)

/** The authenticator app's secret, from the Setup Key field of the set-up page. */
export function setupKeyIn(html: string): Uint8Array {
  const match = /name="setupKey" type="text" value="([A-Z2-7 ]+)"/.exec(html)
  if (!match) throw new Error('no Setup Key on the page')
  return decodeBase32IgnorePadding(match[1]!.replace(/ /g, ''))
}
