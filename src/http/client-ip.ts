import type { Context } from 'hono'

export type ClientIp = (c: Context) => string

/** Only the host knows which address to trust; without one we record none rather than a spoofable header. */
export const noClientIp: ClientIp = () => ''
