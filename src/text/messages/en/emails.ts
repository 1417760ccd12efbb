import { plural } from '../../locale'

export const emails = {
  hello: (firstName: string) => `Hello ${firstName},`,
  pasteLink: 'Or paste this address into your browser:',
  notYou: 'If you did not ask for this, ignore this email; your password has not changed.',
  resetCode: {
    // The code leads the subject, so a phone's lock-screen notification shows it.
    subject: (code: string, practiceName: string) => `${code} is your ${practiceName} verification code`,
    lead: (practiceName: string) => `Your ${practiceName} Staff Portal verification code is`,
    enter:
      'Enter it with your new password on the page where you asked for it, in the same browser. It expires in 10 minutes and works once.',
  },
  resetLink: {
    subject: (practiceName: string) => `Reset your ${practiceName} Staff Portal password`,
    sent: (practiceName: string) => `Your ${practiceName} admin sent you a link to set a new password for the Staff Portal`,
    button: 'Set a new password',
    through: (day: string) => `It works once, through the end of ${day} (your practice's time).`,
  },
  resetLinkNotice: {
    subject: (practiceName: string) => `A password reset link was made for your ${practiceName} Staff Portal account`,
    lead: (practiceName: string, date: string) => `An admin of ${practiceName} created a password reset link for your account on ${date}.`,
    then: 'If you asked them for help, they will give you the link. If you did not, ask your practice admin why.',
  },
  passwordChanged: {
    subject: (practiceName: string) => `Your ${practiceName} Staff Portal password was changed`,
    changed: (date: string) => `The password of your Staff Portal account was changed on ${date}, and every session was signed out.`,
    ifNotYou: 'If this was you, there is nothing to do. If not, contact your practice admin at once.',
  },
  invitation: {
    subject: (practiceName: string) => `You're invited to the ${practiceName} Staff Portal`,
    invited: (inviterName: string, practiceName: string) => `${inviterName} invited you to the ${practiceName} Staff Portal.`,
    openLink: 'Open this link to create your account. You will choose a password and enter it twice:',
    openLinkHtml: 'Open the link to create your account: you will choose a password and enter it twice.',
    button: 'Create your account',
    expires: (date: string) =>
      `The link works once and expires on ${date}. If it has expired, ask your practice admin to send a new invitation.`,
    notExpecting: 'If you were not expecting this, you can ignore this email.',
  },
  loginEmailVerify: {
    subject: (practiceName: string) => `Confirm your new ${practiceName} Staff Portal login email`,
    asked: (practiceName: string) =>
      `Your practice admin asked to make this address your login email for the ${practiceName} Staff Portal.`,
    openLink: 'Open this link and confirm to make the change:',
    button: 'Confirm the new login email',
    until: (date: string) => `It works once, until ${date}. Until you confirm, you keep logging in with your current email.`,
    notExpecting: 'If you were not expecting this, ignore this email: nothing changes.',
  },
  loginEmailChanged: {
    subject: (practiceName: string) => `Your ${practiceName} Staff Portal login email was changed`,
    changed: (date: string, newEmail: string) =>
      `On ${date} the login email of your Staff Portal account was changed from this address; it is now ${newEmail}. Every session was signed out.`,
    ifNotYou:
      'If this was you or your practice admin at your request, there is nothing to do. If not, contact your practice admin at once.',
  },
  twoStep: {
    ifNotYou: 'If this was not you, contact your practice admin at once.',
    app: 'an authenticator app',
    passkey: (name: string) => `the passkey “${name}”`,
    addedSubject: (factor: string, practiceName: string) =>
      `Two-step sign-in: ${factor} was added to your ${practiceName} Staff Portal account`,
    added: (date: string, factor: string) => `On ${date}, ${factor} was added to the two-step sign-in of your Staff Portal account.`,
    fromNow: 'From now on you log in with your password and then this second step.',
    removedSubject: (factor: string, practiceName: string) =>
      `Two-step sign-in: ${factor} was removed from your ${practiceName} Staff Portal account`,
    offSubject: (practiceName: string) => `Two-step sign-in was turned off for your ${practiceName} Staff Portal account`,
    removed: (date: string, factor: string) => `On ${date}, ${factor} was removed from the two-step sign-in of your Staff Portal account.`,
    othersStillWork: 'Your other second steps still work.',
    nowOff: 'Two-step sign-in is now off: your password alone logs you in, and your recovery codes no longer work.',
    resetSubject: (practiceName: string) => `Your practice admin reset two-step sign-in for your ${practiceName} Staff Portal account`,
    reset: (date: string) =>
      `On ${date}, your practice admin reset the two-step sign-in of your Staff Portal account: your authenticator app, passkeys and recovery codes were removed, and every session was signed out.`,
    setUpAgain: 'Log in with your password and set up two-step sign-in again from your portal home.',
    codeUsedSubject: (practiceName: string) => `A recovery code was used on your ${practiceName} Staff Portal account`,
    codeUsed: (date: string) =>
      `On ${date}, one of your recovery codes was used to sign in to your Staff Portal account. Each code works once.`,
    noCodesLeft: 'You have no recovery codes left: make new ones on the Two-Step Sign-In page.',
    codesLeft: (count: number) =>
      `You have ${plural('en', count, { one: '{n} recovery code', other: '{n} recovery codes' })} left. You can make new ones on the Two-Step Sign-In page.`,
  },
}
