/** A route's path as a reader names it: /staff/:id, not the id's pattern /staff/:id{[a-z2-7]{16}}. */
export const readablePath = (path: string) => path.replace(/\{(?:[^{}]|\{[^{}]*\})*\}/g, '')
