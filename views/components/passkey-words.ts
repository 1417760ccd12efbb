import type { Messages } from '../../src/text/messages'

/**
 * The data- attributes of a passkey form: what public/passkey.js says while the browser asks for
 * the passkey and when it was not used, in the page's language (the script holds no words).
 */
export const passkeyWords = (t: Messages['twoStep']) => ({ 'data-say-prompt': t.passkeyPrompt, 'data-say-failed': t.passkeyNotUsed })
