// What a device is called on the page that lists where someone is signed in: the browser and
// the system a User-Agent names, as raw parts. Each catalog puts them into words
// ("Chrome on Windows", "Chrome en Windows").

export type Browser = 'Edge' | 'Firefox' | 'Chrome' | 'Safari'
export type DeviceSystem = 'Windows' | 'iOS' | 'Android' | 'macOS' | 'Linux'

/** A part is null when the User-Agent does not say, or says something we do not name. */
export interface DeviceParts {
  browser: Browser | null
  system: DeviceSystem | null
}
