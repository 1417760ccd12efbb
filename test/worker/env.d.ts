/// <reference types="@cloudflare/vitest-pool-workers/types" />

declare namespace Cloudflare {
  interface Env {
    [name: string]: unknown
    APP_URL: string
    TURSO_DATABASE_URL: string
    TURSO_AUTH_TOKEN: string
    DEVICE_COOKIE_SECRET: string
  }
}
