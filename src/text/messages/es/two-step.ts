import { plural } from '../../locale'
import type { en } from '../en'
import { wait } from './wait'

export const twoStep: (typeof en)['twoStep'] = {
  title: 'Inicio de sesión en dos pasos',
  setUpTitle: 'Configure el inicio de sesión en dos pasos',
  required: (practiceName: string) =>
    `${practiceName} exige el inicio de sesión en dos pasos. Para continuar, configure una aplicación de autenticación, o una llave de acceso si este dispositivo tiene una.`,
  isOn: 'El inicio de sesión en dos pasos está activado: después de su contraseña, también usa su aplicación de autenticación o una llave de acceso.',
  isOff:
    'El inicio de sesión en dos pasos está desactivado. Agregue una aplicación de autenticación o una llave de acceso para que su contraseña sola no baste para iniciar sesión como usted.',
  recoveryCodes: 'Códigos de recuperación',
  keepCodes:
    'Guárdelos en un lugar seguro, como un administrador de contraseñas o una hoja impresa. Si pierde su aplicación o su llave de acceso, cada código funciona una vez en su lugar.',
  shownOnce: 'Solo se muestran ahora.',
  keptCodes: 'Ya guardé mis códigos, continuar',
  appHeading: 'Aplicación de autenticación',
  on: 'Activada',
  since: (date: string) => `desde el ${date}`,
  appLocked: 'bloqueada después de demasiados códigos incorrectos: pida ayuda al administrador de su práctica',
  remove: 'Quitar',
  removeApp: 'Quitar la aplicación de autenticación',
  appIntro:
    'Use una aplicación como Google Authenticator, Microsoft Authenticator o 1Password, que genera un código nuevo cada 30 segundos.',
  setUpApp: 'Configurar aplicación de autenticación',
  scan: 'Escanee este código con su aplicación de autenticación, o escriba en ella la clave de configuración. Después escriba el código que le muestre.',
  qrLabel: 'Código QR para escanear con su aplicación de autenticación',
  setupKey: 'Clave de configuración',
  authenticationCode: 'Código de autenticación',
  turnOn: 'Activar',
  passkeysHeading: 'Llaves de acceso',
  passkeysIntro:
    'Una llave de acceso inicia su sesión con la huella, el rostro o el PIN de su dispositivo, y no se puede usar en un sitio que imite a este.',
  passkeysLocked:
    'Sus llaves de acceso están bloqueadas después de demasiados intentos fallidos: pida ayuda al administrador de su práctica.',
  added: (date: string) => `agregada el ${date}`,
  lastUsed: (date: string) => `último uso el ${date}`,
  removeNamed: (name: string) => `Quitar ${name}`,
  passkeyName: 'Nombre de la llave de acceso',
  passkeyNameHint: 'Por ejemplo, “Computadora del trabajo” o “Teléfono”.',
  addPasskey: 'Agregar llave de acceso',
  yourRecoveryCodes: 'Sus códigos de recuperación',
  codesLeft: (count: number) =>
    `${plural('es', count, { one: 'Queda {n} de 10 códigos de recuperación', other: 'Quedan {n} de 10 códigos de recuperación' })}. Cada uno funciona una vez si pierde su aplicación y sus llaves de acceso.`,
  newRecoveryCodes: 'Nuevos códigos de recuperación',
  codesWhenOn: 'Recibirá 10 códigos de recuperación cuando active el inicio de sesión en dos pasos.',
  removedNotice: 'Se quitó. Le enviamos un correo sobre el cambio.',
  passkeyAddedNotice: 'Se agregó la llave de acceso. Le enviamos un correo sobre el cambio.',
  appOnNotice: 'Su aplicación de autenticación está activada.',
  passkeyOnNotice: 'Se agregó su llave de acceso.',
  newCodesNotice: 'Abajo están sus nuevos códigos de recuperación. Los anteriores ya no funcionan.',
  enterAppCode: 'Escriba el código de 6 dígitos que muestra su aplicación.',
  wrongSetupCode: 'Ese código no es correcto. Revise que su teléfono tenga la hora correcta y escriba el código más reciente.',
  enterPasskeyName: 'Ponga un nombre a la llave de acceso, por ejemplo, “Computadora del trabajo”.',
  passkeyNameTooLong: 'Ese nombre es demasiado largo.',
  passkeyNotAdded: {
    invalid: 'No se pudo agregar esa llave de acceso: su dispositivo no confirmó que era usted. Vuelva a intentarlo.',
    expired: 'Pasó demasiado tiempo o la página era antigua. Vuelva a intentarlo.',
    duplicate: 'Esa llave de acceso ya está agregada.',
    tooMany: 'Ya tiene todas las llaves de acceso que permitimos. Quite una primero.',
  },
  yourApp: 'su aplicación de autenticación',
  thePasskey: (name: string) => `la llave de acceso “${name}”`,
  removeTitle: (what: string) => `Quitar ${what}`,
  removeExplanation: (what: string) => `Después de esto, ${what} ya no iniciará su sesión.`,
  lastFactorRequired: (practiceName: string, kind: 'app' | 'passkey') =>
    `${practiceName} exige el inicio de sesión en dos pasos, y este es su único segundo paso. ${
      kind === 'app'
        ? 'Agregue una llave de acceso antes de quitar su aplicación de autenticación.'
        : 'Agregue una aplicación de autenticación u otra llave de acceso antes de quitar esta.'
    }`,
  newCodesExplanation:
    'Recibirá 10 códigos de recuperación nuevos, que se muestran una sola vez. Sus códigos anteriores dejan de funcionar de inmediato.',
  confirmItIsYou: 'Para confirmar que es usted, use su segundo paso.',
  recoveryCode: 'Código de recuperación',
  recoveryCodeHintWithApp: 'O, si no tiene su aplicación, uno de sus códigos de recuperación.',
  recoveryCodeHint: 'Uno de sus códigos de recuperación.',
  cancel: 'Cancelar',
  useAPasskey: 'Usar una llave de acceso',
  enterCodeOrRecoveryCode: 'Escriba un código de su aplicación o un código de recuperación.',
  refused: {
    throttled: (ms: number) => `Demasiados intentos incorrectos. Vuelva a intentarlo en ${wait(ms)}.`,
    locked:
      'Demasiados intentos incorrectos: queda bloqueado hasta que el administrador de su práctica restablezca el inicio de sesión en dos pasos.',
    unavailable: {
      code: 'No tiene activado ningún código.',
      recoveryCode: 'No tiene activado ningún código de recuperación.',
      passkey: 'No tiene activada ninguna llave de acceso.',
    },
    wrong: {
      code: 'Ese código no es correcto o ya se usó.',
      recoveryCode: 'Ese código de recuperación no es correcto o ya se usó.',
      passkey: 'Esa llave de acceso no es correcta o ya se usó.',
    },
  },
  passkeyPrompt: 'Siga las indicaciones de su navegador para usar su llave de acceso…',
  passkeyNotUsed: 'No se usó la llave de acceso. Puede volver a intentarlo.',
}

export const secondStep: (typeof en)['secondStep'] = {
  title: 'Inicio de sesión en dos pasos',
  useRecoveryCode: 'Usar un código de recuperación',
  recoveryIntro:
    'Escriba uno de los códigos de recuperación que guardó cuando activó el inicio de sesión en dos pasos. Cada uno funciona una sola vez.',
  recoveryCode: 'Código de recuperación',
  verify: 'Verificar',
  codeIntro: 'Escriba el código de 6 dígitos que muestra su aplicación de autenticación.',
  authenticationCode: 'Código de autenticación',
  useAPasskey: 'Usar una llave de acceso',
  useAppInstead: 'Usar su aplicación o una llave de acceso',
  startAgain: 'Empezar de nuevo',
  enterAppCode: 'Escriba el código de 6 dígitos que muestra su aplicación.',
  enterRecoveryCode: 'Escriba uno de sus códigos de recuperación.',
}
