// The Staffs "Status" filter: its URL values and the words people see (DESIGN.md's UI names).
// Here, below views and domain code both, so the select and the query agree on one list.

export const STATUS_FILTERS = {
  'yet-to-sign-up': 'Yet to sign up',
  'signup-initiated': 'Signup initiated',
  'signed-up': 'Signed up',
  'invitation-expired': 'Invitation expired',
  'email-not-delivered': 'Email not delivered',
  'access-disabled': 'Access disabled',
  inactive: 'Inactive',
} as const

export type StatusFilter = keyof typeof STATUS_FILTERS

export const isStatusFilter = (value: unknown): value is StatusFilter =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(STATUS_FILTERS, value)
