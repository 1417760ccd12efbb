import { getConnInfo } from '@hono/node-server/conninfo'
import type { Config } from '../config'
import type { ClientIp } from './client-ip'

/**
 * The client address on the Node host, by TRUST_PROXY:
 * - `off` (default): the socket's peer. Headers are ignored, since anyone can send them.
 * - `x-forwarded-for`: the last address of X-Forwarded-For, the one our own reverse proxy
 *   appended (earlier entries come from the client and can be forged); the peer when absent.
 * - `cf-connecting-ip`: Cloudflare's CF-Connecting-IP, for a host only Cloudflare can reach.
 * Trusting a header is only safe when nothing but that proxy can reach this port.
 */
export function nodeClientIp(trust: Config['TRUST_PROXY']): ClientIp {
  const peer: ClientIp = (c) => getConnInfo(c).remote.address ?? ''
  if (trust === 'x-forwarded-for')
    return (c) => {
      const hops = (c.req.header('X-Forwarded-For') ?? '')
        .split(',')
        .map((hop) => hop.trim())
        .filter(Boolean)
      return hops.at(-1) ?? peer(c)
    }
  if (trust === 'cf-connecting-ip') return (c) => c.req.header('CF-Connecting-IP')?.trim() || peer(c)
  return peer
}
