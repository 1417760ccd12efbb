import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' })

// Columns many tables share. Each call builds a fresh column: a column belongs to one table.
const id = () => text('id').primaryKey()
const createdAt = () => timestamp('created_at').notNull()
/** Only the SHA-256 of a link's or token's secret is ever stored. */
const secretHash = () => text('secret_hash').notNull()
/** The practice a row belongs to. */
const practiceId = () =>
  text('practice_id')
    .notNull()
    .references(() => practices.id)
/** The account a row belongs to: the row goes when the account does. */
const accountId = () =>
  text('account_id')
    .notNull()
    .references(() => accounts.id, { onDelete: 'cascade' })

export const practices = sqliteTable('practices', {
  id: id(),
  name: text('name').notNull().unique(),
  timeZone: text('time_zone').notNull(),
  // The name emails are sent under; the practice name when empty.
  senderName: text('sender_name').notNull().default(''),
  // Practice Settings "Sign Out After": minutes without activity before a session ends (5–60).
  sessionIdleMinutes: integer('session_idle_minutes').notNull().default(30),
  // Practice Settings "Require Two-Step Sign-In": who must have a second factor to get past login.
  twoStepPolicy: text('two_step_policy', { enum: ['off', 'admins', 'everyone'] })
    .notNull()
    .default('off'),
  createdAt: createdAt(),
})

