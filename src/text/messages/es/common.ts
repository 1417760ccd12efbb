import type { en } from '../en'
import { minutes } from './wait'

export const layout: (typeof en)['layout'] = {
  skipToContent: 'Ir al contenido',
  myPortal: 'Mi portal',
  logOut: 'Cerrar sesión',
  switchLanguage: 'English',
  switchLanguageLabel: 'View this page in English',
  showPassword: 'Mostrar contraseña',
  sessionWarningTitle: '¿Sigue ahí?',
  sessionWarningBody: (n: number) =>
    `Por su seguridad, su sesión se cerrará en ${minutes(n)} si no hay actividad. Se perdería lo que no haya guardado.`,
  staySignedIn: 'Seguir conectado',
}

export const errors: (typeof en)['errors'] = {
  enterEmail: 'Escriba su correo electrónico.',
  emailTooLong: 'Ese correo electrónico es demasiado largo.',
  enterPassword: 'Escriba su contraseña.',
  passwordTooLong: 'Esa contraseña es demasiado larga.',
  enterNewPassword: 'Escriba una contraseña.',
  newPasswordTooLong: 'Use 128 caracteres como máximo.',
  passwordsDoNotMatch: 'Las dos contraseñas no coinciden.',
  enterCurrentPassword: 'Escriba su contraseña actual.',
  enterFirstName: 'Escriba su nombre.',
  enterLastName: 'Escriba su apellido.',
  nameTooLong: 'Use 100 caracteres como máximo.',
  nameControlCharacters: 'Los nombres no pueden contener caracteres de control.',
  chooseLanguage: 'Elija English o Español.',
  enterCode: 'Escriba el código de 8 dígitos del correo.',
  emailLike: 'Escriba un correo electrónico como nombre@ejemplo.com.',
}
