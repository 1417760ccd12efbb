// Where pages link public/ files. A host that knows each file's content hash (the Node host
// hashes them at start) registers it, and pages link `/app.css?v=<hash>`: the address changes
// whenever the content does, so the file can be cached for a year as immutable. Without a
// hash (tests) pages link the plain name and the file is revalidated instead. The Worker
// hashes the linked files once per isolate (./worker-assets.ts).

export type AssetVersions = Readonly<Record<string, string>>

/** The files in public/ that every page links (views/layout.tsx). */
export const LINKED_ASSETS = ['app.css', 'htmx.min.js', 'app.js', 'passkey.js'] as const

let versions: AssetVersions = {}

/** Called by the host with { 'app.css': '<hash>', ... }; replaces what was known before. */
export function setAssetVersions(next: AssetVersions): void {
  versions = { ...next }
}

/** The address of a file in public/, e.g. assetHref('app.css') → '/app.css?v=3f2a…'. */
export function assetHref(name: string): string {
  const version = versions[name]
  return version ? `/${name}?v=${version}` : `/${name}`
}