export const staff = sqliteTable(
  'staff',
  {
    id: id(),
    practiceId: practiceId(),
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
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [
    index('staff_practice_name_idx').on(t.practiceId, sql`${t.lastName} collate nocase`, sql`${t.firstName} collate nocase`),
    index('staff_practice_first_name_idx').on(t.practiceId, sql`${t.firstName} collate nocase`),
    // Search matches the start of the credentials ("rbt") too.
    index('staff_practice_credentials_idx').on(t.practiceId, sql`${t.credentials} collate nocase`),
  ],
)

export const staffEmails = sqliteTable(
  'staff_emails',
  {
    id: id(),
    practiceId: practiceId(),
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
  id: id(),
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
  createdAt: createdAt(),
})

export const sessions = sqliteTable(
  'sessions',
  {
    id: id(),
    secretHash: secretHash(),
    accountId: accountId(),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at').notNull(),
    ip: text('ip').notNull().default(''),
    userAgent: text('user_agent').notNull().default(''),
    // Started for a person the practice's policy requires two-step sign-in of and who has no
    // factor yet: it opens the "Set Up Two-Step Sign-In" page and nothing else until one is on.
    twoStepSetup: integer('two_step_setup', { mode: 'boolean' }).notNull().default(false),
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
    createdAt: createdAt(),
  },
  // The Activity page walks the first index; one person's activity (the Staff Portal tab) and
  // one kind of event (the Activity filter) each get their own, so neither reads the practice's
  // whole history to find a page.
  (t) => [
    index('audit_practice_time_idx').on(t.practiceId, t.createdAt),
    index('audit_practice_target_time_idx').on(t.practiceId, t.targetStaffId, t.createdAt),
    index('audit_practice_event_time_idx').on(t.practiceId, t.event, t.createdAt),
    // Security events are throttled per (event, IP) per minute (insertSecurityEvent).
    index('audit_event_ip_time_idx').on(t.event, t.ip, t.createdAt),
  ],
)

export const invitations = sqliteTable(
  'invitations',
  {
    id: id(),
    secretHash: secretHash(),
    practiceId: practiceId(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    invitedByAccountId: text('invited_by_account_id'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at').notNull(),
    usedAt: timestamp('used_at'),
    revokedAt: timestamp('revoked_at'),
    // Why it was revoked when an edit of the profile did it ('address-removed', 'inactive'); null
    // when the admin pressed Revoke.
    revokedReason: text('revoked_reason', { enum: ['address-removed', 'inactive'] }),
    // Set when a newer invitation to the same person replaces this one.
    replacedAt: timestamp('replaced_at'),
    // The Invite Selected that sent it, whose result page follows each delivery.
    batchId: text('batch_id'),
  },
  (t) => [index('invitations_staff_idx').on(t.staffId, t.createdAt), index('invitations_practice_batch_idx').on(t.practiceId, t.batchId)],
)

/**
 * Every message is written here before it is sent. Rows hold what is needed to render the
 * message again, never a token or code: a retry of a message that carries a link issues a new one.
 */
export const emailOutbox = sqliteTable(
  'email_outbox',
  {
    id: id(),
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
    createdAt: createdAt(),
    lastAttemptAt: timestamp('last_attempt_at'),
    sentAt: timestamp('sent_at'),
  },
  (t) => [index('email_outbox_status_idx').on(t.status, t.createdAt), index('email_outbox_ref_idx').on(t.refId)],
)

/**
 * Each Send Code request that was accepted, known address or not: the browser that asked (the
 * hash of its secret), its own tries, and when it stops working. The per-browser limits and the
 * tries live here, so one browser never uses up another's.
 */
export const resetCodeRequests = sqliteTable(
  'reset_code_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // SHA-256 of the normalised address: what strangers type is not kept in clear.
    emailHash: text('email_hash').notNull(),
    // SHA-256 of the asking browser's secret: the secret itself never reaches the database.
    browserHash: text('browser_hash').notNull().default(''),
    ip: text('ip').notNull().default(''),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at')
      .notNull()
      .default(sql`0`),
    attempts: integer('attempts').notNull().default(0),
    usedAt: timestamp('used_at'),
    voidedAt: timestamp('voided_at'),
  },
  (t) => [
    index('reset_code_requests_browser_idx').on(t.emailHash, t.browserHash, t.createdAt),
    index('reset_code_requests_ip_idx').on(t.ip, t.createdAt),
  ],
)

/**
 * The 8-digit code mailed for a request whose address has an account, stored only as
 * SHA-256(browser secret:code). One row is one code email: the mail cap counts them.
 */
export const passwordResetCodes = sqliteTable(
  'password_reset_codes',
  {
    id: id(),
    accountId: accountId(),
    practiceId: practiceId(),
    requestId: integer('request_id').references(() => resetCodeRequests.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    // Tries are counted on the request row now (reset-code.ts). The column stays until a later
    // release so the one before this keeps running after the migration (docs/operations.md).
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at').notNull(),
    usedAt: timestamp('used_at'),
    voidedAt: timestamp('voided_at'),
  },
  (t) => [
    index('password_reset_codes_account_idx').on(t.accountId, t.createdAt),
    index('password_reset_codes_request_idx').on(t.requestId),
  ],
)

/** Admin-generated reset links: the admin picks the last day; only the hash is stored. */
export const passwordResetLinks = sqliteTable(
  'password_reset_links',
  {
    id: id(),
    secretHash: secretHash(),
    accountId: accountId(),
    practiceId: practiceId(),
    createdByAccountId: text('created_by_account_id'),
    createdAt: createdAt(),
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
    id: id(),
    secretHash: secretHash(),
    accountId: accountId(),
    practiceId: practiceId(),
    newEmail: text('new_email').notNull(),
    requestedByAccountId: text('requested_by_account_id'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at').notNull(),
    usedAt: timestamp('used_at'),
    replacedAt: timestamp('replaced_at'),
  },
  (t) => [index('login_email_changes_account_idx').on(t.accountId, t.createdAt)],
)

// ─── Two-step sign-in ────────────────────────────────────────────────────────────────────
// Owned by src/two-step/: one module per table, each the only writer to it.

/**
 * The authenticator app of an account (one per account). The secret cannot be hashed: the app
 * and the server both derive codes from it. `last_step` is the last 30-second step accepted, so
 * a code works once (the accepting UPDATE requires last_step < the step).
 */
export const totpFactors = sqliteTable('totp_factors', {
  accountId: text('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  practiceId: text('practice_id')
    .notNull()
    .references(() => practices.id),
  // Base32 (RFC 4648, no padding) of the 20-byte secret.
  secret: text('secret').notNull(),
  // 'pending' from Set Up Authenticator App until a correct code turns it on.
  status: text('status', { enum: ['pending', 'enabled'] }).notNull(),
  lastStep: integer('last_step').notNull().default(0),
  createdAt: createdAt(),
  enabledAt: timestamp('enabled_at'),
})

/** Passkeys (WebAuthn credentials). The public key is kept in our own encoding per algorithm. */
export const passkeys = sqliteTable(
  'passkeys',
  {
    // The credential id, base64url: what the browser names the passkey by.
    id: id(),
    accountId: accountId(),
    practiceId: practiceId(),
    // COSE algorithm: -7 (ES256: SEC1 uncompressed point) or -257 (RS256: PKCS#1 key), base64url.
    algorithm: integer('algorithm').notNull(),
    publicKey: text('public_key').notNull(),
    signCount: integer('sign_count').notNull().default(0),
    name: text('name').notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at'),
  },
  (t) => [index('passkeys_account_idx').on(t.accountId)],
)

/** Ten single-use recovery codes per account, stored as SHA-256 only. */
export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    id: id(),
    accountId: accountId(),
    practiceId: practiceId(),
    codeHash: text('code_hash').notNull(),
    createdAt: createdAt(),
    usedAt: timestamp('used_at'),
  },
  (t) => [index('recovery_codes_account_idx').on(t.accountId), uniqueIndex('recovery_codes_hash_idx').on(t.accountId, t.codeHash)],
)

/** Wrong second-factor answers in a row, per account and factor; 100 locks that factor until an admin resets it. */
export const twoStepFailures = sqliteTable(
  'two_step_failures',
  {
    accountId: accountId(),
    factor: text('factor', { enum: ['totp', 'passkey', 'recovery-code'] }).notNull(),
    practiceId: practiceId(),
    failures: integer('failures').notNull().default(0),
    lastFailedAt: timestamp('last_failed_at').notNull(),
  },
  (t) => [uniqueIndex('two_step_failures_key_idx').on(t.accountId, t.factor)],
)

/**
 * The state between a correct password and the second step: not a session, it opens no page.
 * Only the SHA-256 of its token's secret is kept, as for sessions.
 */
export const pendingLogins = sqliteTable(
  'pending_logins',
  {
    id: id(),
    secretHash: secretHash(),
    accountId: accountId(),
    practiceId: practiceId(),
    ip: text('ip').notNull().default(''),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at').notNull(),
  },
  (t) => [index('pending_logins_account_idx').on(t.accountId)],
)

/**
 * WebAuthn challenges, kept server side and used once: the row is deleted as it is checked.
 * Bound to a purpose and to an account (registration, confirming a change) or to a pending
 * login (second step); a passkey-only login binds to neither, since nobody is known yet.
 */
export const webauthnChallenges = sqliteTable(
  'webauthn_challenges',
  {
    id: id(),
    // SHA-256 of the challenge: the browser hands the challenge back inside clientDataJSON.
    challengeHash: text('challenge_hash').notNull().unique(),
    purpose: text('purpose', { enum: ['register', 'confirm', 'second-step', 'passkey-login'] }).notNull(),
    accountId: text('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    pendingLoginId: text('pending_login_id').references(() => pendingLogins.id, { onDelete: 'cascade' }),
    practiceId: text('practice_id').references(() => practices.id),
    // passkey-login: SHA-256 of the secret in the asking browser's cookie, so only that browser
    // can answer it; and the address that asked, to bound how many one address holds at once.
    browserHash: text('browser_hash'),
    ip: text('ip').notNull().default(''),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at').notNull(),
  },
  (t) => [
    index('webauthn_challenges_expiry_idx').on(t.expiresAt),
    index('webauthn_challenges_purpose_ip_idx').on(t.purpose, t.ip, t.expiresAt),
  ],
)
// ─── end of two-step sign-in ─────────────────────────────────────────────────────────────

export type Practice = typeof practices.$inferSelect
export type Staff = typeof staff.$inferSelect
export type StaffEmail = typeof staffEmails.$inferSelect
export type Account = typeof accounts.$inferSelect
export type Session = typeof sessions.$inferSelect
export type Invitation = typeof invitations.$inferSelect
export type OutboxEmail = typeof emailOutbox.$inferSelect
export type TotpFactor = typeof totpFactors.$inferSelect
export type Passkey = typeof passkeys.$inferSelect

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
