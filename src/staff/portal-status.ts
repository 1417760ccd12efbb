export type PortalStatus = 'Yet to sign up' | 'Signup initiated' | 'Signed up'

/** Derived from the rows each time, never stored: an account means signed up. */
export function portalStatusOf(facts: { hasAccount: boolean }): PortalStatus {
  return facts.hasAccount ? 'Signed up' : 'Yet to sign up'
}
