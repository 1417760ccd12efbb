import { sha256 } from '@oslojs/crypto/sha2'
import { encodeHexLowerCase } from '@oslojs/encoding'
import { and, count, eq, gt, isNull, lte, sql, type SQL } from 'drizzle-orm'
import { webauthnChallenges } from '../../db/schema'
import { generateId } from '../ids'
import type { Deps } from '../deps'

export const CHALLENGE_TTL_MS = 5 * 60 * 1000
const CHALLENGE_BYTES = 32

export type ChallengePurpose = 'register' | 'confirm' | 'second-step' | 'passkey-login'

export interface ChallengeBinding {
  purpose: ChallengePurpose
  /** register and confirm: the signed-in account. */
  accountId?: string | null
  /** second-step: the pending login it completes. */
  pendingLoginId?: string | null
  /** passkey-login: SHA-256 of the asking browser's cookie secret (nobody is known yet). */
  browserHash?: string | null
}

const hashChallenge = (challenge: Uint8Array) => encodeHexLowerCase(sha256(challenge))

/** A fresh random challenge, kept server side (hashed) for 5 minutes, for one purpose and one account or pending login. */
export async function issueChallenge(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: ChallengeBinding & { practiceId?: string | null; ip?: string },
): Promise<Uint8Array> {
  const challenge = crypto.getRandomValues(new Uint8Array(CHALLENGE_BYTES))
  const now = deps.clock.now()
  await deps.db.insert(webauthnChallenges).values({
    id: generateId(),
    challengeHash: hashChallenge(challenge),
    purpose: input.purpose,
    accountId: input.accountId ?? null,
    pendingLoginId: input.pendingLoginId ?? null,
    practiceId: input.practiceId ?? null,
    browserHash: input.browserHash ?? null,
    ip: (input.ip ?? '').slice(0, 64),
    createdAt: now,
    expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
  })
  return challenge
}

/**
 * A challenge as an answer carries it back. `at`: the moment its expiry is judged at, the same for
 * a batch's challengeIsLive and its consumeChallengeStatement, so at the instant it expires the
 * guard and the use agree.
 */
export type AnsweredChallenge = ChallengeBinding & { challenge: Uint8Array; at?: Date }

/** The challenge as issued here for this purpose and binding, not expired (and, being there, not used). */
function challengeMatches(deps: Pick<Deps, 'clock'>, input: AnsweredChallenge): SQL {
  return and(
    eq(webauthnChallenges.challengeHash, hashChallenge(input.challenge)),
    eq(webauthnChallenges.purpose, input.purpose),
    gt(webauthnChallenges.expiresAt, input.at ?? deps.clock.now()),
    input.accountId ? eq(webauthnChallenges.accountId, input.accountId) : isNull(webauthnChallenges.accountId),
    input.pendingLoginId ? eq(webauthnChallenges.pendingLoginId, input.pendingLoginId) : isNull(webauthnChallenges.pendingLoginId),
    input.browserHash ? eq(webauthnChallenges.browserHash, input.browserHash) : isNull(webauthnChallenges.browserHash),
  )!
}

/**
 * Uses a challenge up, for the caller's batch: it returns a row only if the challenge was issued
 * here, for this purpose and binding, has not expired and was not used before. Deleting it is the
 * check, so two requests cannot share it.
 */
export function consumeChallengeStatement(deps: Pick<Deps, 'db' | 'clock'>, input: AnsweredChallenge) {
  return deps.db.delete(webauthnChallenges).where(challengeMatches(deps, input)).returning({ id: webauthnChallenges.id })
}

/**
 * True while the challenge is there to be used up: for statements of the same batch ordered
 * before consumeChallengeStatement, which then act only when that batch uses it up (a challenge
 * is random and issued for one request, so no other batch can).
 */
export function challengeIsLive(deps: Pick<Deps, 'clock'>, input: AnsweredChallenge): SQL {
  return sql`exists (select 1 from ${webauthnChallenges} where ${challengeMatches(deps, input)})`
}

/** consumeChallengeStatement on its own: true if this request used the challenge up. */
export async function consumeChallenge(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: ChallengeBinding & { challenge: Uint8Array },
): Promise<boolean> {
  const [row] = await consumeChallengeStatement(deps, input)
  return row !== undefined
}

/** For the maintenance run: challenges nobody answered. */
export function deleteExpiredChallenges(deps: Pick<Deps, 'db'>, now: Date) {
  return deps.db.delete(webauthnChallenges).where(lte(webauthnChallenges.expiresAt, now))
}

/** For Reset Two-Step Sign-In. */
export function deleteAccountChallenges(deps: Pick<Deps, 'db'>, accountId: string | SQL) {
  return deps.db.delete(webauthnChallenges).where(eq(webauthnChallenges.accountId, accountId))
}

/** How many passkey-login challenges an address holds unanswered right now. */
export async function countLivePasskeyLoginChallenges(deps: Pick<Deps, 'db' | 'clock'>, ip: string): Promise<number> {
  const [row] = await deps.db
    .select({ n: count() })
    .from(webauthnChallenges)
    .where(
      and(
        eq(webauthnChallenges.purpose, 'passkey-login'),
        eq(webauthnChallenges.ip, ip),
        gt(webauthnChallenges.expiresAt, deps.clock.now()),
      ),
    )
  return row?.n ?? 0
}

/** A browser asking again for a passkey login: its earlier challenge goes, so it holds one at most. */
export function deleteBrowserChallenges(deps: Pick<Deps, 'db'>, browserHash: string) {
  return deps.db
    .delete(webauthnChallenges)
    .where(and(eq(webauthnChallenges.purpose, 'passkey-login'), eq(webauthnChallenges.browserHash, browserHash)))
}
