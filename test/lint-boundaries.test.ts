import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

// The import-boundary rule of eslint.config.js, held to deliberate breaches: `npm run lint`
// passing proves nothing if the rule were to stop matching.
const eslint = new ESLint()

async function problemsIn(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).map((message) => message.ruleId)
}

const RULE = '@typescript-eslint/no-restricted-imports'

describe('import boundaries', () => {
  it('refuses a view that imports a value from src/, and allows a type', async () => {
    expect(await problemsIn('views/pages/example.tsx', "import { PASSWORD_MIN } from '../../src/auth/password-policy'\n")).toContain(RULE)
    expect(await problemsIn('views/pages/example.tsx', "import type { SessionUser } from '../../src/auth/session'\n")).toEqual([])
  })

  it('refuses domain code that imports a view', async () => {
    expect(await problemsIn('src/staff/example.ts', "import { fullName } from '../../views/format'\n")).toContain(RULE)
    expect(await problemsIn('src/staff/example.ts', "import type { Props } from '../../views/pages/login'\n")).toContain(RULE)
  })

  it('lets routes, hosts and the renderers import views', async () => {
    expect(await problemsIn('src/routes/example.tsx', "import { LoginPage } from '../../views/pages/login'\n")).toEqual([])
    expect(await problemsIn('src/http/render.tsx', "import { Layout } from '../../views/layout'\n")).toEqual([])
  })

  it('refuses test code outside test/', async () => {
    expect(await problemsIn('scripts/example.ts', "import { startServer } from '../test/support/hrana-server'\n")).toContain(RULE)
    expect(await problemsIn('src/example.ts', "import { x } from '../test/support/app'\n")).toContain(RULE)
  })
})
