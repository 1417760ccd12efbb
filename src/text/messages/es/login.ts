import type { en } from '../en'
import { wait } from './wait'

export const login: (typeof en)['login'] = {
  title: 'Iniciar sesión',
  heading: 'Iniciar sesión en Staff Portal',
  email: 'Correo electrónico',
  password: 'Contraseña',
  submit: 'Iniciar sesión',
  forgotPassword: '¿Olvidó su contraseña?',
  welcome: 'Su cuenta está lista. Inicie sesión con su correo electrónico y su contraseña.',
  passwordChanged: 'Su contraseña cambió. Inicie sesión con la nueva contraseña.',
  loginEmailChanged: 'Su correo de inicio de sesión cambió. Inicie sesión con su nuevo correo electrónico.',
  loggedOut: 'Cerró la sesión.',
  sessionEnded:
    'Se cerró su sesión porque terminó su tiempo (después de un rato sin actividad o después de 12 horas). Inicie sesión de nuevo para volver a donde estaba.',
  failed: 'Ese correo electrónico y esa contraseña no corresponden a ninguna cuenta con acceso al portal.',
  locked:
    'Demasiados intentos fallidos: el inicio de sesión con este correo está bloqueado. Restablezca su contraseña con "¿Olvidó su contraseña?" o pida al administrador de su práctica que lo desbloquee.',
  throttled: (ms: number) => `Demasiados intentos fallidos. Vuelva a intentarlo en ${wait(ms)}.`,
  twoStepExpired: 'Su inicio de sesión tardó demasiado o se terminó en otro lugar. Inicie sesión de nuevo.',
  passkey: 'Iniciar sesión con una llave de acceso',
  passkeyFailed: 'Esa llave de acceso no inició su sesión. Vuelva a intentarlo o inicie sesión con su correo electrónico y su contraseña.',
  passkeyLocked:
    'Demasiados intentos fallidos: el inicio de sesión con esta cuenta está bloqueado. Pida ayuda al administrador de su práctica.',
}

export const invite: (typeof en)['invite'] = {
  title: 'Crear cuenta',
  heading: 'Cree su cuenta',
  intro: (firstName: string, practiceName: string) =>
    `Le damos la bienvenida, ${firstName}. Elija una contraseña para el Staff Portal de ${practiceName}.`,
  email: 'Correo electrónico',
  fixThis: 'Corrija esto para continuar:',
  submit: 'Crear cuenta',
  problems: {
    expired: { title: 'Esta invitación venció', message: 'Por su seguridad, los enlaces de invitación duran solo unos días.' },
    used: {
      title: 'Esta invitación ya se usó',
      message: 'Con este enlace ya se creó una cuenta. Si fue usted, inicie sesión con su correo electrónico y su contraseña.',
    },
    revoked: { title: 'Esta invitación fue anulada', message: 'El administrador de su práctica retiró esta invitación.' },
    replaced: {
      title: 'Una invitación más reciente reemplazó a esta',
      message: 'Solo funciona el enlace de la invitación más reciente. Busque un correo más nuevo de su práctica.',
    },
    withdrawn: {
      title: 'Esta invitación ya no es válida',
      message: 'El administrador de su práctica cambió el perfil al que correspondía esta invitación, así que el enlace ya no funciona.',
    },
    unknown: {
      title: 'Este enlace no es válido',
      message: 'Puede que la dirección esté incompleta. Revise que copió el enlace completo del correo.',
    },
  },
  usedHint: '¿Olvidó su contraseña? Use "¿Olvidó su contraseña?" en la página de inicio de sesión.',
  askForNew: 'Pida al administrador de su práctica que le envíe una nueva invitación.',
  goToLogin: 'Ir a la página de inicio de sesión',
}
