import type { ErrorDetail } from '../../shared/errors.js'
import { EDUCATIONS, GENDERS, INCOME_BANDS, OCCUPATIONS, type RegisterInput } from './members.types.js'

// Pure rules of the member file: formats, check digits, normalisation. No I/O.

/** Mainland mobile: 11 digits starting 1[3-9]; accepts +86 / 0086 / 86 prefixes, spaces and dashes. */
export const normalizePhone = (raw: string): string | null => {
  let digits = raw.replace(/[\s\-()]/g, '')
  if (digits.startsWith('+86')) digits = digits.slice(3)
  else if (digits.startsWith('0086')) digits = digits.slice(4)
  else if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2)
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null
}

const luhnSum = (digits: string): number => {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum
}

/** Luhn check digit for a body of digits. */
export const luhnCheckDigit = (body: string): string => String((10 - (luhnSum(body + '0') % 10)) % 10)

export const CARD_LENGTH = 16

/** A card number: '8' + 14 digits + Luhn check digit; a mistyped digit or swapped pair fails the check. */
export const isValidCardNo = (card: string): boolean =>
  /^8\d{15}$/.test(card) && luhnSum(card) % 10 === 0

export const cardNoFromBody = (body14: string): string => {
  const body = `8${body14}`
  return body + luhnCheckDigit(body)
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

/** Resident ID (GB 11643): 17 digits + ISO 7064 MOD 11-2 check character, with a real birth date. */
export const normalizeIdNumber = (raw: string): string | null => {
  const id = raw.trim().toUpperCase()
  if (!/^\d{17}[\dX]$/.test(id)) return null
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * ID_WEIGHTS[i]!
  if (ID_CHECK[sum % 11] !== id[17]) return null
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`
  return isValidDate(birth) ? id : null
}

export const birthdayFromIdNumber = (id: string): string => `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`
/** 17th digit: odd for men, even for women. */
export const genderFromIdNumber = (id: string): 'male' | 'female' => ((id.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female')

export const isValidDate = (value: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const d = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value
}

/**
 * A full name as the exact-name index keys it: Unicode-normalised (full-width letters, composed
 * accents), Latin letters in lower case, spaces collapsed, and none at all in a Chinese name
 * (some systems write 欧阳 娜娜). The middle dot of minority names (·, •, ・) is one form.
 */
export const normalizeName = (raw: string): string => {
  const name = raw.normalize('NFKC').replace(/[\u00B7\u2022\u30FB\u2027]/g, '·').replace(/\s+/g, ' ').trim().toLowerCase()
  return /\p{Script=Han}/u.test(name) ? name.replace(/\s*·\s*/g, '·').replace(/ /g, '') : name
}

export const normalizeEmail = (raw: string): string | null => {
  const email = raw.trim().toLowerCase()
  return email.length <= 254 && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email) ? email : null
}

const oneOf = <T extends string>(values: readonly T[]) => (v: string): v is T => (values as readonly string[]).includes(v)

export interface NormalizedMember {
  phone: string | null
  name: string | null
  gender: (typeof GENDERS)[number]
  birthday: string | null
  idNumber: string | null
  email: string | null
  occupation: (typeof OCCUPATIONS)[number] | null
  education: (typeof EDUCATIONS)[number] | null
  incomeBand: (typeof INCOME_BANDS)[number] | null
  district: string | null
  address: string | null
  externalCode: string | null
}

const blankToNull = (v: string | null | undefined): string | null => {
  if (v === undefined || v === null) return null
  const t = String(v).trim()
  return t === '' ? null : t
}

/**
 * Normalises and validates the profile fields that are present in `input`
 * (absent keys stay absent, so updates touch only what they name).
 * `today` (YYYY-MM-DD) bounds birthdays.
 */
export const checkProfile = (
  input: Partial<Record<keyof NormalizedMember, unknown>>,
  today: string,
): { value: Partial<NormalizedMember>; errors: ErrorDetail[] } => {
  const errors: ErrorDetail[] = []
  const value: Partial<NormalizedMember> = {}
  const has = (k: keyof NormalizedMember) => Object.prototype.hasOwnProperty.call(input, k) && input[k] !== undefined
  const text = (k: keyof NormalizedMember) => blankToNull(input[k] as string | null)

  if (has('phone')) {
    const raw = text('phone')
    if (raw === null) value.phone = null
    else {
      const phone = normalizePhone(raw)
      if (phone) value.phone = phone
      else errors.push({ field: 'phone', reason: 'not a mainland China mobile number (11 digits starting 13–19, +86 allowed)' })
    }
  }
  if (has('name')) {
    const name = text('name')
    if (name !== null && [...name].length > 50) errors.push({ field: 'name', reason: 'longer than 50 characters' })
    else if (name !== null && /[\p{Cc}]/u.test(name)) errors.push({ field: 'name', reason: 'contains control characters' })
    else value.name = name
  }
  if (has('gender')) {
    const g = text('gender')
    if (g === null) value.gender = 'unknown'
    else if (oneOf(GENDERS)(g)) value.gender = g
    else errors.push({ field: 'gender', reason: `must be one of ${GENDERS.join(', ')}` })
  }
  if (has('birthday')) {
    const b = text('birthday')
    if (b === null) value.birthday = null
    else if (!isValidDate(b)) errors.push({ field: 'birthday', reason: 'not a date (YYYY-MM-DD)' })
    else if (b > today) errors.push({ field: 'birthday', reason: 'is in the future' })
    else if (b < '1900-01-01') errors.push({ field: 'birthday', reason: 'is before 1900' })
    else value.birthday = b
  }
  if (has('idNumber')) {
    const raw = text('idNumber')
    if (raw === null) value.idNumber = null
    else {
      const id = normalizeIdNumber(raw)
      if (id) value.idNumber = id
      else errors.push({ field: 'idNumber', reason: 'not a valid 18-character resident ID number (check digit or birth date wrong)' })
    }
  }
  if (has('email')) {
    const raw = text('email')
    if (raw === null) value.email = null
    else {
      const email = normalizeEmail(raw)
      if (email) value.email = email
      else errors.push({ field: 'email', reason: 'not an email address' })
    }
  }
  const enumField = <K extends 'occupation' | 'education' | 'incomeBand'>(k: K, values: readonly string[]) => {
    if (!has(k)) return
    const v = text(k)
    if (v === null) value[k] = null
    else if (values.includes(v)) (value as Record<string, unknown>)[k] = v
    else errors.push({ field: k, reason: `must be one of ${values.join(', ')}` })
  }
  enumField('occupation', OCCUPATIONS)
  enumField('education', EDUCATIONS)
  enumField('incomeBand', INCOME_BANDS)
  for (const [k, max] of [['district', 50], ['address', 200], ['externalCode', 64]] as const) {
    if (!has(k)) continue
    const v = text(k)
    if (v !== null && [...v].length > max) errors.push({ field: k, reason: `longer than ${max} characters` })
    else value[k] = v
  }
  return { value, errors }
}

/** Fills birthday and gender from the ID number when they were not given. */
export const deriveFromIdNumber = (value: Partial<NormalizedMember>, input: RegisterInput): void => {
  if (!value.idNumber) return
  if (!input.birthday) value.birthday = birthdayFromIdNumber(value.idNumber)
  if (!input.gender || input.gender === 'unknown') value.gender = genderFromIdNumber(value.idNumber)
}
