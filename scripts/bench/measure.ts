/** What the benchmarks share: a session cookie from the login form, and the median of samples. */

/** Logs in through the form, as a browser does, and returns the session cookie (`name=value`). */
export async function logInForCookie(base: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: base },
    body: new URLSearchParams({ email, password }),
  })
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('__Host-session='))
  if (response.status !== 303 || !cookie) throw new Error(`logging in as ${email} answered ${response.status}`)
  return cookie.split(';')[0]!
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
