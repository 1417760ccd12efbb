import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'
import { count, eq } from 'drizzle-orm'
import { accounts, practices, staff, staffEmails } from '../../db/schema'
import { insertAudit } from '../audit/audit'
import { hashPassword } from '../auth/password'
import { checkNewPassword } from '../auth/password-policy'
import { ConfigError } from '../config'
import type { Deps } from '../deps'
import { generateId } from '../ids'
import { PLACEHOLDER_NAME } from '../text/placeholder-name'

type BootstrapDeps = Pick<Deps, 'db' | 'clock' | 'config'>

export const DEMO_ADMIN_EMAIL = 'admin@example.com'

export type BootstrapResult = { created: false } | { created: true; practiceName: string; email: string; generatedPassword: string | null }

/**
 * Gives a fresh database its first practice and admin: from ADMIN_EMAIL / ADMIN_PASSWORD when
 * set, otherwise a demo admin with a random password that the caller prints once.
 */
export async function ensureFirstPractice(deps: BootstrapDeps): Promise<BootstrapResult> {
  const { db, config } = deps
  if (config.ADMIN_EMAIL) {
    const email = config.ADMIN_EMAIL.toLowerCase()
    const [existing] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email))
    if (existing) return { created: false }
    if (!config.ADMIN_PASSWORD) throw new ConfigError(['ADMIN_PASSWORD is missing (it goes with ADMIN_EMAIL)'])
    const firstName = config.ADMIN_FIRST_NAME
    const lastName = config.ADMIN_LAST_NAME
    if (Boolean(firstName) !== Boolean(lastName))
      throw new ConfigError([`${firstName ? 'ADMIN_LAST_NAME' : 'ADMIN_FIRST_NAME'} is missing (the admin's name takes both)`])
    const names = firstName && lastName ? [firstName, lastName, `${firstName} ${lastName}`] : []
    const check = await checkNewPassword(config.ADMIN_PASSWORD, [email, config.PRACTICE_NAME, ...names])
    if (!check.ok) throw new ConfigError([`ADMIN_PASSWORD: ${check.message}`])
    await createPracticeAdmin(deps, { email, password: check.password, firstName, lastName })
    return { created: true, practiceName: config.PRACTICE_NAME, email, generatedPassword: null }
  }
  const [practiceCount] = await db.select({ value: count() }).from(practices)
  if ((practiceCount?.value ?? 0) > 0) return { created: false }
  const password = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(15)))
  await createPracticeAdmin(deps, { email: DEMO_ADMIN_EMAIL, password })
  return { created: true, practiceName: config.PRACTICE_NAME, email: DEMO_ADMIN_EMAIL, generatedPassword: password }
}

async function createPracticeAdmin(deps: BootstrapDeps, input: { email: string; password: string; firstName?: string; lastName?: string }) {
  const { db, config } = deps
  const { email, password } = input
  const now = deps.clock.now()
  const [found] = await db.select({ id: practices.id }).from(practices).where(eq(practices.name, config.PRACTICE_NAME))
  const practiceId = found?.id ?? generateId()
  const staffId = generateId()
  const passwordHash = await hashPassword(password)
  await db.batch([
    db
      .insert(practices)
      .values({ id: practiceId, name: config.PRACTICE_NAME, timeZone: config.DEFAULT_TIME_ZONE, createdAt: now })
      .onConflictDoNothing(),
    db.insert(staff).values({
      id: staffId,
      practiceId,
      firstName: input.firstName ?? PLACEHOLDER_NAME.firstName,
      lastName: input.lastName ?? PLACEHOLDER_NAME.lastName,
      role: 'admin',
      createdAt: now,
      updatedAt: now,
    }),
    db.insert(staffEmails).values({ id: generateId(), practiceId, staffId, email, isPrimary: true, position: 0 }),
    db.insert(accounts).values({ id: generateId(), practiceId, staffId, email, passwordHash, passwordChangedAt: now, createdAt: now }),
    insertAudit(db, now, { practiceId, targetStaffId: staffId, event: 'practice.created', detail: config.PRACTICE_NAME }),
  ])
}
