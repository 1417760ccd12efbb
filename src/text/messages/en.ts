// The English words of the staff-facing pages and emails. Every other language's catalog is
// typed from this one (Messages, in ./index.ts): a key missing there fails the type check.
// Admin pages are English only and keep their words in their views.
import type zxcvbnEnglish from '@zxcvbn-ts/language-en/dist/translations.mjs'
import type { DeviceParts } from '../device'
import { plural } from '../locale'

type ZxcvbnTexts = typeof zxcvbnEnglish

/** A wait as a person reads it: "40 seconds", "1 minute". */
const wait = (ms: number) => {
  const seconds = Math.ceil(ms / 1000)
  if (seconds < 60) return plural('en', seconds, { one: '{n} second', other: '{n} seconds' })
  return plural('en', Math.ceil(seconds / 60), { one: '{n} minute', other: '{n} minutes' })
}

export const en = {
  layout: {
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
  },
  /** Messages of the input schemas (zod): a schema names the key, fieldErrors turns it into words. */
  errors: {
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
  },
  password: {
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
  },
  login: {
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
  },
  invite: {
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
  },
  portal: {
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
  },
  changePassword: {
    title: 'Change Password',
    heading: 'Change your password',
    intro: 'You will be signed out everywhere, then log in again with the new password.',
    fixThis: 'Please fix this to continue:',
    submit: 'Change Password',
    cancel: 'Cancel',
    wrongPassword: 'That is not your current password.',
  },
  recovery: {
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
  },
  yourName: {
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
  },
  /** The pages that say what happened when there is nothing else to show. */
  pages: {
    notFound: { title: 'Page not found', message: 'There is nothing at this address.' },
    goHome: 'Go home',
    refused: {
      title: 'Request refused',
      message: 'This form was sent from another site or an old page. Go back, reload the page and try again.',
    },
    tooLarge: {
      title: 'Too much data',
      message: 'That form was larger than we accept. Please shorten what you entered and try again.',
    },
    busy: { title: 'Busy, try again', message: 'The database was busy and nothing was saved. Please try again in a moment.' },
    error: { title: 'Something went wrong', message: 'We could not finish that. Nothing was lost; please try again in a moment.' },
    adminsOnly: { title: 'Not available', message: 'Only practice admins can open this page.' },
    goPortalHome: 'Go to your portal home',
  },
  /** One's own Two-Step Sign-In page, the forced set-up page, and the confirmations of changes. */
  twoStep: {
    title: 'Two-Step Sign-In',
    setUpTitle: 'Set Up Two-Step Sign-In',
    required: (practiceName: string) =>
      `${practiceName} requires two-step sign-in. Set up an authenticator app, or a passkey if this device has one, to continue.`,
    isOn: 'Two-step sign-in is on: after your password, you also use your authenticator app or a passkey.',
    isOff: 'Two-step sign-in is off. Add an authenticator app or a passkey so that your password alone is not enough to sign in as you.',
    recoveryCodes: 'Recovery Codes',
    keepCodes:
      'Keep these somewhere safe, such as a password manager or a printed page. Each works once, in place of your app or passkey, if you lose them.',
    shownOnce: 'They are shown only now.',
    keptCodes: 'I Kept My Codes, Continue',
    appHeading: 'Authenticator app',
    on: 'On',
    since: (date: string) => `since ${date}`,
    appLocked: 'locked after too many wrong codes: ask your practice admin',
    remove: 'Remove',
    removeApp: 'Remove authenticator app',
    appIntro: 'Use an app such as Google Authenticator, Microsoft Authenticator or 1Password to make a new code every 30 seconds.',
    setUpApp: 'Set Up Authenticator App',
    scan: 'Scan this code with your authenticator app, or type the setup key into it. Then enter the code it shows.',
    qrLabel: 'QR code to scan with your authenticator app',
    setupKey: 'Setup Key',
    authenticationCode: 'Authentication Code',
    turnOn: 'Turn On',
    passkeysHeading: 'Passkeys',
    passkeysIntro: "A passkey signs you in with your device's fingerprint, face or PIN, and cannot be used on a look-alike site.",
    passkeysLocked: 'Your passkeys are locked after too many failed tries: ask your practice admin.',
    added: (date: string) => `added ${date}`,
    lastUsed: (date: string) => `last used ${date}`,
    removeNamed: (name: string) => `Remove ${name}`,
    passkeyName: 'Passkey Name',
    passkeyNameHint: 'Such as “Work laptop” or “Phone”.',
    addPasskey: 'Add Passkey',
    yourRecoveryCodes: 'Your recovery codes',
    codesLeft: (count: number) => `${count} of 10 recovery codes left. Each works once if you lose your app and passkeys.`,
    newRecoveryCodes: 'New Recovery Codes',
    codesWhenOn: 'You get 10 recovery codes when you turn on two-step sign-in.',
    removedNotice: 'Removed. We emailed you about the change.',
    passkeyAddedNotice: 'Passkey added. We emailed you about the change.',
    appOnNotice: 'Your authenticator app is on.',
    passkeyOnNotice: 'Your passkey is added.',
    newCodesNotice: 'Your new recovery codes are below. The old ones no longer work.',
    enterAppCode: 'Enter the 6-digit code your app shows.',
    wrongSetupCode: 'That code is not right. Check that your phone shows the right time, and enter the newest code.',
    enterPasskeyName: 'Give the passkey a name, such as “Work laptop”.',
    passkeyNameTooLong: 'That name is too long.',
    passkeyNotAdded: {
      invalid: 'That passkey could not be added: your device did not confirm it was you. Try again.',
      expired: 'That took too long or the page was old. Try again.',
      duplicate: 'That passkey is already added.',
      tooMany: 'You have as many passkeys as we allow. Remove one first.',
    },
    /** What is removed, in the confirmation's heading and explanation. */
    yourApp: 'your authenticator app',
    thePasskey: (name: string) => `the passkey “${name}”`,
    removeTitle: (what: string) => `Remove ${what}`,
    removeExplanation: (what: string) => `After this, ${what} no longer signs you in.`,
    /** Removing the last second factor while the practice requires two-step sign-in of the person. */
    lastFactorRequired: (practiceName: string, kind: 'app' | 'passkey') =>
      `${practiceName} requires two-step sign-in, and this is your only second step. ${
        kind === 'app'
          ? 'Add a passkey before you remove your authenticator app.'
          : 'Add an authenticator app or another passkey before you remove this one.'
      }`,
    newCodesExplanation: 'You get 10 new recovery codes, shown once. Your old codes stop working at once.',
    confirmItIsYou: 'To confirm it is you, use your second step.',
    recoveryCode: 'Recovery Code',
    recoveryCodeHintWithApp: 'Or, if you do not have your app, one of your recovery codes.',
    recoveryCodeHint: 'One of your recovery codes.',
    cancel: 'Cancel',
    useAPasskey: 'Use a Passkey',
    enterCodeOrRecoveryCode: 'Enter a code from your app, or a recovery code.',
    /** A refused second factor: the same words for a wrong and a replayed answer. */
    refused: {
      throttled: (ms: number) => `Too many wrong tries. Try again in ${wait(ms)}.`,
      locked: 'Too many wrong tries: this is locked until your practice admin resets two-step sign-in.',
      unavailable: {
        code: 'You have no code turned on.',
        recoveryCode: 'You have no recovery code turned on.',
        passkey: 'You have no passkey turned on.',
      },
      wrong: {
        code: 'That code is not right, or was already used.',
        recoveryCode: 'That recovery code is not right, or was already used.',
        passkey: 'That passkey is not right, or was already used.',
      },
    },
    /** What public/passkey.js says while the browser asks for the passkey, and when it was not used. */
    passkeyPrompt: 'Follow your browser’s prompt to use your passkey…',
    passkeyNotUsed: 'The passkey was not used. You can try again.',
  },
  /** Logging in, after a correct password, for a person with two-step sign-in. */
  secondStep: {
    title: 'Two-Step Sign-In',
    useRecoveryCode: 'Use a Recovery Code',
    recoveryIntro: 'Enter one of the recovery codes you kept when you turned on two-step sign-in. Each works once.',
    recoveryCode: 'Recovery Code',
    verify: 'Verify',
    codeIntro: 'Enter the 6-digit code your authenticator app shows.',
    authenticationCode: 'Authentication Code',
    useAPasskey: 'Use a Passkey',
    useAppInstead: 'Use your app or passkey instead',
    startAgain: 'Start again',
    enterAppCode: 'Enter the 6-digit code your app shows.',
    enterRecoveryCode: 'Enter one of your recovery codes.',
  },
  emails: {
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
      lead: (practiceName: string, date: string) =>
        `An admin of ${practiceName} created a password reset link for your account on ${date}.`,
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
      removed: (date: string, factor: string) =>
        `On ${date}, ${factor} was removed from the two-step sign-in of your Staff Portal account.`,
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
  },
}
