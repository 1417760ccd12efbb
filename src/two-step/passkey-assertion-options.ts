import { encodeBase64urlNoPadding } from '@oslojs/encoding'
import type { Deps } from '../deps'
import { issueChallenge, CHALLENGE_TTL_MS, type ChallengePurpose } from './challenges'
import { listPasskeys } from './passkeys'
import type { TwoStepPerson } from './person'
import { relyingPartyFrom } from './webauthn'

// Signing in (or confirming a change) with a passkey: the options for
// navigator.credentials.get(), whose signed answer passkey-assertion checks.

/**
 * What navigator.credentials.get() needs. With a known account (second step, confirming a
 * change) only its passkeys are allowed; a passkey-only login lists none, so the browser
 * offers the discoverable ones.
 */
export async function startPasskeyAssertion(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: {
    purpose: Exclude<ChallengePurpose, 'register'>
    person?: TwoStepPerson | null
    pendingLoginId?: string | null
    browserHash?: string | null
    ip?: string
  },
) {
  const allowed = input.person ? await listPasskeys(deps, input.person.accountId) : []
  const challenge = await issueChallenge(deps, {
    purpose: input.purpose,
    accountId: input.purpose === 'confirm' ? input.person?.accountId : null,
    pendingLoginId: input.pendingLoginId ?? null,
    practiceId: input.person?.practiceId ?? null,
    browserHash: input.browserHash ?? null,
    ip: input.ip,
  })
  return {
    challenge: encodeBase64urlNoPadding(challenge),
    rpId: relyingPartyFrom(deps.config).id,
    timeout: CHALLENGE_TTL_MS,
    userVerification: 'required' as const,
    allowCredentials: allowed.map((p) => ({ type: 'public-key' as const, id: p.id })),
  }
}
