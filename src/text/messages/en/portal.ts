import type { DeviceParts } from '../../device'
import { plural } from '../../locale'

export const portal = {
  title: 'Your portal',
  welcome: (firstName: string) => `Welcome, ${firstName}`,
  profileHeading: 'Your profile',
  name: 'Name',
  credentials: 'Credentials',
  practice: 'Practice',
  signedInAs: 'Signed in as',
  emailAddresses: 'Email addresses',
  primary: 'Primary',
  askAdmin: 'To change these details, ask your practice admin.',
  language: 'Language',
  languageHint: 'The language of your portal pages and of the emails you get from the portal.',
  saveLanguage: 'Save Language',
  languageSaved: 'Saved. Your pages and emails are now in English.',
  securityHeading: 'Sign-in and security',
  changePassword: 'Change Password',
  whereSignedIn: 'Where you are signed in',
  device: 'Device',
  address: 'Address',
  lastSeen: 'Last seen',
  thisDevice: 'This device',
  signOutOthers: 'Sign out other sessions',
  signedOutOthers: 'You were signed out on your other devices.',
  actions: 'Actions',
  endSession: 'End',
  endSessionOf: (device: string) => `the session of ${device}`,
  sessionEnded: 'That session was ended.',
  confirmItIsYou: 'To sign out your other sessions, confirm it is you.',
  /** "Chrome on Windows": a device in the list of sessions and in its End button. */
  deviceName: (device: DeviceParts) => `${device.browser ?? 'A browser'} on ${device.system ?? 'an unknown system'}`,
  twoStep: 'Two-Step Sign-In',
}

export const changePassword = {
  title: 'Change Password',
  heading: 'Change your password',
  intro: 'You will be signed out everywhere, then log in again with the new password.',
  fixThis: 'Please fix this to continue:',
  submit: 'Change Password',
  cancel: 'Cancel',
  wrongPassword: 'That is not your current password.',
}

export const recovery = {
  forgotTitle: 'Forgot Password',
  forgotHeading: 'Forgot your password?',
  forgotIntro: 'Enter the email address you log in with. We will email you an 8-digit verification code.',
  email: 'Email',
  sendCode: 'Send Code',
  backToLogin: 'Back to Log In',
  tooManyCodes: 'Too many codes were requested for this address. Wait a few minutes, then try again.',
  resetTitle: 'Reset Password',
  resetHeading: 'Reset your password',
  /** Around the address, which the page shows in bold. */
  codeSentBefore: 'If an account exists for ',
  codeSentAfter: ', a verification code is on its way. It expires in 10 minutes and works only in this browser.',
  fixThis: 'Please fix this to continue:',
  verificationCode: 'Verification Code',
  submit: 'Reset Password',
  noCode: 'No code?',
  sendNewCode: 'Send a new code',
  otherBrowser: 'Enter the code in the browser where you asked for it, or send a new code from this one.',
  codeExpired: 'This code has expired, was used, or was tried too many times. Send a new code.',
  codeWrong: (triesLeft: number) => `That code is not right. ${plural('en', triesLeft, { one: '{n} try', other: '{n} tries' })} left.`,
  codeWrongNoTries: 'That code is not right, and it has been tried too many times. Send a new code.',
  secondStepNote:
    'A new password does not sign you in or turn off two-step sign-in: log in with it, then use your second step or a recovery code.',
  linkHeading: 'Set a new password',
  linkIntro: (firstName: string) => `Hello ${firstName}. Choose a new password for the Staff Portal.`,
  linkProblems: {
    expired: 'This reset link has expired',
    used: 'This reset link was already used',
    revoked: 'This reset link was revoked',
    replaced: 'A newer reset link replaced this one',
    unknown: 'This link is not valid',
  },
  linkProblemMessage: 'Ask your practice admin for a new link, or reset your password yourself with Forgot Password on the login page.',
  forgotPassword: 'Forgot Password',
  logIn: 'Log In',
}

export const yourName = {
  title: 'Your name',
  heading: 'What is your name?',
  intro:
    'Your account still has the name it was created with. Staff see your name in the invitations and emails you send, so please enter it.',
  firstName: 'First Name',
  lastName: 'Last Name',
  fixThis: 'Please fix this to continue:',
  save: 'Save',
  skip: 'Skip for Now',
  skipHint: 'If you skip, we will ask again the next time you log in.',
  saved: 'Saved. Thank you.',
}
