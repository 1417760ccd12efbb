import { defineConfig } from 'drizzle-kit'

// Migrations are generated from db/schema.ts and committed; `npm run db:migrate`
// applies them to whichever database the environment names.
export default defineConfig({
  dialect: 'turso',
  schema: './db/schema.ts',
  out: './db/migrations',
  dbCredentials: {
    url: process.env.TURSO_DATABASE_URL ?? process.env.DATABASE_URL ?? 'file:./data/app.db',
    authToken: process.env.TURSO_AUTH_TOKEN,
  },
})
