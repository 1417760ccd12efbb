// The name a practice's first admin gets when it is bootstrapped from ADMIN_EMAIL alone (or
// as the demo admin). It shows in every invitation they send, so they are asked for their
// real name at each login until they give it.

export const PLACEHOLDER_NAME = { firstName: 'Practice', lastName: 'Admin' } as const

export const hasPlaceholderName = (person: { firstName: string; lastName: string }) =>
  person.firstName === PLACEHOLDER_NAME.firstName && person.lastName === PLACEHOLDER_NAME.lastName
