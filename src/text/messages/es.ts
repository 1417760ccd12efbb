// Las palabras en español de las páginas y los correos para el personal: español neutro de
// Latinoamérica, de usted. Tipado desde el catálogo en inglés: si falta una clave, tsc falla.
import type { en } from './en'
import { errors, layout } from './es/common'
import { password } from './es/password'
import { invite, login } from './es/login'
import { changePassword, portal, recovery, yourName } from './es/portal'
import { pages } from './es/pages'
import { secondStep, twoStep } from './es/two-step'
import { emails } from './es/emails'

export const es: typeof en = {
  layout,
  errors,
  password,
  login,
  invite,
  portal,
  changePassword,
  recovery,
  yourName,
  pages,
  twoStep,
  secondStep,
  emails,
}
