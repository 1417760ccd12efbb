import type { DeviceParts } from '../../device'
import { plural } from '../../locale'
import type { en } from '../en'

export const portal: (typeof en)['portal'] = {
  title: 'Su portal',
  welcome: (firstName: string) => `Le damos la bienvenida, ${firstName}`,
  profileHeading: 'Su perfil',
  name: 'Nombre',
  credentials: 'Credenciales',
  practice: 'Práctica',
  signedInAs: 'Sesión iniciada como',
  emailAddresses: 'Correos electrónicos',
  primary: 'Principal',
  askAdmin: 'Para cambiar estos datos, pídaselo al administrador de su práctica.',
  language: 'Idioma',
  languageHint: 'El idioma de las páginas de su portal y de los correos que recibe del portal.',
  saveLanguage: 'Guardar idioma',
  languageSaved: 'Guardado. Sus páginas y correos ahora están en español.',
  securityHeading: 'Inicio de sesión y seguridad',
  changePassword: 'Cambiar contraseña',
  whereSignedIn: 'Dónde tiene la sesión iniciada',
  device: 'Dispositivo',
  address: 'Dirección IP',
  lastSeen: 'Última actividad',
  thisDevice: 'Este dispositivo',
  signOutOthers: 'Cerrar las otras sesiones',
  signedOutOthers: 'Se cerró su sesión en sus otros dispositivos.',
  actions: 'Acciones',
  endSession: 'Cerrar',
  endSessionOf: (device: string) => `la sesión de ${device}`,
  sessionEnded: 'Se cerró esa sesión.',
  confirmItIsYou: 'Para cerrar sus otras sesiones, confirme que es usted.',
  deviceName: (device: DeviceParts) =>
    device.browser === null && device.system === null
      ? 'Dispositivo desconocido'
      : `${device.browser ?? 'Un navegador'} en ${device.system ?? 'un sistema desconocido'}`,
  twoStep: 'Inicio de sesión en dos pasos',
}

export const changePassword: (typeof en)['changePassword'] = {
  title: 'Cambiar contraseña',
  heading: 'Cambie su contraseña',
  intro: 'Se cerrará su sesión en todos sus dispositivos; después inicie sesión de nuevo con la nueva contraseña.',
  fixThis: 'Corrija esto para continuar:',
  submit: 'Cambiar contraseña',
  cancel: 'Cancelar',
  wrongPassword: 'Esa no es su contraseña actual.',
}

export const recovery: (typeof en)['recovery'] = {
  forgotTitle: '¿Olvidó su contraseña?',
  forgotHeading: '¿Olvidó su contraseña?',
  forgotIntro: 'Escriba el correo electrónico con el que inicia sesión. Le enviaremos por correo un código de verificación de 8 dígitos.',
  email: 'Correo electrónico',
  sendCode: 'Enviar código',
  backToLogin: 'Volver a Iniciar sesión',
  tooManyCodes: 'Se pidieron demasiados códigos para este correo. Espere unos minutos y vuelva a intentarlo.',
  resetTitle: 'Restablecer contraseña',
  resetHeading: 'Restablezca su contraseña',
  codeSentBefore: 'Si existe una cuenta para ',
  codeSentAfter: ', le enviamos un código de verificación. Vence en 10 minutos y solo funciona en este navegador.',
  fixThis: 'Corrija esto para continuar:',
  verificationCode: 'Código de verificación',
  submit: 'Restablecer contraseña',
  noCode: '¿No le llegó el código?',
  sendNewCode: 'Enviar un código nuevo',
  otherBrowser: 'Escriba el código en el navegador donde lo pidió, o envíe un código nuevo desde este.',
  codeExpired: 'Este código venció, ya se usó o se intentó demasiadas veces. Envíe un código nuevo.',
  codeWrong: (triesLeft: number) =>
    `Ese código no es correcto. ${plural('es', triesLeft, { one: 'Queda {n} intento', other: 'Quedan {n} intentos' })}.`,
  codeWrongNoTries: 'Ese código no es correcto y se intentó demasiadas veces. Envíe un código nuevo.',
  secondStepNote:
    'Una contraseña nueva no inicia su sesión ni desactiva el inicio de sesión en dos pasos: inicie sesión con ella y luego use su segundo paso o un código de recuperación.',
  linkHeading: 'Elija una contraseña nueva',
  linkIntro: (firstName: string) => `Hola, ${firstName}. Elija una contraseña nueva para el Staff Portal.`,
  linkProblems: {
    expired: 'Este enlace para restablecer la contraseña venció',
    used: 'Este enlace para restablecer la contraseña ya se usó',
    revoked: 'Este enlace para restablecer la contraseña se anuló',
    replaced: 'Un enlace más reciente reemplazó a este',
    unknown: 'Este enlace no es válido',
  },
  linkProblemMessage:
    'Pida un enlace nuevo al administrador de su práctica, o restablezca usted su contraseña con "¿Olvidó su contraseña?" en la página de inicio de sesión.',
  forgotPassword: '¿Olvidó su contraseña?',
  logIn: 'Iniciar sesión',
}

export const yourName: (typeof en)['yourName'] = {
  title: 'Su nombre',
  heading: '¿Cómo se llama?',
  intro:
    'Su cuenta todavía tiene el nombre con el que se creó. El personal ve su nombre en las invitaciones y los correos que usted envía; por favor, escríbalo.',
  firstName: 'Nombre',
  lastName: 'Apellido',
  fixThis: 'Corrija esto para continuar:',
  save: 'Guardar',
  skip: 'Omitir por ahora',
  skipHint: 'Si lo omite, se lo volveremos a pedir la próxima vez que inicie sesión.',
  saved: 'Guardado. Gracias.',
}
