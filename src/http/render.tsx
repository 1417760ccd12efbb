import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { raw } from 'hono/html'
import type { JSX } from 'hono/jsx/jsx-runtime'

export function render(c: Context, page: JSX.Element, status: ContentfulStatusCode = 200) {
  return c.html(
    <>
      {raw('<!doctype html>')}
      {page}
    </>,
    status,
  )
}

/** An htmx fragment: no doctype, since it is swapped into a page that has one. */
export function renderFragment(c: Context, fragment: JSX.Element, status: ContentfulStatusCode = 200) {
  return c.html(fragment, status)
}

/** htmx asks for fragments; a boosted or plain request wants the whole page. */
export const wantsFragment = (c: Context) => c.req.header('HX-Request') === 'true' && c.req.header('HX-Boosted') !== 'true'
