import type { Keyring } from '../../shared/pii.js'
import { maskAddress, maskEmail, maskIdNumber, maskName, maskPhone } from '../../shared/pii.js'
import { normalizeName, type NormalizedMember } from './member-rules.js'
import type { MemberConsentsTable, MembersTable } from './members.table.js'
import type { Member, PiiField } from './members.types.js'

// The one place where member PII turns into columns (encrypted value, blind index, mask) and back.

type PiiColumns = Pick<MembersTable,
  'phone_enc' | 'phone_bidx' | 'phone_masked' | 'name_enc' | 'name_bidx' | 'name_masked' | 'id_number_enc' | 'id_number_bidx' |
  'id_number_masked' | 'email_enc' | 'email_bidx' | 'email_masked' | 'address_enc' | 'address_masked'>

export const phoneIndex = (keyring: Keyring, phone: string) => keyring.blindIndex('phone', phone)
export const idNumberIndex = (keyring: Keyring, id: string) => keyring.blindIndex('id_number', id)
export const emailIndex = (keyring: Keyring, email: string) => keyring.blindIndex('email', email)
/** Index of a full name as typed or stored; null when nothing is left after normalising. */
export const nameIndex = (keyring: Keyring, name: string): string | null => {
  const normalized = normalizeName(name)
  return normalized ? keyring.blindIndex('name', normalized) : null
}

/** Columns for the PII fields present in `value` (absent fields are left out of the patch). */
export const encodePii = (keyring: Keyring, value: Partial<NormalizedMember>): Partial<PiiColumns> => {
  const out: Partial<PiiColumns> = {}
  if (value.phone !== undefined) {
    out.phone_enc = value.phone === null ? null : keyring.encrypt('phone', value.phone)
    out.phone_bidx = value.phone === null ? null : phoneIndex(keyring, value.phone)
    out.phone_masked = value.phone === null ? null : maskPhone(value.phone)
  }
  if (value.name !== undefined) {
    out.name_enc = value.name === null ? null : keyring.encrypt('name', value.name)
    out.name_bidx = value.name === null ? null : nameIndex(keyring, value.name)
    out.name_masked = value.name === null ? null : maskName(value.name)
  }
  if (value.idNumber !== undefined) {
    out.id_number_enc = value.idNumber === null ? null : keyring.encrypt('id_number', value.idNumber)
    out.id_number_bidx = value.idNumber === null ? null : idNumberIndex(keyring, value.idNumber)
    out.id_number_masked = value.idNumber === null ? null : maskIdNumber(value.idNumber)
  }
  if (value.email !== undefined) {
    out.email_enc = value.email === null ? null : keyring.encrypt('email', value.email)
    out.email_bidx = value.email === null ? null : emailIndex(keyring, value.email)
    out.email_masked = value.email === null ? null : maskEmail(value.email)
  }
  if (value.address !== undefined) {
    out.address_enc = value.address === null ? null : keyring.encrypt('address', value.address)
    out.address_masked = value.address === null ? null : maskAddress(value.address)
  }
  return out
}

export const decodePii = (keyring: Keyring, row: MembersTable): Record<PiiField, string | null> => ({
  phone: row.phone_enc ? keyring.decrypt('phone', row.phone_enc) : null,
  name: row.name_enc ? keyring.decrypt('name', row.name_enc) : null,
  idNumber: row.id_number_enc ? keyring.decrypt('id_number', row.id_number_enc) : null,
  email: row.email_enc ? keyring.decrypt('email', row.email_enc) : null,
  address: row.address_enc ? keyring.decrypt('address', row.address_enc) : null,
})

/**
 * A birthday shown beside a masked ID number: the ID number embeds the birth date, so with the
 * full birthday its mask leaves about 90 candidates. Only the year shows; the full date comes
 * with an audited reveal.
 */
export const maskBirthday = (birthday: string): string => `${birthday.slice(0, 4)}-**-**`

export const toMember = (row: MembersTable, consents: MemberConsentsTable[] = []): Member => ({
  id: row.id,
  cardNo: row.card_no,
  phone: row.phone_masked,
  name: row.name_masked,
  gender: row.gender,
  birthday: row.birthday && row.id_number_masked !== null ? maskBirthday(row.birthday) : row.birthday,
  idNumber: row.id_number_masked,
  email: row.email_masked,
  occupation: row.occupation,
  education: row.education,
  incomeBand: row.income_band,
  district: row.district,
  address: row.address_masked,
  registrationStoreId: row.registration_store_id,
  registeredBy: row.registered_by,
  registrationChannel: row.registration_channel,
  externalCode: row.external_code,
  status: row.status,
  statusReason: row.status_reason,
  mergedIntoId: row.merged_into_id,
  registeredAt: row.registered_at,
  updatedAt: row.updated_at,
  consents: consents.map((c) => ({ channel: c.channel, granted: c.granted === 1, source: c.source, changedAt: c.changed_at })),
})
