// WebAuthn checks that need no database: what the browser sent, against what this relying
// party expects. The challenge itself is checked (and used up) by ./challenges.ts, the
// signature counter by ./passkeys.ts.
import { decodePKIXECDSASignature, decodeSEC1PublicKey, ECDSAPublicKey, p256, verifyECDSASignature } from '@oslojs/crypto/ecdsa'
import { decodePKCS1RSAPublicKey, RSAPublicKey, sha256ObjectIdentifier, verifyRSASSAPKCS1v15Signature } from '@oslojs/crypto/rsa'
import { sha256 } from '@oslojs/crypto/sha2'
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding'
import {
  ClientDataType,
  coseAlgorithmES256,
  coseAlgorithmRS256,
  coseEllipticCurveP256,
  createAssertionSignatureMessage,
  parseAttestationObject,
  parseAuthenticatorData,
  parseClientDataJSON,
  type AuthenticatorData,
  type ClientData,
} from '@oslojs/webauthn'
import { z } from 'zod'
import type { Config } from '../config'

export const SUPPORTED_ALGORITHMS = [coseAlgorithmES256, coseAlgorithmRS256] as const
export type PasskeyAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number]

export interface RelyingParty {
  /** APP_URL's host name: passkeys made here work on this host and no other. */
  id: string
  /** APP_URL's origin, port included: clientDataJSON must name exactly this. */
  origin: string
}

export function relyingPartyFrom(config: Pick<Config, 'APP_URL'>): RelyingParty {
  const url = new URL(config.APP_URL)
  return { id: url.hostname, origin: url.origin }
}

export class WebAuthnError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WebAuthnError'
  }
}

const base64url = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]*$/)

// The shape of PublicKeyCredential.toJSON(), which public/passkey.js builds by hand for browsers without it.
const registrationSchema = z.object({
  id: base64url.min(1).max(1366),
  type: z.literal('public-key'),
  response: z.object({ clientDataJSON: base64url, attestationObject: base64url }),
})

const assertionSchema = z.object({
  id: base64url.min(1).max(1366),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: base64url.nullish(),
  }),
})

export type RegistrationResponse = z.infer<typeof registrationSchema>
export type AssertionResponse = z.infer<typeof assertionSchema>

function parseJson<T>(schema: z.ZodType<T>, text: string): T | null {
  try {
    const result = schema.safeParse(JSON.parse(text))
    return result.success ? result.data : null
  } catch {
    return null
  }
}

export const parseRegistrationResponse = (text: string) => parseJson(registrationSchema, text)
export const parseAssertionResponse = (text: string) => parseJson(assertionSchema, text)

const bytes = (value: string) => decodeBase64urlIgnorePadding(value)

/** Type, origin (exactly, port included) and no cross-origin frame: the phishing resistance lives here. */
function checkClientData(rp: RelyingParty, encoded: Uint8Array, type: ClientDataType): ClientData {
  let clientData: ClientData
  try {
    clientData = parseClientDataJSON(encoded)
  } catch {
    throw new WebAuthnError('clientDataJSON cannot be read')
  }
  if (clientData.type !== type) throw new WebAuthnError('wrong ceremony type')
  if (clientData.origin !== rp.origin) throw new WebAuthnError('wrong origin')
  if (clientData.crossOrigin === true) throw new WebAuthnError('made in a cross-origin frame')
  return clientData
}

/** RP ID hash, user present and user verified: a passkey here is both factors, so it must check the person. */
function checkAuthenticatorData(rp: RelyingParty, data: AuthenticatorData) {
  if (!data.verifyRelyingPartyIdHash(rp.id)) throw new WebAuthnError('wrong relying party')
  if (!data.userPresent) throw new WebAuthnError('user not present')
  if (!data.userVerified) throw new WebAuthnError('user not verified')
}

export interface VerifiedRegistration {
  credentialId: string
  algorithm: PasskeyAlgorithm
  /** ES256: SEC1 uncompressed point; RS256: PKCS#1 key; base64url. */
  publicKey: string
  signCount: number
  challenge: Uint8Array
}

