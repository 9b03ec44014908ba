import type { Schemas } from '../api/client.js'

export type Member = Schemas['Member']
export type Gender = Member['gender']
export type Channel = Member['registrationChannel']
export type MemberStatus = Member['status']
export type ConsentChannel = Member['consents'][number]['channel']
export type Occupation = NonNullable<Member['occupation']>
export type Education = NonNullable<Member['education']>
export type IncomeBand = NonNullable<Member['incomeBand']>
export type PiiField = 'phone' | 'name' | 'idNumber' | 'email' | 'address'

// The enum values in display order, each list checked against the generated API types: a
// value the server adds or drops fails to compile here instead of missing from a Select.
const keysOf = <K extends string>(record: Record<K, true>): K[] => Object.keys(record) as K[]

export const GENDERS = keysOf<Gender>({ male: true, female: true, unknown: true })
export const CHANNELS = keysOf<Channel>({ till: true, qr: true, mini_program: true, import: true })
export const REGISTER_CHANNELS: Array<Exclude<Channel, 'import'>> = ['till', 'qr', 'mini_program']
export const STATUSES = keysOf<MemberStatus>({ active: true, frozen: true, merged: true, erased: true })
export const CONSENT_CHANNELS = keysOf<ConsentChannel>({ sms: true, email: true, wechat: true, app_push: true, phone_call: true })
export const OCCUPATIONS = keysOf<Occupation>({
  student: true, office_worker: true, civil_servant: true, professional: true, worker: true, self_employed: true,
  service: true, farmer: true, retired: true, homemaker: true, other: true,
})
export const EDUCATIONS = keysOf<Education>({
  primary: true, junior_high: true, senior_high: true, vocational: true, college: true, bachelor: true, master: true, doctorate: true,
})
export const INCOME_BANDS = keysOf<IncomeBand>({ below_3k: true, '3k_5k': true, '5k_8k': true, '8k_12k': true, '12k_20k': true, '20k_plus': true })
export const PII_FIELDS: PiiField[] = ['phone', 'name', 'idNumber', 'email', 'address']

export const STATUS_COLORS: Record<MemberStatus, string> = { active: 'green', frozen: 'orange', merged: 'default', erased: 'red' }
