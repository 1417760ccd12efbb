// The Node host's DEVICE_COOKIE_SECRET when the operator set none: a random key generated once
// and kept in a file beside the local database (the same backups and the same permissions
// story). Node-only (file system); the Worker requires the secret as a binding instead.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { encodeBase64urlNoPadding } from '@oslojs/encoding'
import { ConfigError, type Config } from './config'
import { randomBytes } from './ids'
import { filePathOf, isFileUrl } from './node-database'

export const DEVICE_KEY_FILE = 'device-cookie.key'

export interface DeviceSecret {
  config: Config
  /** The key file that was read or created, when the secret came from one. */
  keyFile?: string
  created: boolean
}

/** The config with DEVICE_COOKIE_SECRET set: the setting, or the key file beside the database file (made with mode 0600 if missing). */
export function withDeviceCookieSecret(config: Config): DeviceSecret {
  if (config.DEVICE_COOKIE_SECRET) return { config, created: false }
  const url = config.DATABASE_URL
  if (!isFileUrl(url))
    throw new ConfigError([
      'DEVICE_COOKIE_SECRET is missing: with a remote database there is no local file to keep a generated one in; set a random value of 32 characters or more',
    ])
  const keyFile = join(dirname(filePathOf(url)), DEVICE_KEY_FILE)
  let secret: string
  let created = false
  try {
    secret = readFileSync(keyFile, 'utf8').trim()
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error
    secret = encodeBase64urlNoPadding(randomBytes(32))
    try {
      // 'wx': two processes starting at once cannot overwrite each other's key.
      writeFileSync(keyFile, `${secret}\n`, { mode: 0o600, flag: 'wx' })
      chmodSync(keyFile, 0o600)
      created = true
    } catch (raced) {
      if ((raced as { code?: unknown }).code !== 'EEXIST') throw raced
      secret = readFileSync(keyFile, 'utf8').trim()
    }
  }
  if (secret.length < 32)
    throw new ConfigError([`DEVICE_COOKIE_SECRET: ${keyFile} holds fewer than 32 characters; delete it to generate a new key`])
  return { config: { ...config, DEVICE_COOKIE_SECRET: secret }, keyFile, created }
}
