// The import boundaries of docs/architecture.md, checked with the tests (npm run lint).
// Views are a leaf: they may import types from src/, never values, save from src/text/ (how
// dates and names read), which sits below views and domain code both. Domain code never imports
// views: only the routes, the hosts, the page renderer and the email renderer may.
// Nothing outside test/ imports test code.
import tseslint from 'typescript-eslint'

const fromTest = { regex: '(^|/)test/', message: 'Only tests may import test code.' }
const fromViews = {
  regex: '(^|/)views/',
  message: 'Domain code may not import views: routes, hosts and the renderers pass it what it shows.',
}
const fromSrc = {
  regex: '(^|/)src/(?!text/)',
  allowTypeImports: true,
  message: 'Views import only types from src/: a route passes them what they show as props.',
}

const restrict = (...patterns) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
})

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', '.wrangler/', 'data/', 'public/htmx.min.js', 'db/migrations/'] },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  { files: ['views/**/*.{ts,tsx}'], rules: restrict(fromSrc, fromTest) },
  { files: ['src/**/*.{ts,tsx}', 'db/**/*.ts'], rules: restrict(fromViews, fromTest) },
  // The layers allowed to turn data into pages and emails.
  {
    files: ['src/routes/**/*.{ts,tsx}', 'src/app.tsx', 'src/server.ts', 'src/worker.ts', 'src/http/render.tsx', 'src/email/render.tsx'],
    rules: restrict(fromTest),
  },
  { files: ['scripts/**/*.{ts,mjs,js}'], rules: restrict(fromTest) },
)
