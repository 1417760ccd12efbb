import type zxcvbnEnglish from '@zxcvbn-ts/language-en/dist/translations.mjs'
import { wait } from './wait'

type ZxcvbnTexts = typeof zxcvbnEnglish

export const password = {
  show: 'Show Password',
  /** The same toggle while the password is shown (public/app.js switches the words). */
  hide: 'Hide Password',
  password: 'Password',
  confirmPassword: 'Confirm Password',
  newPassword: 'New Password',
  confirmNewPassword: 'Confirm New Password',
  currentPassword: 'Current Password',
  hint: (min: number) =>
    `At least ${min} characters. A few unrelated words make a strong, memorable password; pasting from a password manager is fine.`,
  tooShort: (min: number, length: number) => `Use at least ${min} characters (this has ${length}).`,
  tooLong: (max: number) => `Use at most ${max} characters.`,
  mostlyContext: 'This password is too easy to guess. It is made mostly of your name, email or practice name.',
  guessable: 'This password is too easy to guess.',
  guessableReason: 'It would be easy to guess.',
  guessableHint: 'Try a few unrelated words together.',
  breached: 'This password has appeared in a known data breach, so attackers try it first. Choose a different one.',
  tooLongHas: (max: number, length: number) => `Use at most ${max} characters (this has ${length}).`,
  /** The live length counter's words (public/app.js fills in {length}, {min} and {max}). */
  counter: {
    short: '{length} of at least {min} characters',
    long: '{length} characters: at most {max}',
    fine: '{length} characters',
  },
  warnings: {
    straightRow: 'Straight rows of keys on your keyboard are easy to guess.',
    keyPattern: 'Short keyboard patterns are easy to guess.',
    simpleRepeat: 'Repeated characters like "aaa" are easy to guess.',
    extendedRepeat: 'Repeated character patterns like "abcabcabc" are easy to guess.',
    sequences: 'Common character sequences like "abc" are easy to guess.',
    recentYears: 'Recent years are easy to guess.',
    dates: 'Dates are easy to guess.',
    topTen: 'This is a heavily used password.',
    topHundred: 'This is a frequently used password.',
    common: 'This is a commonly used password.',
    similarToCommon: 'This is similar to a commonly used password.',
    wordByItself: 'Single words are easy to guess.',
    namesByThemselves: 'Single names or surnames are easy to guess.',
    commonNames: 'Common names and surnames are easy to guess.',
    userInputs: 'There should not be any personal or page related data.',
    pwned: 'Your password was exposed by a data breach on the Internet.',
  } satisfies Record<keyof ZxcvbnTexts['warnings'], string>,
  suggestions: {
    l33t: "Avoid predictable letter substitutions like '@' for 'a'.",
    reverseWords: 'Avoid reversed spellings of common words.',
    allUppercase: 'Capitalize some, but not all letters.',
    capitalization: 'Capitalize more than the first letter.',
    dates: 'Avoid dates and years that are associated with you.',
    recentYears: 'Avoid recent years.',
    associatedYears: 'Avoid years that are associated with you.',
    sequences: 'Avoid common character sequences.',
    repeated: 'Avoid repeated words and characters.',
    longerKeyboardPattern: 'Use longer keyboard patterns and change typing direction multiple times.',
    anotherWord: 'Add more words that are less common.',
    useWords: 'Use multiple words, but avoid common phrases.',
    noNeed: 'You can create strong passwords without using symbols, numbers, or uppercase letters.',
    pwned: 'If you use this password elsewhere, you should change it.',
  } satisfies Record<keyof ZxcvbnTexts['suggestions'], string>,
  tooManyTries: (ms: number) => `Too many failed attempts. Try again in ${wait(ms)}.`,
}
