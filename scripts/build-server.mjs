// Compiles the Node host (src/server.ts) into build/server.mjs with esbuild, so `npm start` is
// one node process running JavaScript: no TypeScript loader in memory, no npm → tsx → node chain.
// Runs after `npm install` / `npm ci` (postinstall) and before `npm start` (prestart), where it
// returns at once when nothing it was built from has changed since.
//
// build/ sits beside src/ on purpose: the host finds public/ and db/migrations/ relative to its
// own file (../public, ../db/migrations), which holds from either folder.
//
//   node scripts/build-server.mjs           build when out of date
//   node scripts/build-server.mjs --force   build anyway
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const OUT_DIR = `${ROOT}build`
export const ENTRY = `${OUT_DIR}/server.mjs`
const META = `${OUT_DIR}/meta.json`

/** Whether build/server.mjs is older than anything it was built from (or than this script, or the lockfile). */
export function isStale() {
  if (!existsSync(ENTRY) || !existsSync(META)) return true
  const built = statSync(ENTRY).mtimeMs
  let inputs
  try {
    inputs = Object.keys(JSON.parse(readFileSync(META, 'utf8')).inputs)
  } catch {
    return true
  }
  const sources = [...inputs.map((path) => `${ROOT}${path}`), fileURLToPath(import.meta.url), `${ROOT}package-lock.json`]
  return sources.some((path) => !existsSync(path) || statSync(path).mtimeMs > built)
}

export async function buildServer() {
  const { build } = await import('esbuild')
  // Chunk names carry a hash: old ones would pile up.
  rmSync(OUT_DIR, { recursive: true, force: true })
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { server: 'src/server.ts' },
    outdir: OUT_DIR,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // Chunks load on first use: the password-strength dictionaries wait for the first password check.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    // @libsql/client loads a native module per platform; it stays in node_modules.
    external: ['@libsql/client', 'libsql'],
    // Some bundled CommonJS packages call require() for Node built-ins.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  })
  writeFileSync(META, JSON.stringify({ inputs: result.metafile.inputs }))
  return result
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--force') || isStale()) {
    const start = performance.now()
    await buildServer()
    console.log(`Built ${ENTRY.slice(ROOT.length)} in ${Math.round(performance.now() - start)} ms.`)
  }
}
