import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { randomBytesPooled } from './random.js'

/** Contents of PATRON_KEY_FILE. `keys` keeps retired keys so old values still decrypt after a rotation. */
export interface KeyFile {
  version: 1
  activeKeyId: string
  keys: Record<string, string>
  /** Key of the blind indexes; it never rotates with the data keys, or exact lookups would break. */
  indexKey: string
}

export class KeyError extends Error {}

const FORMAT = 'v1'

export class Keyring {
  private readonly keys: Map<string, Buffer>
  private readonly indexKey: Buffer
  readonly activeKeyId: string

  constructor(file: KeyFile) {
    if (file.version !== 1) throw new KeyError(`unsupported key file version ${String(file.version)}`)
    this.keys = new Map(Object.entries(file.keys).map(([id, b64]) => [id, decodeKey(b64, `key ${id}`)]))
    if (!this.keys.has(file.activeKeyId)) throw new KeyError(`active key ${file.activeKeyId} is not in the key file`)
    this.activeKeyId = file.activeKeyId
    this.indexKey = decodeKey(file.indexKey, 'indexKey')
  }

  static generate(): KeyFile {
    const id = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`
    return { version: 1, activeKeyId: id, keys: { [id]: randomBytes(32).toString('base64') }, indexKey: randomBytes(32).toString('base64') }
  }

  /**
   * AES-256-GCM with the field name as associated data, so a value copied into another
   * column does not decrypt. Output: `v1.<keyId>.<iv>.<ciphertext+tag>` (base64url).
   */
  encrypt(field: string, plaintext: string): string {
    const key = this.keys.get(this.activeKeyId)!
    const iv = randomBytesPooled(12)
    const cipher = createCipheriv('aes-256-gcm', key, iv)
    cipher.setAAD(Buffer.from(field))
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()])
    return [FORMAT, this.activeKeyId, iv.toString('base64url'), body.toString('base64url')].join('.')
  }

  decrypt(field: string, value: string): string {
    const [format, keyId, ivText, bodyText] = value.split('.')
    if (format !== FORMAT || !keyId || !ivText || !bodyText) throw new KeyError(`${field}: not an encrypted value`)
    const key = this.keys.get(keyId)
    if (!key) throw new KeyError(`${field}: encrypted with key ${keyId}, which is not in the key file`)
    const body = Buffer.from(bodyText, 'base64url')
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'))
    decipher.setAAD(Buffer.from(field))
    decipher.setAuthTag(body.subarray(body.length - 16))
    try {
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8')
    } catch {
      throw new KeyError(`${field}: cannot be decrypted with key ${keyId} (wrong key file?)`)
    }
  }

  /** Keyed HMAC of a normalised value: equal inputs give equal indexes, nothing is learnt without the key. */
  blindIndex(field: string, normalized: string): string {
    return createHmac('sha256', this.indexKey).update(`${field}\u0000${normalized}`).digest('base64url')
  }

  hasKey(keyId: string): boolean {
    return this.keys.has(keyId)
  }
}

/** The key file with a new active data key; old keys stay so existing values still decrypt. */
export const withNewActiveKey = (file: KeyFile, now = new Date()): KeyFile => {
  const base = `k${now.toISOString().slice(0, 10).replaceAll('-', '')}`
  let id = base
  for (let n = 2; file.keys[id]; n++) id = `${base}-${n}`
  return { ...file, activeKeyId: id, keys: { ...file.keys, [id]: randomBytes(32).toString('base64') } }
}

/** The key file without keys no value uses any more (never the active one). */
export const withoutKeys = (file: KeyFile, keyIds: string[]): KeyFile => ({
  ...file,
  keys: Object.fromEntries(Object.entries(file.keys).filter(([id]) => id === file.activeKeyId || !keyIds.includes(id))),
})

/** Writes a key file atomically with mode 0600 (a crash leaves the old file or the new, never half). */
export const writeKeyFile = (path: string, file: KeyFile): void => {
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 })
  renameSync(tmp, path)
}

export const readKeyFile = (path: string): KeyFile => JSON.parse(readFileSync(path, 'utf8')) as KeyFile

const decodeKey = (b64: string, what: string): Buffer => {
  const key = Buffer.from(b64 ?? '', 'base64')
  if (key.length !== 32) throw new KeyError(`${what} must be 32 bytes of base64`)
  return key
}

/** Reads the key file, creating it (mode 0600) on first start. */
export const loadOrCreateKeyring = (path: string): { keyring: Keyring; created: boolean } => {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, JSON.stringify(Keyring.generate(), null, 2) + '\n', { mode: 0o600, flag: 'wx' })
    chmodSync(path, 0o600)
    return { keyring: loadKeyring(path), created: true }
  }
  return { keyring: loadKeyring(path), created: false }
}

export const loadKeyring = (path: string): Keyring => {
  let parsed: KeyFile
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as KeyFile
  } catch (err) {
    throw new KeyError(`cannot read key file ${path}: ${(err as Error).message}`)
  }
  return new Keyring(parsed)
}

// Masks shown in lists, lookups and logs; the full value only comes from an audited reveal.

export const maskPhone = (phone: string): string =>
  phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '*'.repeat(phone.length)

export const maskName = (name: string): string => {
  const chars = [...name.trim()]
  if (chars.length === 0) return ''
  return chars.length === 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1)
}

export const maskEmail = (email: string): string => {
  const at = email.lastIndexOf('@')
  if (at <= 0) return '***'
  const local = email.slice(0, at)
  return `${local[0]}${'*'.repeat(Math.max(2, local.length - 1))}${email.slice(at)}`
}

// An 18-character ID number is region (6), birth date (8), sequence (3), check (1): the mask
// keeps 3 digits of the region and the last 4, never a digit of the birth date.
export const maskIdNumber = (id: string): string =>
  id.length > 7 ? `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}` : '*'.repeat(id.length)

export const maskAddress = (address: string): string => {
  const chars = [...address]
  return chars.length <= 6 ? '*'.repeat(chars.length) : chars.slice(0, 6).join('') + '****'
}
