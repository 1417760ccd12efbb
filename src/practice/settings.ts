import { and, eq, ne, notExists, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { practices } from '../../db/schema'
import { insertAuditWhere, type Actor } from '../audit/audit'
import { isUniqueViolation, type Database } from '../db'
import type { Deps } from '../deps'
import type { TwoStepPolicy } from '../two-step/policy'
import { hasSecondFactor } from '../two-step/two-step'
import type { PracticeSettingsInput } from './practice-input'

export interface PracticeSettings {
  name: string
  timeZone: string
  senderName: string
  sessionIdleMinutes: number
  twoStepPolicy: TwoStepPolicy
}

export async function getPracticeSettings(deps: Pick<Deps, 'db'>, practiceId: string): Promise<PracticeSettings | null> {
  const [row] = await deps.db
    .select({
      name: practices.name,
      timeZone: practices.timeZone,
      senderName: practices.senderName,
      sessionIdleMinutes: practices.sessionIdleMinutes,
      twoStepPolicy: practices.twoStepPolicy,
    })
    .from(practices)
    .where(eq(practices.id, practiceId))
  return row ?? null
}

export type UpdateSettingsResult =
  { ok: true; changed: (keyof PracticeSettings)[] } | { ok: false; reason: 'name-taken' | 'no-second-factor' }

const other = alias(practices, 'other_practice')

/** No other practice has this name, in any letter case. */
const nameIsFree = (db: Database, name: string, practiceId: string) =>
  notExists(
    db
      .select({ one: sql`1` })
      .from(other)
      .where(and(sql`lower(${other.name}) = lower(${name})`, ne(other.id, practiceId))),
  )

const LABELS: Record<keyof PracticeSettings, string> = {
  name: 'name',
  timeZone: 'time zone',
  senderName: 'sender name',
  sessionIdleMinutes: 'sign out after (minutes)',
  twoStepPolicy: 'require two-step sign-in',
}

/**
 * Saves the practice's settings and audits what changed, from what to what. The name stays
 * unique whatever its letter case: the update itself checks it, so two renames cannot race
 * past each other, and the audit row is written only when the update took. `current` is what
 * the caller read to check the form (getPracticeSettings): reading it again would cost a round
 * trip, and the update's own condition is what keeps the name unique.
 */
export async function updatePracticeSettings(
  deps: Pick<Deps, 'db' | 'clock'>,
  { actor, current, settings: input }: { actor: Actor; current: PracticeSettings; settings: PracticeSettingsInput },
): Promise<UpdateSettingsResult> {
  const { db } = deps
  const changed = (Object.keys(LABELS) as (keyof PracticeSettings)[]).filter((key) => current[key] !== input[key])
  if (changed.length === 0) return { ok: true, changed }
  // An admin who could not pass a second step themselves must not require one of everyone else.
  if (changed.includes('twoStepPolicy') && input.twoStepPolicy !== 'off' && !(await hasSecondFactor(deps, actor.accountId)))
    return { ok: false, reason: 'no-second-factor' }
  const detail = changed.map((key) => `${LABELS[key]}: “${current[key]}” → “${input[key]}”`).join('; ')
  const practiceNow = and(
    eq(practices.id, actor.practiceId),
    eq(practices.name, input.name),
    eq(practices.timeZone, input.timeZone),
    eq(practices.senderName, input.senderName),
    eq(practices.sessionIdleMinutes, input.sessionIdleMinutes),
    eq(practices.twoStepPolicy, input.twoStepPolicy),
  )
  let updated: { id: string }[]
  try {
    ;[updated] = await db.batch([
      db
        .update(practices)
        .set({
          name: input.name,
          timeZone: input.timeZone,
          senderName: input.senderName,
          sessionIdleMinutes: input.sessionIdleMinutes,
          twoStepPolicy: input.twoStepPolicy,
        })
        .where(
          and(
            eq(practices.id, actor.practiceId),
            // Another practice holding the name, in any letter case, refuses the whole update.
            nameIsFree(db, input.name, actor.practiceId),
          ),
        )
        .returning({ id: practices.id }),
      insertAuditWhere(
        db,
        deps.clock.now(),
        {
          practiceId: practices.id,
          actorAccountId: actor.accountId,
          targetStaffId: null,
          event: 'practice.settings_changed',
          ip: actor.ip,
          detail,
        },
        practices,
        and(practiceNow, nameIsFree(db, input.name, actor.practiceId)),
      ),
    ])
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'name-taken' }
    throw error
  }
  if (updated.length === 0) return { ok: false, reason: 'name-taken' }
  return { ok: true, changed }
}
