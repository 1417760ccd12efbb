// htmx is served from public/ but not committed: copy the pinned build at install.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const source = require.resolve('htmx.org/dist/htmx.min.js')
if (!existsSync('public')) mkdirSync('public')
copyFileSync(source, 'public/htmx.min.js')
