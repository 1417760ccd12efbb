import { plural } from '../../locale'
import type { en } from '../en'

export const emails: (typeof en)['emails'] = {
  hello: (firstName: string) => `Hola, ${firstName}:`,
  pasteLink: 'O pegue esta dirección en su navegador:',
  notYou: 'Si usted no lo pidió, ignore este correo; su contraseña no cambió.',
  resetCode: {
    subject: (code: string, practiceName: string) => `${code} es su código de verificación de ${practiceName}`,
    lead: (practiceName: string) => `Su código de verificación del Staff Portal de ${practiceName} es`,
    enter:
      'Escríbalo junto con su nueva contraseña en la página donde lo pidió, en el mismo navegador. Vence en 10 minutos y funciona una sola vez.',
  },
  resetLink: {
    subject: (practiceName: string) => `Restablezca su contraseña del Staff Portal de ${practiceName}`,
    sent: (practiceName: string) =>
      `El administrador de ${practiceName} le envió un enlace para elegir una contraseña nueva del Staff Portal`,
    button: 'Elegir una contraseña nueva',
    through: (day: string) => `Funciona una sola vez, hasta el final del ${day} (hora de su práctica).`,
  },
  resetLinkNotice: {
    subject: (practiceName: string) => `Se creó un enlace para restablecer la contraseña de su cuenta del Staff Portal de ${practiceName}`,
    lead: (practiceName: string, date: string) =>
      `Un administrador de ${practiceName} creó un enlace para restablecer la contraseña de su cuenta el ${date}.`,
    then: 'Si usted le pidió ayuda, le dará el enlace. Si no, pregunte al administrador de su práctica por qué lo hizo.',
  },
  passwordChanged: {
    subject: (practiceName: string) => `Cambió su contraseña del Staff Portal de ${practiceName}`,
    changed: (date: string) => `La contraseña de su cuenta del Staff Portal cambió el ${date} y se cerraron todas sus sesiones.`,
    ifNotYou: 'Si fue usted, no tiene que hacer nada. Si no, comuníquese de inmediato con el administrador de su práctica.',
  },
  invitation: {
    subject: (practiceName: string) => `Invitación al Staff Portal de ${practiceName}`,
    invited: (inviterName: string, practiceName: string) => `${inviterName} le invitó al Staff Portal de ${practiceName}.`,
    openLink: 'Abra este enlace para crear su cuenta. Elegirá una contraseña y la escribirá dos veces:',
    openLinkHtml: 'Abra el enlace para crear su cuenta: elegirá una contraseña y la escribirá dos veces.',
    button: 'Crear su cuenta',
    expires: (date: string) =>
      `El enlace funciona una sola vez y vence el ${date}. Si ya venció, pida al administrador de su práctica que le envíe una nueva invitación.`,
    notExpecting: 'Si no esperaba este correo, puede ignorarlo.',
  },
  loginEmailVerify: {
    subject: (practiceName: string) => `Confirme su nuevo correo de inicio de sesión del Staff Portal de ${practiceName}`,
    asked: (practiceName: string) =>
      `El administrador de su práctica pidió que esta dirección sea su correo de inicio de sesión en el Staff Portal de ${practiceName}.`,
    openLink: 'Abra este enlace y confirme para hacer el cambio:',
    button: 'Confirmar el nuevo correo de inicio de sesión',
    until: (date: string) =>
      `Funciona una sola vez, hasta el ${date}. Mientras no confirme, seguirá iniciando sesión con su correo actual.`,
    notExpecting: 'Si no esperaba este correo, ignórelo: no cambiará nada.',
  },
  loginEmailChanged: {
    subject: (practiceName: string) => `Cambió su correo de inicio de sesión del Staff Portal de ${practiceName}`,
    changed: (date: string, newEmail: string) =>
      `El ${date}, el correo de inicio de sesión de su cuenta del Staff Portal dejó de ser esta dirección; ahora es ${newEmail}. Se cerraron todas sus sesiones.`,
    ifNotYou:
      'Si fue usted, o el administrador de su práctica a pedido suyo, no tiene que hacer nada. Si no, comuníquese de inmediato con el administrador de su práctica.',
  },
  twoStep: {
    ifNotYou: 'Si no fue usted, comuníquese de inmediato con el administrador de su práctica.',
    app: 'una aplicación de autenticación',
    passkey: (name: string) => `la llave de acceso “${name}”`,
    addedSubject: (factor: string, practiceName: string) =>
      `Inicio de sesión en dos pasos: se agregó ${factor} a su cuenta del Staff Portal de ${practiceName}`,
    added: (date: string, factor: string) =>
      `El ${date}, se agregó ${factor} al inicio de sesión en dos pasos de su cuenta del Staff Portal.`,
    fromNow: 'A partir de ahora, inicia sesión con su contraseña y después con este segundo paso.',
    removedSubject: (factor: string, practiceName: string) =>
      `Inicio de sesión en dos pasos: se quitó ${factor} de su cuenta del Staff Portal de ${practiceName}`,
    offSubject: (practiceName: string) => `Se desactivó el inicio de sesión en dos pasos de su cuenta del Staff Portal de ${practiceName}`,
    removed: (date: string, factor: string) =>
      `El ${date}, se quitó ${factor} del inicio de sesión en dos pasos de su cuenta del Staff Portal.`,
    othersStillWork: 'Sus otros segundos pasos siguen funcionando.',
    nowOff:
      'El inicio de sesión en dos pasos ahora está desactivado: su contraseña sola inicia su sesión, y sus códigos de recuperación ya no funcionan.',
    resetSubject: (practiceName: string) =>
      `El administrador de su práctica restableció el inicio de sesión en dos pasos de su cuenta del Staff Portal de ${practiceName}`,
    reset: (date: string) =>
      `El ${date}, el administrador de su práctica restableció el inicio de sesión en dos pasos de su cuenta del Staff Portal: se quitaron su aplicación de autenticación, sus llaves de acceso y sus códigos de recuperación, y se cerraron todas sus sesiones.`,
    setUpAgain: 'Inicie sesión con su contraseña y vuelva a configurar el inicio de sesión en dos pasos desde el inicio de su portal.',
    codeUsedSubject: (practiceName: string) => `Se usó un código de recuperación en su cuenta del Staff Portal de ${practiceName}`,
    codeUsed: (date: string) =>
      `El ${date}, se usó uno de sus códigos de recuperación para iniciar sesión en su cuenta del Staff Portal. Cada código funciona una sola vez.`,
    noCodesLeft: 'No le quedan códigos de recuperación: genere nuevos en la página Inicio de sesión en dos pasos.',
    codesLeft: (count: number) =>
      `${plural('es', count, { one: 'Le queda {n} código de recuperación', other: 'Le quedan {n} códigos de recuperación' })}. Puede generar nuevos en la página Inicio de sesión en dos pasos.`,
  },
}
