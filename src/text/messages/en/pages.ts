/** The pages that say what happened when there is nothing else to show. */
export const pages = {
  notFound: { title: 'Page not found', message: 'There is nothing at this address.' },
  goHome: 'Go home',
  refused: {
    title: 'Request refused',
    message: 'This form was sent from another site or an old page. Go back, reload the page and try again.',
  },
  tooLarge: {
    title: 'Too much data',
    message: 'That form was larger than we accept. Please shorten what you entered and try again.',
  },
  busy: { title: 'Busy, try again', message: 'The database was busy and nothing was saved. Please try again in a moment.' },
  error: { title: 'Something went wrong', message: 'We could not finish that. Nothing was lost; please try again in a moment.' },
  adminsOnly: { title: 'Not available', message: 'Only practice admins can open this page.' },
  goPortalHome: 'Go to your portal home',
}
