export type PortalStatus = 'Yet to sign up' | 'Signup initiated' | 'Signed up'

/** Derived from the rows each time, never stored. */
export function portalStatusOf(facts: { hasAccount: boolean; hasPendingInvitation: boolean }): PortalStatus {
  if (facts.hasAccount) return 'Signed up'
  return facts.hasPendingInvitation ? 'Signup initiated' : 'Yet to sign up'
}

export type InvitationState = 'pending' | 'used' | 'revoked' | 'replaced' | 'expired'

export function invitationStateOf(
  invitation: { usedAt: Date | null; revokedAt: Date | null; replacedAt: Date | null; expiresAt: Date },
  now: Date,
): InvitationState {
  if (invitation.usedAt) return 'used'
  if (invitation.revokedAt) return 'revoked'
  if (invitation.replacedAt) return 'replaced'
  return invitation.expiresAt.getTime() <= now.getTime() ? 'expired' : 'pending'
}
