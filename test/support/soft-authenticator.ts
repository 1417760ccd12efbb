// A passkey authenticator in software (ES256 over WebCrypto, so it runs in Node and in workerd):
// it builds attestationObject, authenticatorData, clientDataJSON and the DER signature byte for
// byte as a browser hands them over, so the server's checks meet real WebAuthn structures.
import { encodeBase64urlNoPadding } from '@oslojs/encoding'

const enc = new TextEncoder()

async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', plain(data)))
}

/** A copy with a plain ArrayBuffer behind it, as WebCrypto's types ask. */
const plain = (data: Uint8Array) => new Uint8Array(data) as Uint8Array<ArrayBuffer>

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

// The CBOR the two structures need: small maps, byte and text strings, small integers.
function cborHead(major: number, length: number): Uint8Array {
  if (length < 24) return Uint8Array.of((major << 5) | length)
  if (length < 256) return Uint8Array.of((major << 5) | 24, length)
  return Uint8Array.of((major << 5) | 25, length >> 8, length & 255)
}
type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>
function cbor(value: Cbor): Uint8Array {
  if (typeof value === 'number') return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value)
  if (typeof value === 'string') {
    const bytes = enc.encode(value)
    return concat(cborHead(3, bytes.length), bytes)
  }
  if (value instanceof Uint8Array) return concat(cborHead(2, value.length), value)
  return concat(cborHead(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)]))
}

/** IEEE P1363 (r‖s, what WebCrypto gives) to the ASN.1 DER authenticators send. */
function derSignature(raw: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array) => {
    let i = 0
    while (i < bytes.length - 1 && bytes[i] === 0) i++
    let v: Uint8Array = bytes.slice(i)
    if (v[0]! & 0x80) v = concat(Uint8Array.of(0), v)
    return concat(Uint8Array.of(0x02, v.length), v)
  }
  const body = concat(integer(raw.slice(0, 32)), integer(raw.slice(32)))
  return concat(Uint8Array.of(0x30, body.length), body)
}

const b64 = encodeBase64urlNoPadding

export interface SoftAuthenticatorOptions {
  rpId: string
  origin: string
  userVerified?: boolean
  /** 0 for an authenticator that does not count, as synced passkeys do. */
  startCount?: number
}

export class SoftAuthenticator {
  readonly credentialId = crypto.getRandomValues(new Uint8Array(16))
  private counter: number
  private keys!: CryptoKeyPair
  userHandle: Uint8Array | null = null

  constructor(readonly options: SoftAuthenticatorOptions) {
    this.counter = options.startCount ?? 1
  }

  get id() {
    return b64(this.credentialId)
  }

  private async authData(withCredential: boolean): Promise<Uint8Array> {
    const flags = 0x01 | (this.options.userVerified === false ? 0 : 0x04) | (withCredential ? 0x40 : 0)
    const count = this.counter
    if (this.options.startCount !== 0) this.counter++
    const head = concat(
      await sha256(enc.encode(this.options.rpId)),
      Uint8Array.of(flags, count >>> 24, (count >> 16) & 255, (count >> 8) & 255, count & 255),
    )
    if (!withCredential) return head
    const jwk = await crypto.subtle.exportKey('jwk', this.keys.publicKey)
    const bytes = (s: string) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))
    const coseKey = cbor(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, bytes(jwk.x!)],
        [-3, bytes(jwk.y!)],
      ]),
    )
    const id = this.credentialId
    return concat(head, new Uint8Array(16), Uint8Array.of(id.length >> 8, id.length & 255), id, coseKey)
  }

  private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin = this.options.origin) {
    return enc.encode(JSON.stringify({ type, challenge, origin, crossOrigin: false }))
  }

  /** navigator.credentials.create() answering these options, as PublicKeyCredential.toJSON() gives it. */
  async create(options: { challenge: string; user?: { id: string } }) {
    this.keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair
    if (options.user) this.userHandle = Uint8Array.from(atob(options.user.id.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', await this.authData(true)],
      ]),
    )
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64(this.clientData('webauthn.create', options.challenge)), attestationObject: b64(attestationObject) },
    }
  }

  /** navigator.credentials.get() answering these options. `origin` lets a test play a phishing site. */
  async get(options: { challenge: string }, override: { origin?: string } = {}) {
    const authenticatorData = await this.authData(false)
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, override.origin)
    const message = concat(authenticatorData, await sha256(clientDataJSON))
    const raw = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, this.keys.privateKey, plain(message)))
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64(clientDataJSON),
        authenticatorData: b64(authenticatorData),
        signature: b64(derSignature(raw)),
        userHandle: this.userHandle ? b64(this.userHandle) : null,
      },
    }
  }
}
