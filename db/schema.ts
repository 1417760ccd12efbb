import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' })

export const practices = sqliteTable('practices', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  timeZone: text('time_zone').notNull(),
  createdAt: timestamp('created_at').notNull(),
})

export const staff = sqliteTable(
  'staff',
  {
    id: text('id').primaryKey(),
    practiceId: text('practice_id').notNull().references(() => practices.id),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    credentials: text('credentials').notNull().default(''),
    phone: text('phone').notNull().default(''),
    isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
    role: text('role', { enum: ['staff', 'admin'] }).notNull().default('staff'),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [
    index('staff_practice_name_idx').on(t.practiceId, sql`${t.lastName} collate nocase`, sql`${t.firstName} collate nocase`),
    index('staff_practice_first_name_idx').on(t.practiceId, sql`${t.firstName} collate nocase`),
  ],
)

export const staffEmails = sqliteTable(
  'staff_emails',
  {
    id: text('id').primaryKey(),
    practiceId: text('practice_id').notNull().references(() => practices.id),
    staffId: text('staff_id').notNull().references(() => staff.id, { onDelete: 'cascade' }),
    // Stored lower-cased so uniqueness and lookups need no collation tricks.
    email: text('email').notNull(),
    isPrimary: integer('is_primary', { mode: 'boolean' }).notNull().default(false),
    position: integer('position').notNull(),
  },
  (t) => [
    uniqueIndex('staff_emails_practice_email_idx').on(t.practiceId, t.email),
    index('staff_emails_staff_idx').on(t.staffId),
  ],
)

export const accounts = sqliteTable('accounts', {
  id: text('id').primaryKey(),
  practiceId: text('practice_id').notNull().references(() => practices.id),
  staffId: text('staff_id').notNull().unique().references(() => staff.id, { onDelete: 'cascade' }),
  // An address can hold an account in one practice only, so it is unique across practices.
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  disabledAt: timestamp('disabled_at'),
  lastLoginAt: timestamp('last_login_at'),
  passwordChangedAt: timestamp('password_changed_at').notNull(),
  createdAt: timestamp('created_at').notNull(),
})

export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    secretHash: text('secret_hash').notNull(),
    accountId: text('account_id').notNull().references(() => accounts.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at').notNull(),
    lastSeenAt: timestamp('last_seen_at').notNull(),
    ip: text('ip').notNull().default(''),
    userAgent: text('user_agent').notNull().default(''),
  },
  (t) => [index('sessions_account_idx').on(t.accountId)],
)

export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // Null only for events that belong to no practice, such as a failed login for an unknown address.
    practiceId: text('practice_id').references(() => practices.id),
    actorAccountId: text('actor_account_id'),
    targetStaffId: text('target_staff_id'),
    event: text('event').notNull(),
    ip: text('ip').notNull().default(''),
    detail: text('detail').notNull().default(''),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [index('audit_practice_time_idx').on(t.practiceId, t.createdAt)],
)

export type Practice = typeof practices.$inferSelect
export type Staff = typeof staff.$inferSelect
export type StaffEmail = typeof staffEmails.$inferSelect
export type Account = typeof accounts.$inferSelect
export type Session = typeof sessions.$inferSelect
