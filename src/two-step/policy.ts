import { eq } from 'drizzle-orm'
import { practices } from '../../db/schema'
import type { Deps } from '../deps'

export const TWO_STEP_POLICIES = ['off', 'admins', 'everyone'] as const
export type TwoStepPolicy = (typeof TWO_STEP_POLICIES)[number]

/** Whether the practice's "Require Two-Step Sign-In" covers a person of this role. */
export const policyCovers = (policy: TwoStepPolicy, role: 'staff' | 'admin') =>
  policy === 'everyone' || (policy === 'admins' && role === 'admin')

export async function getTwoStepPolicy(deps: Pick<Deps, 'db'>, practiceId: string): Promise<TwoStepPolicy> {
  const [row] = await deps.db.select({ policy: practices.twoStepPolicy }).from(practices).where(eq(practices.id, practiceId))
  return row?.policy ?? 'off'
}

/**
 * What follows a correct password: nothing (a session), the second step (the person has a
 * factor), or setting one up first (the practice requires one and the person has none). The
 * login's own account read carries both facts, so deciding costs no extra round trip.
 */
export function stepAfterPassword(account: {
  hasSecondFactor: boolean
  policy: TwoStepPolicy
  role: 'staff' | 'admin'
}): 'none' | 'second-step' | 'set-up' {
  if (account.hasSecondFactor) return 'second-step'
  return policyCovers(account.policy, account.role) ? 'set-up' : 'none'
}
