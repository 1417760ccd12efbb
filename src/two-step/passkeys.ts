import { encodeBase64urlNoPadding } from '@oslojs/encoding'
import { and, asc, count, eq, or, sql } from 'drizzle-orm'
import { passkeys } from '../../db/schema'
import { insertAudit } from '../audit/audit'
import { endTwoStepSetup } from '../auth/session'
import type { Deps } from '../deps'
import { consumeChallenge, issueChallenge, CHALLENGE_TTL_MS, type ChallengePurpose } from './challenges'
import { checkFactorThrottle, clearFactorFailures, recordFactorFailure } from './failures'
import { sendTwoStepNotice, type NoticeDeps } from './notices'
import type { FactorResult, TwoStepPerson } from './person'
import { recoveryCodeStatements } from './recovery-codes'
import {
  accountIdFromUserHandle,
  parseAssertionResponse,
  parseRegistrationResponse,
  relyingPartyFrom,
  signCountAcceptable,
  SUPPORTED_ALGORITHMS,
  userHandleFor,
  verifyAssertion,
  verifyRegistration,
  WebAuthnError,
} from './webauthn'

export const MAX_PASSKEYS = 10
export const PASSKEY_NAME_MAX = 60

export interface PasskeySummary {
  id: string
  name: string
  createdAt: Date
  lastUsedAt: Date | null
}

export async function listPasskeys(deps: Pick<Deps, 'db'>, accountId: string): Promise<PasskeySummary[]> {
  return deps.db
    .select({ id: passkeys.id, name: passkeys.name, createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt })
    .from(passkeys)
    .where(eq(passkeys.accountId, accountId))
    .orderBy(asc(passkeys.createdAt))
}

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
  if (!(await consumeChallenge(deps, { purpose: 'register', accountId: person.accountId, challenge: verified.challenge })))
    return { ok: false, reason: 'expired' }
  const [held] = await db.select({ n: count() }).from(passkeys).where(eq(passkeys.accountId, person.accountId))
  if ((held?.n ?? 0) >= MAX_PASSKEYS) return { ok: false, reason: 'too-many' }
  const [taken] = await db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.id, verified.credentialId))
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
    insertAudit(db, clock.now(), {
      practiceId: person.practiceId,
      actorAccountId: person.accountId,
      targetStaffId: person.staffId,
      event: 'two_step.factor_added',
      ip: input.ip,
      detail: `passkey "${name}"`,
    }),
    ...(codes ? codes.statements : []),
    // The first factor is what a practice requiring two-step sign-in waited for.
    ...(codes ? [endTwoStepSetup(db, person.accountId)] : []),
  ])
  await sendTwoStepNotice(deps, person.accountId, 'two-step-on', { factor: { kind: 'passkey', name } })
  return { ok: true, recoveryCodes: codes ? codes.codes : null }
}

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

export type PasskeyAssertionResult = { ok: true; accountId: string; passkeyId: string } | Extract<FactorResult, { ok: false }>

/**
 * A passkey's signed answer to a challenge issued for this purpose (and this account or
 * pending login). With `person` it must be one of that person's passkeys; without (passkey-only
 * login) the user handle must name the passkey's own account, and that account is returned.
 * A bad signature or a counter that went back counts as a failure of the account's passkeys.
 */
export async function verifyPasskeyAssertion(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: {
    purpose: Exclude<ChallengePurpose, 'register'>
    person: TwoStepPerson | null
    pendingLoginId?: string | null
    browserHash?: string | null
    response: string
    ip: string
  },
): Promise<PasskeyAssertionResult> {
  const { db, clock } = deps
  const wrong = { ok: false, reason: 'wrong' } as const
  const response = parseAssertionResponse(input.response)
  if (!response) return wrong
  const [stored] = await db.select().from(passkeys).where(eq(passkeys.id, response.id))
  if (!stored) return wrong
  if (input.person && stored.accountId !== input.person.accountId) return wrong
  if (!input.person) {
    const handle = response.response.userHandle
    if (!handle || accountIdFromUserHandle(handle) !== stored.accountId) return wrong
  }
  const throttle = await checkFactorThrottle(deps, { accountId: stored.accountId, factor: 'passkey' })
  if (!throttle.allowed)
    return throttle.retryAfterMs === null
      ? { ok: false, reason: 'locked' }
      : { ok: false, reason: 'throttled', retryAfterMs: throttle.retryAfterMs }
  const failed = async () => {
    await recordFactorFailure(deps, {
      accountId: stored.accountId,
      practiceId: stored.practiceId,
      staffId: input.person?.staffId,
      factor: 'passkey',
      ip: input.ip,
    })
    return wrong
  }
  let verified
  try {
    verified = verifyAssertion(relyingPartyFrom(deps.config), response, stored)
  } catch (error) {
    if (error instanceof WebAuthnError) return failed()
    throw error
  }
  const bound = await consumeChallenge(deps, {
    purpose: input.purpose,
    accountId: input.purpose === 'confirm' ? stored.accountId : null,
    pendingLoginId: input.pendingLoginId ?? null,
    browserHash: input.browserHash ?? null,
    challenge: verified.challenge,
  })
  if (!bound) return wrong
  if (!signCountAcceptable(stored.signCount, verified.signCount)) return failed()
  // Guarded like the TOTP step: two answers racing with the same counter cannot both pass.
  const [used] = await db
    .update(passkeys)
    .set({ signCount: verified.signCount, lastUsedAt: clock.now() })
    .where(
      and(
        eq(passkeys.id, stored.id),
        or(sql`${passkeys.signCount} < ${verified.signCount}`, and(eq(passkeys.signCount, 0), sql`${verified.signCount} = 0`)),
      ),
    )
    .returning({ id: passkeys.id })
  if (!used) return failed()
  await clearFactorFailures(deps, { accountId: stored.accountId, factor: 'passkey' })
  return { ok: true, accountId: stored.accountId, passkeyId: stored.id }
}

/** Removes one of the person's passkeys, audited; its name for the notice, or null if it is not theirs. */
export async function deletePasskey(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { person: TwoStepPerson; passkeyId: string; ip: string },
): Promise<string | null> {
  const { db, clock } = deps
  const { person } = input
  const [removed] = await db
    .delete(passkeys)
    .where(and(eq(passkeys.id, input.passkeyId), eq(passkeys.accountId, person.accountId)))
    .returning({ name: passkeys.name })
  if (!removed) return null
  await insertAudit(db, clock.now(), {
    practiceId: person.practiceId,
    actorAccountId: person.accountId,
    targetStaffId: person.staffId,
    event: 'two_step.factor_removed',
    ip: input.ip,
    detail: `passkey "${removed.name}"`,
  })
  return removed.name
}

export async function countPasskeys(deps: Pick<Deps, 'db'>, accountId: string): Promise<number> {
  const [row] = await deps.db.select({ n: count() }).from(passkeys).where(eq(passkeys.accountId, accountId))
  return row?.n ?? 0
}

/** For Reset Two-Step Sign-In. */
export function deletePasskeysStatement(deps: Pick<Deps, 'db'>, accountId: string) {
  return deps.db.delete(passkeys).where(eq(passkeys.accountId, accountId))
}
