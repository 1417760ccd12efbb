import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

// The real Worker (wrangler.toml as deployed: main, nodejs_compat, static assets, cron) inside
// workerd. Its database is reached over HTTP, as in production: test/worker/global-setup.ts
// starts a local Hrana endpoint and hands its URL and token over as bindings. No MailChannels
// key and a loopback APP_URL (as under `wrangler dev`), so mail goes to the development outbox
// (/dev/outbox.json): the only keyless setting the Worker accepts. test/worker/safe-defaults.test.ts
// checks that any other APP_URL without a key answers 503.
export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          APP_URL: 'http://localhost:8787',
          TURSO_DATABASE_URL: inject('databaseUrl'),
          TURSO_AUTH_TOKEN: inject('databaseToken'),
          // A secret binding in production (wrangler secret put DEVICE_COOKIE_SECRET); fixed here.
          DEVICE_COOKIE_SECRET: 'worker-test-device-cookie-secret-0123456789',
        },
      },
    })),
  ],
  test: {
    name: 'worker',
    include: ['test/worker/**/*.test.ts'],
    globalSetup: ['test/worker/global-setup.ts'],
    // One database for the run, and the scheduled test moves time for all of it: files run one by one.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
