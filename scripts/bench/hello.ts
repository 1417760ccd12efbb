// The ceiling: a bare Hono app on @hono/node-server answering "Hello", run as its own
// process the way src/server.ts runs, so the two are measured the same way.
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const app = new Hono()
app.get('/', (c) => c.text('Hello'))

const port = Number(process.env.PORT || 8788)
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, (info) => {
  console.log(`hello listening on http://${info.address}:${info.port}`)
})
const stop = () => server.close(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
