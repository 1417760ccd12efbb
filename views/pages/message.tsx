import { PageTitle } from '../components/page-title'

export interface Message {
  title: string
  message: string
  link?: { href: string; label: string }
}

/** Not found, not allowed, too large: a page that says what happened and where to go. */
export function MessagePage(props: Message) {
  return (
    <>
      <PageTitle text={props.title} />
      <section class="card narrow">
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        {props.link && (
          <p>
            <a href={props.link.href}>{props.link.label}</a>
          </p>
        )}
      </section>
    </>
  )
}
