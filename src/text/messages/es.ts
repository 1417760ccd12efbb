// Las palabras en español de las páginas y los correos para el personal: español neutro de
// Latinoamérica, de usted. Tipado desde el catálogo en inglés: si falta una clave, tsc falla.
import type { en } from './en'
import * as common from './es/common'
import * as password from './es/password'
import * as login from './es/login'
import * as portal from './es/portal'
import * as pages from './es/pages'
import * as twoStep from './es/two-step'
import * as emails from './es/emails'

// Each area's file exports its sections and nothing else (helpers live in ./es/wait.ts): the spread takes every export.
export const es: typeof en = { ...common, ...password, ...login, ...portal, ...pages, ...twoStep, ...emails }
