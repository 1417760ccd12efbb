import { plural } from '../../locale'

export const layout = {
  skipToContent: 'Skip to content',
  myPortal: 'My Portal',
  logOut: 'Log Out',
  /** The link to the other language on signed-out pages, in that language. */
  switchLanguage: 'Español',
  switchLanguageLabel: 'Ver esta página en español',
  showPassword: 'Show Password',
  sessionWarningTitle: 'Still there?',
  sessionWarningBody: (minutes: number) =>
    `For your security you will be signed out in ${plural('en', minutes, { one: '{n} minute', other: '{n} minutes' })} without activity. Anything you have not saved would be lost.`,
  staySignedIn: 'Stay Signed In',
}

/** Messages of the input schemas (zod): a schema names the key, fieldErrors turns it into words. */
export const errors = {
  enterEmail: 'Enter your email address.',
  emailTooLong: 'That email address is too long.',
  enterPassword: 'Enter your password.',
  passwordTooLong: 'That password is too long.',
  enterNewPassword: 'Enter a password.',
  newPasswordTooLong: 'Use at most 128 characters.',
  passwordsDoNotMatch: 'The two passwords do not match.',
  enterCurrentPassword: 'Enter your current password.',
  enterFirstName: 'Enter your first name.',
  enterLastName: 'Enter your last name.',
  nameTooLong: 'Use at most 100 characters.',
  nameControlCharacters: 'Names cannot contain control characters.',
  chooseLanguage: 'Choose English or Español.',
  enterCode: 'Enter the 8-digit code from the email.',
  emailLike: 'Enter an email address like name@example.com.',
}
