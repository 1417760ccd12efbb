import { encodeBase64urlNoPadding } from '@oslojs/encoding'
import { count, eq } from 'drizzle-orm'
import { passkeys } from '../../db/schema'
import { insertAudit } from '../audit/audit'
import { endTwoStepSetup } from '../auth/session'
import type { Deps } from '../deps'
import { consumeChallengeStatement, issueChallenge, CHALLENGE_TTL_MS } from './challenges'
import { sendTwoStepNotice, type NoticeDeps } from './notices'
import { listPasskeys, MAX_PASSKEYS, PASSKEY_NAME_MAX } from './passkeys'
import { ownAuditEntry, type TwoStepPerson } from './person'
import { recoveryCodeStatements } from './recovery-codes'
import {
  parseRegistrationResponse,
  relyingPartyFrom,
  SUPPORTED_ALGORITHMS,
  userHandleFor,
  verifyRegistration,
  WebAuthnError,
} from './webauthn'

// Add Passkey: the options for navigator.credentials.create(), then the browser's answer checked
// and stored.

/**
 * What navigator.credentials.create() needs (PublicKeyCredentialCreationOptionsJSON). User
 * verification is required, attestation is 'none', and the person's passkeys are excluded so
 * the same authenticator is not registered twice.
 */
export async function startPasskeyRegistration(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { person: TwoStepPerson; email: string; displayName: string },
) {
  const { person } = input
  const rp = relyingPartyFrom(deps.config)
  const existing = await listPasskeys(deps, person.accountId)
  const challenge = await issueChallenge(deps, { purpose: 'register', accountId: person.accountId, practiceId: person.practiceId })
  return {
    challenge: encodeBase64urlNoPadding(challenge),
    rp: { id: rp.id, name: 'Staff Portal' },
    user: { id: userHandleFor(person.accountId), name: input.email, displayName: input.displayName },
    pubKeyCredParams: SUPPORTED_ALGORITHMS.map((alg) => ({ type: 'public-key' as const, alg })),
    timeout: CHALLENGE_TTL_MS,
    attestation: 'none' as const,
    authenticatorSelection: { residentKey: 'preferred' as const, requireResidentKey: false, userVerification: 'required' as const },
    excludeCredentials: existing.map((p) => ({ type: 'public-key' as const, id: p.id })),
  }
}

export type AddPasskeyResult =
  { ok: true; recoveryCodes: string[] | null } | { ok: false; reason: 'invalid' | 'expired' | 'duplicate' | 'too-many' }

/** Add Passkey: checks what the browser made against the challenge issued to this account. */
export async function addPasskey(
  deps: NoticeDeps & Pick<Deps, 'config'>,
  input: { person: TwoStepPerson; name: string; response: string; ip: string; hadFactor: boolean },
): Promise<AddPasskeyResult> {
  const { db, clock } = deps
  const { person } = input
  const response = parseRegistrationResponse(input.response)
  if (!response) return { ok: false, reason: 'invalid' }
  let verified
  try {
    verified = verifyRegistration(relyingPartyFrom(deps.config), response)
  } catch (error) {
    if (error instanceof WebAuthnError) return { ok: false, reason: 'invalid' }
    throw error
  }
  // The challenge used up and the two checks read in one batch: the reads write nothing, and
  // their answers count only when the DELETE before them used the challenge up.
  const [consumed, [held], [taken]] = await db.batch([
    consumeChallengeStatement(deps, { purpose: 'register', accountId: person.accountId, challenge: verified.challenge }),
    db.select({ n: count() }).from(passkeys).where(eq(passkeys.accountId, person.accountId)),
    db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.id, verified.credentialId)),
  ])
  if (consumed.length === 0) return { ok: false, reason: 'expired' }
  if ((held?.n ?? 0) >= MAX_PASSKEYS) return { ok: false, reason: 'too-many' }
  if (taken) return { ok: false, reason: 'duplicate' }
  const name = input.name.trim().slice(0, PASSKEY_NAME_MAX)
  const codes = input.hadFactor ? null : recoveryCodeStatements(deps, person)
  await db.batch([
    db.insert(passkeys).values({
      id: verified.credentialId,
      accountId: person.accountId,
      practiceId: person.practiceId,
      algorithm: verified.algorithm,
      publicKey: verified.publicKey,
      signCount: verified.signCount,
      name,
      createdAt: clock.now(),
    }),
    insertAudit(db, clock.now(), ownAuditEntry(person, input.ip, 'two_step.factor_added', `passkey "${name}"`)),
    ...(codes ? codes.statements : []),
    // The first factor is what a practice requiring two-step sign-in waited for.
    ...(codes ? [endTwoStepSetup(db, person.accountId)] : []),
  ])
  await sendTwoStepNotice(deps, person.accountId, 'two-step-on', { factor: { kind: 'passkey', name } })
  return { ok: true, recoveryCodes: codes ? codes.codes : null }
}
