import type { SessionUser } from '../../src/auth/session'
import { Layout } from '../layout'

/** Not found, not allowed, too large: a page that says what happened and where to go. */
export function MessagePage(props: { title: string; message: string; user?: SessionUser | null; link?: { href: string; label: string } }) {
  return (
    <Layout title={props.title} user={props.user}>
      <section class="card narrow">
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        {props.link && (
          <p>
            <a href={props.link.href}>{props.link.label}</a>
          </p>
        )}
      </section>
    </Layout>
  )
}
