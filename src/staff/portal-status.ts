export type PortalStatus = 'Yet to sign up' | 'Signup initiated' | 'Signed up'

/** Derived from the rows each time, never stored. */
export function portalStatusOf(facts: { hasAccount: boolean; hasPendingInvitation: boolean }): PortalStatus {
  if (facts.hasAccount) return 'Signed up'
  return facts.hasPendingInvitation ? 'Signup initiated' : 'Yet to sign up'
}
