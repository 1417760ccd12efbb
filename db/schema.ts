import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' })

export const practices = sqliteTable('practices', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  timeZone: text('time_zone').notNull(),
  // The name emails are sent under; the practice name when empty.
  senderName: text('sender_name').notNull().default(''),
  // Practice Settings "Sign Out After": minutes without activity before a session ends (5–60).
  sessionIdleMinutes: integer('session_idle_minutes').notNull().default(30),
  createdAt: timestamp('created_at').notNull(),
})

export const staff = sqliteTable(
  'staff',
  {
    id: text('id').primaryKey(),
    practiceId: text('practice_id')
      .notNull()
      .references(() => practices.id),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    credentials: text('credentials').notNull().default(''),
    phone: text('phone').notNull().default(''),
    isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
    role: text('role', { enum: ['staff', 'admin'] })
      .notNull()
      .default('staff'),
    // The language of this person's pages and emails (src/text/locale.ts).
    language: text('language', { enum: ['en', 'es'] })
      .notNull()
      .default('en'),
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
    practiceId: text('practice_id')
      .notNull()
      .references(() => practices.id),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    // Stored lower-cased so uniqueness and lookups need no collation tricks.
    email: text('email').notNull(),
    isPrimary: integer('is_primary', { mode: 'boolean' }).notNull().default(false),
    position: integer('position').notNull(),
  },
  (t) => [uniqueIndex('staff_emails_practice_email_idx').on(t.practiceId, t.email), index('staff_emails_staff_idx').on(t.staffId)],
)

export const accounts = sqliteTable('accounts', {
  id: text('id').primaryKey(),
  practiceId: text('practice_id')
    .notNull()
    .references(() => practices.id),
  staffId: text('staff_id')
    .notNull()
    .unique()
    .references(() => staff.id, { onDelete: 'cascade' }),
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
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at').notNull(),
    lastSeenAt: timestamp('last_seen_at').notNull(),
    ip: text('ip').notNull().default(''),
    userAgent: text('user_agent').notNull().default(''),
  },
  (t) => [index('sessions_account_idx').on(t.accountId)],
)

/**
 * Failed logins in a row, per login address and per client IP. Addresses are kept as a
 * hash and counted whether or not an account exists, so throttling tells nothing either.
 */
export const loginFailures = sqliteTable(
  'login_failures',
  {
    // "address:<sha-256 of the address>" or "ip:<address>"
    key: text('key').primaryKey(),
    // Set on an address row when the address has an account, so its profile can show the count.
    accountId: text('account_id'),
    failures: integer('failures').notNull().default(0),
    lastFailedAt: timestamp('last_failed_at').notNull(),
  },
  (t) => [index('login_failures_account_idx').on(t.accountId)],
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
  // The Activity page walks the first index; one person's activity (the Staff Portal tab) and
  // one kind of event (the Activity filter) each get their own, so neither reads the practice's
  // whole history to find a page.
  (t) => [
    index('audit_practice_time_idx').on(t.practiceId, t.createdAt),
    index('audit_practice_target_time_idx').on(t.practiceId, t.targetStaffId, t.createdAt),
    index('audit_practice_event_time_idx').on(t.practiceId, t.event, t.createdAt),
  ],
)

export const invitations = sqliteTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    secretHash: text('secret_hash').notNull(),
    practiceId: text('practice_id')
      .notNull()
      .references(() => practices.id),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    invitedByAccountId: text('invited_by_account_id'),
    createdAt: timestamp('created_at').notNull(),
    expiresAt: timestamp('expires_at').notNull(),
    usedAt: timestamp('used_at'),
    revokedAt: timestamp('revoked_at'),
    // Why it was revoked when an edit of the profile did it ('address-removed', 'inactive'); null
    // when the admin pressed Revoke.
    revokedReason: text('revoked_reason', { enum: ['address-removed', 'inactive'] }),
    // Set when a newer invitation to the same person replaces this one.
    replacedAt: timestamp('replaced_at'),
  },
  (t) => [index('invitations_staff_idx').on(t.staffId, t.createdAt)],
)

/**
 * Every message is written here before it is sent. Rows hold what is needed to render the
 * message again, never a token or code: a retry of a message that carries a link issues a new one.
 */
