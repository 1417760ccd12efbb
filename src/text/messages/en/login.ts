import { wait } from './wait'

export const login = {
  title: 'Log In',
  heading: 'Log in to Staff Portal',
  email: 'Email',
  password: 'Password',
  submit: 'Log In',
  forgotPassword: 'Forgot Password',
  welcome: 'Your account is ready. Log in with your email and password.',
  passwordChanged: 'Your password was changed. Log in with your new password.',
  loginEmailChanged: 'Your login email was changed. Log in with your new email address.',
  loggedOut: 'You have logged out.',
  sessionEnded:
    'You were signed out because your session ended (after a time without activity, or after 12 hours). Log in again to go back to where you were.',
  failed: 'That email and password do not match an account with portal access.',
  locked:
    'Too many failed attempts: logging in with this address is locked. Reset your password with Forgot Password, or ask your practice admin to unlock it.',
  throttled: (ms: number) => `Too many failed attempts. Try again in ${wait(ms)}.`,
  twoStepExpired: 'Your sign-in took too long or was finished elsewhere. Log in again.',
  passkey: 'Log In with a Passkey',
  passkeyFailed: 'That passkey did not sign you in. Try again, or log in with your email and password.',
  passkeyLocked: 'Too many failed attempts: logging in with this account is locked. Ask your practice admin.',
}

export const invite = {
  title: 'Create Account',
  heading: 'Create your account',
  intro: (firstName: string, practiceName: string) => `Welcome, ${firstName}. Choose a password for the ${practiceName} Staff Portal.`,
  email: 'Email',
  fixThis: 'Please fix this to continue:',
  submit: 'Create Account',
  problems: {
    expired: { title: 'This invitation has expired', message: 'Invitation links last a few days for your safety.' },
    used: {
      title: 'This invitation was already used',
      message: 'An account was created with this link. If that was you, log in with your email and password.',
    },
    revoked: { title: 'This invitation was revoked', message: 'Your practice admin withdrew this invitation.' },
    replaced: {
      title: 'A newer invitation replaced this one',
      message: 'Only the most recent invitation link works. Look for a newer email from your practice.',
    },
    withdrawn: {
      title: 'This invitation is no longer valid',
      message: 'Your practice admin changed the profile this invitation was for, so its link no longer works.',
    },
    unknown: {
      title: 'This link is not valid',
      message: 'The address may be incomplete. Check that you copied the whole link from the email.',
    },
  },
  usedHint: 'Forgot your password? Use Forgot Password on the login page.',
  askForNew: 'Ask your practice admin to send you a new invitation.',
  goToLogin: 'Go to the login page',
}
