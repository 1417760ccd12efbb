// How the Staffs list writes its links and counts, shared by its parts.

/** The list under a Search, a Status and a page, as a link. */
export const listHref = (q: string, status: string, page = 1) => {
  const params = new URLSearchParams()
  if (q) params.set('q', q)
  if (status) params.set('status', status)
  if (page > 1) params.set('page', String(page))
  const query = params.toString()
  return query ? `/staff?${query}` : '/staff'
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
