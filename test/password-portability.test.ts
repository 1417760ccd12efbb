import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from '../src/auth/password'
import { HASHED_IN_NODE, HASHED_IN_WORKERD, PORTABLE_PASSWORD } from './worker/fixtures/password-hashes'

// The Node host and the Worker share one database, so a password set on one must verify on the
// other. test/worker/password.test.ts checks HASHED_IN_NODE inside workerd; this checks the reverse.
describe('password hashes across runtimes', () => {
  it('verifies in Node a hash made in workerd, and refuses a wrong password against it', async () => {
    expect(await verifyPassword(HASHED_IN_WORKERD, PORTABLE_PASSWORD)).toBe(true)
    expect(await verifyPassword(HASHED_IN_WORKERD, PORTABLE_PASSWORD.slice(0, -1))).toBe(false)
  })

  it('still verifies the Node fixture that workerd checks, so both sides test the same vector', async () => {
    expect(await verifyPassword(HASHED_IN_NODE, PORTABLE_PASSWORD)).toBe(true)
    expect(HASHED_IN_NODE.split('$').slice(0, 4)).toEqual(HASHED_IN_WORKERD.split('$').slice(0, 4))
    expect((await hashPassword(PORTABLE_PASSWORD)).split('$').slice(0, 4)).toEqual(HASHED_IN_WORKERD.split('$').slice(0, 4))
  })
})
