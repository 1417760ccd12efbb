import { plural } from '../../locale'
import type { en } from '../en'
import { wait } from './wait'

export const password: (typeof en)['password'] = {
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
}
