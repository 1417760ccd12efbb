import { encodeBase64urlNoPadding } from '@oslojs/encoding'
import { and, count, eq, sql } from 'drizzle-orm'
import type { BatchResponse } from 'drizzle-orm/batch'
import { accounts, passkeys } from '../../db/schema'
import { insertAuditWhere } from '../audit/audit'
import { endTwoStepSetup } from '../auth/session'
import type { Deps } from '../deps'
import { challengeIsLive, consumeChallengeStatement, issueChallenge, CHALLENGE_TTL_MS } from './challenges'
import { insertRowsWhere } from './insert-where'
import { twoStepNotice, type NoticeDeps } from './notices'
import { listPasskeys, MAX_PASSKEYS, PASSKEY_NAME_MAX } from './passkeys'
import { ownAuditFrom, type TwoStepPerson } from './person'
import { recoveryCodeStatements } from './recovery-codes'
import { batchWithStatus, type TwoStepStatus } from './status'
import { secondFactorExists } from './two-step'
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
  | { ok: true; recoveryCodes: string[] | null; status: TwoStepStatus }
  | { ok: false; reason: 'invalid' | 'expired' | 'duplicate' | 'too-many' }

/**
 * Add Passkey: checks what the browser made against the challenge issued to this account.
 * `hadFactor` says whether the account had a second factor (then no recovery codes); when not
 * given, the change's batch reads it. `status` is the account's two-step sign-in as the change
 * left it, for the page that answers.
 */
export async function addPasskey(
  deps: NoticeDeps & Pick<Deps, 'config'>,
  input: { person: TwoStepPerson; name: string; response: string; ip: string; hadFactor?: boolean },
): Promise<AddPasskeyResult> {
  const { db, clock } = deps
  const { person } = input
  const { accountId } = person
  const response = parseRegistrationResponse(input.response)
  if (!response) return { ok: false, reason: 'invalid' }
  let verified
  try {
    verified = verifyRegistration(relyingPartyFrom(deps.config), response)
  } catch (error) {
    if (error instanceof WebAuthnError) return { ok: false, reason: 'invalid' }
    throw error
  }
  const name = input.name.trim().slice(0, PASSKEY_NAME_MAX)
  const now = clock.now()
  // One moment for the challenge's expiry, as the guards and the use judge it.
  const challenge = { purpose: 'register' as const, accountId, challenge: verified.challenge, at: now }
  // One batch, one transaction. The reads write nothing; their answers count only when the
  // DELETE at the end used the challenge up. Every write before that DELETE carries the checks as
  // its condition (the challenge still there, fewer passkeys than the most, the credential not
  // registered), so they are written iff the checks pass and this batch uses the challenge up;
  // the passkey's INSERT comes last among them, since it changes what they test. The notice
  // opens the batch, so its transaction takes the write lock at its first statement.
  const held = db.select({ n: count() }).from(passkeys).where(eq(passkeys.accountId, accountId))
  const adds = and(
    challengeIsLive(deps, challenge),
    sql`(select count(*) from ${passkeys} where ${passkeys.accountId} = ${accountId}) < ${MAX_PASSKEYS}`,
    sql`not exists (select 1 from ${passkeys} where ${passkeys.id} = ${verified.credentialId})`,
  )!
  // The first factor comes with recovery codes: decided here, or in the batch before the INSERT.
  const first = input.hadFactor === false ? adds : and(adds, sql`not ${secondFactorExists(accountId)}`)!
  const codes = input.hadFactor === true ? null : recoveryCodeStatements(deps, person, first)
  const notice = twoStepNotice(deps, accountId, 'two-step-on', { factor: { kind: 'passkey', name } }, adds)
  const reads = [
    held,
    db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.id, verified.credentialId)),
    db
      .select({ has: secondFactorExists(accountId) })
      .from(accounts)
      .where(eq(accounts.id, accountId)),
  ] as const
  const { results, status } = await batchWithStatus(db, accountId, [
    notice.insert,
    ...reads,
    ...(codes ? codes.statements : []),
    // The first factor is what a practice requiring two-step sign-in waited for.
    ...(codes ? [endTwoStepSetup(db, accountId, first)] : []),
    insertAuditWhere(
      db,
      now,
      ownAuditFrom(person, input.ip, 'two_step.factor_added', `passkey "${name}"`),
      accounts,
      and(eq(accounts.id, accountId), adds),
    ),
    insertRowsWhere(
      db,
      passkeys,
      [
        {
          id: verified.credentialId,
          accountId,
          practiceId: person.practiceId,
          algorithm: verified.algorithm,
          publicKey: verified.publicKey,
          signCount: verified.signCount,
          name,
          createdAt: now,
          lastUsedAt: null,
        },
      ],
      adds,
    ),
    consumeChallengeStatement(deps, challenge),
  ])
  const [[heldRow], [taken], [had]] = results.slice(1) as unknown as BatchResponse<typeof reads>
  const consumed = results.at(-1) as unknown[]
  if (consumed.length === 0) return { ok: false, reason: 'expired' }
  if ((heldRow?.n ?? 0) >= MAX_PASSKEYS) return { ok: false, reason: 'too-many' }
  if (taken) return { ok: false, reason: 'duplicate' }
  const firstFactor = codes !== null && (input.hadFactor === false || !had?.has)
  await notice.send()
  return { ok: true, recoveryCodes: firstFactor ? codes.codes : null, status }
}
