/** The page's <title>: written where the page is, Hono moves it into the layout's head. */
export function PageTitle(props: { text: string }) {
  return <title>{`${props.text} · Staff Portal`}</title>
}
