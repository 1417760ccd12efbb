// Las palabras en español de las páginas y los correos para el personal: español neutro de
// Latinoamérica, de usted. Tipado desde el catálogo en inglés: si falta una clave, tsc falla.
import type { DeviceParts } from '../device'
import { plural } from '../locale'
import type { en } from './en'

const minutes = (n: number) => plural('es', n, { one: '{n} minuto', other: '{n} minutos' })

const wait = (ms: number) => {
  const seconds = Math.ceil(ms / 1000)
  if (seconds < 60) return plural('es', seconds, { one: '{n} segundo', other: '{n} segundos' })
  return minutes(Math.ceil(seconds / 60))
}

export const es: typeof en = {
  layout: {
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
  },
  errors: {
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
  },
  password: {
    show: 'Mostrar contraseña',
    hide: 'Ocultar contraseña',
    password: 'Contraseña',
    confirmPassword: 'Confirmar contraseña',
    newPassword: 'Nueva contraseña',
    confirmNewPassword: 'Confirmar nueva contraseña',
    currentPassword: 'Contraseña actual',
    hint: (min: number) =>
      `Al menos ${min} caracteres. Varias palabras sin relación entre sí forman una contraseña segura y fácil de recordar; puede pegarla desde un administrador de contraseñas.`,
    tooShort: (min: number, length: number) =>
      `Use al menos ${min} caracteres (esta tiene ${plural('es', length, { one: '{n} carácter', other: '{n} caracteres' })}).`,
    tooLong: (max: number) => `Use ${max} caracteres como máximo.`,
    mostlyContext:
      'Esta contraseña es demasiado fácil de adivinar. Está formada sobre todo por su nombre, su correo electrónico o el nombre de la práctica.',
    guessable: 'Esta contraseña es demasiado fácil de adivinar.',
    guessableReason: 'Sería fácil de adivinar.',
    guessableHint: 'Pruebe con varias palabras sin relación entre sí.',
    breached: 'Esta contraseña apareció en una filtración de datos conocida, por eso los atacantes la prueban primero. Elija otra.',
    tooLongHas: (max: number, length: number) =>
      `Use ${max} caracteres como máximo (esta tiene ${plural('es', length, { one: '{n} carácter', other: '{n} caracteres' })}).`,
    counter: {
      short: '{length} de al menos {min} caracteres',
      long: '{length} caracteres: como máximo {max}',
      fine: '{length} caracteres',
    },
    warnings: {
      straightRow: 'Las filas seguidas de teclas del teclado son fáciles de adivinar.',
      keyPattern: 'Los patrones cortos del teclado son fáciles de adivinar.',
      simpleRepeat: 'Los caracteres repetidos, como "aaa", son fáciles de adivinar.',
      extendedRepeat: 'Los patrones de caracteres repetidos, como "abcabcabc", son fáciles de adivinar.',
      sequences: 'Las secuencias comunes de caracteres, como "abc", son fáciles de adivinar.',
      recentYears: 'Los años recientes son fáciles de adivinar.',
      dates: 'Las fechas son fáciles de adivinar.',
      topTen: 'Esta contraseña se usa muchísimo.',
      topHundred: 'Esta contraseña se usa con mucha frecuencia.',
      common: 'Esta es una contraseña de uso común.',
      similarToCommon: 'Se parece a una contraseña de uso común.',
      wordByItself: 'Las palabras sueltas son fáciles de adivinar.',
      namesByThemselves: 'Los nombres o apellidos sueltos son fáciles de adivinar.',
      commonNames: 'Los nombres y apellidos comunes son fáciles de adivinar.',
      userInputs: 'No debe contener datos personales ni datos de esta página.',
      pwned: 'Esta contraseña quedó expuesta en una filtración de datos en Internet.',
    },
    suggestions: {
      l33t: "Evite sustituciones previsibles de letras, como '@' por 'a'.",
      reverseWords: 'Evite escribir al revés palabras comunes.',
      allUppercase: 'Ponga en mayúscula algunas letras, pero no todas.',
      capitalization: 'Ponga en mayúscula más letras que la primera.',
      dates: 'Evite fechas y años relacionados con usted.',
      recentYears: 'Evite los años recientes.',
      associatedYears: 'Evite los años relacionados con usted.',
      sequences: 'Evite las secuencias comunes de caracteres.',
      repeated: 'Evite repetir palabras y caracteres.',
      longerKeyboardPattern: 'Use patrones de teclado más largos y cambie varias veces de dirección al escribir.',
      anotherWord: 'Agregue más palabras que sean menos comunes.',
      useWords: 'Use varias palabras, pero evite frases hechas.',
      noNeed: 'Puede crear contraseñas seguras sin símbolos, números ni mayúsculas.',
      pwned: 'Si usa esta contraseña en otro lugar, debería cambiarla.',
    },
    tooManyTries: (ms: number) => `Demasiados intentos fallidos. Vuelva a intentarlo en ${wait(ms)}.`,
  },
  login: {
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
    passkeyFailed:
      'Esa llave de acceso no inició su sesión. Vuelva a intentarlo o inicie sesión con su correo electrónico y su contraseña.',
    passkeyLocked:
      'Demasiados intentos fallidos: el inicio de sesión con esta cuenta está bloqueado. Pida ayuda al administrador de su práctica.',
  },
  invite: {
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
  },
  portal: {
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
  },
  changePassword: {
    title: 'Cambiar contraseña',
    heading: 'Cambie su contraseña',
    intro: 'Se cerrará su sesión en todos sus dispositivos; después inicie sesión de nuevo con la nueva contraseña.',
    fixThis: 'Corrija esto para continuar:',
    submit: 'Cambiar contraseña',
    cancel: 'Cancelar',
    wrongPassword: 'Esa no es su contraseña actual.',
  },
  recovery: {
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
  },
  yourName: {
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
  },
  pages: {
    notFound: { title: 'Página no encontrada', message: 'No hay nada en esta dirección.' },
    goHome: 'Ir al inicio',
    refused: {
      title: 'Solicitud rechazada',
      message:
        'Este formulario se envió desde otro sitio o desde una página antigua. Vuelva atrás, recargue la página e inténtelo de nuevo.',
    },
    tooLarge: {
      title: 'Demasiados datos',
      message: 'Ese formulario era más grande de lo que aceptamos. Acorte lo que escribió e inténtelo de nuevo.',
    },
    busy: {
      title: 'Ocupado, inténtelo de nuevo',
      message: 'La base de datos estaba ocupada y no se guardó nada. Inténtelo de nuevo en un momento.',
    },
    error: { title: 'Algo salió mal', message: 'No pudimos terminar eso. No se perdió nada; inténtelo de nuevo en un momento.' },
    adminsOnly: { title: 'No disponible', message: 'Solo los administradores de la práctica pueden abrir esta página.' },
    goPortalHome: 'Ir al inicio de su portal',
  },
  twoStep: {
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
  },
  secondStep: {
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
  },
  emails: {
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
      subject: (practiceName: string) =>
        `Se creó un enlace para restablecer la contraseña de su cuenta del Staff Portal de ${practiceName}`,
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
      offSubject: (practiceName: string) =>
        `Se desactivó el inicio de sesión en dos pasos de su cuenta del Staff Portal de ${practiceName}`,
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
  },
}
