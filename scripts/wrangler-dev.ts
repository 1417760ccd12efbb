import { spawn, type StdioOptions } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const WRANGLER = fileURLToPath(new URL('../node_modules/wrangler/bin/wrangler.js', import.meta.url))

/** `wrangler dev` on 127.0.0.1:`port` with the Worker's settings as vars: the Worker host's dev server and the distance benchmark. */
export function spawnWranglerDev(options: { port: number; flags?: string[]; vars: Record<string, string>; stdio: StdioOptions }) {
  const vars = Object.entries(options.vars).flatMap(([name, value]) => ['--var', `${name}:${value}`])
  return spawn(
    process.execPath,
    [WRANGLER, 'dev', '--ip', '127.0.0.1', '--port', String(options.port), ...(options.flags ?? []), ...vars],
    {
      cwd: ROOT,
      stdio: options.stdio,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    },
  )
}
