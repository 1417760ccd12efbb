// The English words of the staff-facing pages and emails. Every other language's catalog is
// typed from this one (Messages, in ./index.ts): a key missing there fails the type check.
// Admin pages are English only and keep their words in their views.
import { errors, layout } from './en/common'
import { password } from './en/password'
import { invite, login } from './en/login'
import { changePassword, portal, recovery, yourName } from './en/portal'
import { pages } from './en/pages'
import { secondStep, twoStep } from './en/two-step'
import { emails } from './en/emails'

export const en = {
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
