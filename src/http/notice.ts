import type { AppContext } from './env'

/**
 * The notice a page shows after a redirect that named it by a flag in the query (`?welcome`,
 * `?signed_out`…): the first flag present, in the order given, or none.
 */
export function noticeOf(c: AppContext, notices: Record<string, string>): string | undefined {
  const flag = Object.keys(notices).find((name) => c.req.query(name) !== undefined)
  return flag === undefined ? undefined : notices[flag]
}