export const emailOutbox = sqliteTable(
  'email_outbox',
  {
    id: text('id').primaryKey(),
    practiceId: text('practice_id').references(() => practices.id),
    recipient: text('recipient').notNull(),
    template: text('template').notNull(),
    // JSON, secret-free: names and dates for the template.
    params: text('params').notNull(),
    // The invitation or reset row whose link the message carries, if any.
    refId: text('ref_id'),
    status: text('status', { enum: ['pending', 'sent', 'failed', 'cancelled'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error').notNull().default(''),
    createdAt: timestamp('created_at').notNull(),
    lastAttemptAt: timestamp('last_attempt_at'),
    sentAt: timestamp('sent_at'),
  },
  (t) => [index('email_outbox_status_idx').on(t.status, t.createdAt), index('email_outbox_ref_idx').on(t.refId)],
)

/** Self-service reset: an 8-digit code mailed to the person, stored only as its SHA-256. */
export const passwordResetCodes = sqliteTable(
  'password_reset_codes',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    practiceId: text('practice_id')
      .notNull()
      .references(() => practices.id),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: timestamp('created_at').notNull(),
    expiresAt: timestamp('expires_at').notNull(),
    usedAt: timestamp('used_at'),
    voidedAt: timestamp('voided_at'),
  },
  (t) => [index('password_reset_codes_account_idx').on(t.accountId, t.createdAt)],
)

/** Each Send Code request, counted per address for the rate limit, known address or not. */
export const resetCodeRequests = sqliteTable(
  'reset_code_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // SHA-256 of the normalised address: what strangers type is not kept in clear.
    emailHash: text('email_hash').notNull(),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [index('reset_code_requests_email_idx').on(t.emailHash, t.createdAt)],
)

/** Admin-generated reset links: the admin picks the last day; only the hash is stored. */
export const passwordResetLinks = sqliteTable(
  'password_reset_links',
  {
    id: text('id').primaryKey(),
    secretHash: text('secret_hash').notNull(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    practiceId: text('practice_id')
      .notNull()
      .references(() => practices.id),
    createdByAccountId: text('created_by_account_id'),
    createdAt: timestamp('created_at').notNull(),
    expiresAt: timestamp('expires_at').notNull(),
    usedAt: timestamp('used_at'),
    revokedAt: timestamp('revoked_at'),
    replacedAt: timestamp('replaced_at'),
  },
  (t) => [index('password_reset_links_account_idx').on(t.accountId, t.createdAt)],
)

/**
 * A signed-up person's new login email, waiting for them to follow the link sent to it. Only the
 * link's SHA-256 is stored; a newer request replaces an older one.
 */
export const loginEmailChanges = sqliteTable(
  'login_email_changes',
  {
    id: text('id').primaryKey(),
    secretHash: text('secret_hash').notNull(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    practiceId: text('practice_id')
      .notNull()
      .references(() => practices.id),
    newEmail: text('new_email').notNull(),
    requestedByAccountId: text('requested_by_account_id'),
    createdAt: timestamp('created_at').notNull(),
    expiresAt: timestamp('expires_at').notNull(),
    usedAt: timestamp('used_at'),
    replacedAt: timestamp('replaced_at'),
  },
  (t) => [index('login_email_changes_account_idx').on(t.accountId, t.createdAt)],
)

export type Practice = typeof practices.$inferSelect
export type Staff = typeof staff.$inferSelect
export type StaffEmail = typeof staffEmails.$inferSelect
export type Account = typeof accounts.$inferSelect
export type Session = typeof sessions.$inferSelect
export type Invitation = typeof invitations.$inferSelect
export type OutboxEmail = typeof emailOutbox.$inferSelect

/**
 * The development outbox: what would have been emailed when no MailChannels key is set (allowed
 * only with a loopback APP_URL), kept in the database so every process, isolate and the
 * practice:create CLI show the same mail at /dev/outbox. Never written in production.
 */
export const devOutbox = sqliteTable('dev_outbox', {
  // Increasing, so "newest first" holds even for messages sent within the same millisecond.
  id: integer('id').primaryKey({ autoIncrement: true }),
  recipient: text('recipient').notNull(),
  subject: text('subject').notNull(),
  text: text('text').notNull(),
  html: text('html').notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
})
