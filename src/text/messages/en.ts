// The English words of the staff-facing pages and emails. Every other language's catalog is
// typed from this one (Messages, in ./index.ts): a key missing there fails the type check.
// Admin pages are English only and keep their words in their views.
import * as common from './en/common'
import * as password from './en/password'
import * as login from './en/login'
import * as portal from './en/portal'
import * as pages from './en/pages'
import * as twoStep from './en/two-step'
import * as emails from './en/emails'

// Each area's file exports its sections and nothing else (helpers live in ./en/wait.ts): the spread takes every export.
export const en = { ...common, ...password, ...login, ...portal, ...pages, ...twoStep, ...emails }
