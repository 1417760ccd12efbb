import { eq } from 'drizzle-orm'
import { accounts, staff } from '../../db/schema'
import type { Database } from '../db'
import { verifyAgainstDummy, verifyPassword } from './password'

export interface LoginAccount {
  accountId: string
  practiceId: string
  staffId: string
  role: 'staff' | 'admin'
}

export type LoginResult = { ok: true; account: LoginAccount } | { ok: false; account: LoginAccount | null }

/**
 * Checks an email and password. An unknown address, a wrong password and disabled access
 * all fail the same way, after the same amount of hashing work.
 */
export async function authenticate(db: Database, email: string, password: string): Promise<LoginResult> {
  const [row] = await db
    .select({
      accountId: accounts.id,
      practiceId: accounts.practiceId,
      staffId: accounts.staffId,
      passwordHash: accounts.passwordHash,
      disabledAt: accounts.disabledAt,
      isActive: staff.isActive,
      role: staff.role,
    })
    .from(accounts)
    .innerJoin(staff, eq(staff.id, accounts.staffId))
    .where(eq(accounts.email, email.trim().toLowerCase()))
  if (!row) {
    await verifyAgainstDummy(password)
    return { ok: false, account: null }
  }
  const valid = await verifyPassword(row.passwordHash, password)
  const account = { accountId: row.accountId, practiceId: row.practiceId, staffId: row.staffId, role: row.role }
  if (!valid || row.disabledAt || !row.isActive) return { ok: false, account }
  return { ok: true, account }
}
