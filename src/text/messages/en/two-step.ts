import { wait } from './wait'

/** One's own Two-Step Sign-In page, the forced set-up page, and the confirmations of changes. */
export const twoStep = {
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
}

/** Logging in, after a correct password, for a person with two-step sign-in. */
export const secondStep = {
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
}