/**
 * A new passkey. We ask for attestation 'none' and do not judge the authenticator's make, so
 * the attestation statement is not checked; what we keep is the credential's public key.
 */
export function verifyRegistration(rp: RelyingParty, response: RegistrationResponse): VerifiedRegistration {
  const clientData = checkClientData(rp, bytes(response.response.clientDataJSON), ClientDataType.Create)
  let data: AuthenticatorData
  try {
    data = parseAttestationObject(bytes(response.response.attestationObject)).authenticatorData
  } catch {
    throw new WebAuthnError('attestationObject cannot be read')
  }
  checkAuthenticatorData(rp, data)
  const credential = data.credential
  if (!credential) throw new WebAuthnError('no credential')
  const credentialId = encodeBase64urlNoPadding(credential.id)
  if (credentialId !== response.id) throw new WebAuthnError('credential id mismatch')
  let algorithm: number
  let publicKey: Uint8Array
  try {
    algorithm = credential.publicKey.algorithm()
    if (algorithm === coseAlgorithmES256) {
      const key = credential.publicKey.ec2()
      if (key.curve !== coseEllipticCurveP256) throw new WebAuthnError('unsupported curve')
      publicKey = new ECDSAPublicKey(p256, key.x, key.y).encodeSEC1Uncompressed()
    } else if (algorithm === coseAlgorithmRS256) {
      const key = credential.publicKey.rsa()
      publicKey = new RSAPublicKey(key.n, key.e).encodePKCS1()
    } else throw new WebAuthnError('unsupported algorithm')
  } catch (error) {
    throw error instanceof WebAuthnError ? error : new WebAuthnError('public key cannot be read')
  }
  return {
    credentialId,
    algorithm: algorithm as PasskeyAlgorithm,
    publicKey: encodeBase64urlNoPadding(publicKey),
    signCount: data.signatureCounter,
    challenge: clientData.challenge,
  }
}

export interface VerifiedAssertion {
  challenge: Uint8Array
  signCount: number
}

/** A signed answer from a known passkey: the counter is compared with the stored one by the caller. */
export function verifyAssertion(
  rp: RelyingParty,
  response: AssertionResponse,
  stored: { algorithm: number; publicKey: string },
): VerifiedAssertion {
  const clientDataJSON = bytes(response.response.clientDataJSON)
  const authenticatorData = bytes(response.response.authenticatorData)
  const clientData = checkClientData(rp, clientDataJSON, ClientDataType.Get)
  let data: AuthenticatorData
  try {
    data = parseAuthenticatorData(authenticatorData)
  } catch {
    throw new WebAuthnError('authenticatorData cannot be read')
  }
  checkAuthenticatorData(rp, data)
  const hash = sha256(createAssertionSignatureMessage(authenticatorData, clientDataJSON))
  const signature = bytes(response.response.signature)
  let valid = false
  try {
    if (stored.algorithm === coseAlgorithmES256)
      valid = verifyECDSASignature(decodeSEC1PublicKey(p256, bytes(stored.publicKey)), hash, decodePKIXECDSASignature(signature))
    else if (stored.algorithm === coseAlgorithmRS256)
      valid = verifyRSASSAPKCS1v15Signature(decodePKCS1RSAPublicKey(bytes(stored.publicKey)), sha256ObjectIdentifier, hash, signature)
  } catch {
    valid = false
  }
  if (!valid) throw new WebAuthnError('bad signature')
  return { challenge: clientData.challenge, signCount: data.signatureCounter }
}

/**
 * The stored counter must grow when either side counts: a counter that goes back means a
 * copy of the key. Authenticators that do not count (passkeys synced between devices) send 0.
 */
export const signCountAcceptable = (stored: number, received: number) => (stored === 0 && received === 0) || received > stored

// The user handle is the account id: not personal, and it names the account in a passkey-only login.
export const userHandleFor = (accountId: string) => encodeBase64urlNoPadding(new TextEncoder().encode(accountId))
export function accountIdFromUserHandle(handle: string): string | null {
  try {
    const id = new TextDecoder('utf-8', { fatal: true }).decode(bytes(handle))
    return /^[a-z2-7]{16}$/.test(id) ? id : null
  } catch {
    return null
  }
}
