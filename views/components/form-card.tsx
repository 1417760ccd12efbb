import type { Child } from 'hono/jsx'
import { ErrorSummary } from './field'
import { PageTitle } from './page-title'

/** The words of a page of one small form, from its section of the catalog. */
export interface FormCardWords {
  title: string
  heading: string
  intro: string
  fixThis: string
}

/** A page of one small form: its title and introduction, what is wrong summed up, then the form. */
export function FormCard(props: { words: FormCardWords; errors: Record<string, string | undefined>; action: string; children: Child }) {
  const { words } = props
  return (
    <>
      <PageTitle text={words.title} />
      <section class="card narrow">
        <h1>{words.heading}</h1>
        <p>{words.intro}</p>
        <ErrorSummary errors={props.errors} title={words.fixThis} />
        <form method="post" action={props.action} class="stack" novalidate>
          {props.children}
        </form>
      </section>
    </>
  )
}
