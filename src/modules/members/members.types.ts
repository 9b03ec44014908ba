export const GENDERS = ['male', 'female', 'unknown'] as const
export type Gender = (typeof GENDERS)[number]

export const CHANNELS = ['till', 'qr', 'mini_program', 'import'] as const
export type Channel = (typeof CHANNELS)[number]

export const CONSENT_CHANNELS = ['sms', 'email', 'wechat', 'app_push', 'phone_call'] as const
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number]

export const MEMBER_STATUSES = ['active', 'frozen', 'erased', 'merged'] as const
export type MemberStatus = (typeof MEMBER_STATUSES)[number]

export const OCCUPATIONS = ['student', 'office_worker', 'civil_servant', 'professional', 'worker', 'self_employed', 'service', 'farmer', 'retired', 'homemaker', 'other'] as const
export type Occupation = (typeof OCCUPATIONS)[number]

export const EDUCATIONS = ['primary', 'junior_high', 'senior_high', 'vocational', 'college', 'bachelor', 'master', 'doctorate'] as const
export type Education = (typeof EDUCATIONS)[number]

/** Monthly income in CNY. */
export const INCOME_BANDS = ['below_3k', '3k_5k', '5k_8k', '8k_12k', '12k_20k', '20k_plus'] as const
export type IncomeBand = (typeof INCOME_BANDS)[number]

export interface ConsentState {
  channel: ConsentChannel
  granted: boolean
  source: string
  changedAt: string
}

/** A member as lists and lookups show it: PII masked. */
export interface Member {
  id: string
  cardNo: string
  phone: string | null
  name: string | null
  gender: Gender
  birthday: string | null
  idNumber: string | null
  email: string | null
  occupation: Occupation | null
  education: Education | null
  incomeBand: IncomeBand | null
  district: string | null
  address: string | null
  registrationStoreId: string | null
  registeredBy: string | null
  /** Names for the member page; filled by get and lookup, not by lists. */
  registeredByName?: string | null
  registrationStoreName?: string | null
  registrationChannel: Channel
  externalCode: string | null
  status: MemberStatus
  statusReason: string | null
  mergedIntoId: string | null
  registeredAt: string
  updatedAt: string
  consents: ConsentState[]
  /** The member's insight profile in brief; filled by lookup only (the till shows it beside the balance). */
  profile?: LookupProfile
}

/**
 * What a clerk sees of whom they serve (issue 12 §3): tags, RFM class, lifecycle and main
 * department, as of the last insight refresh. Analytics reads it (MembersDeps.lookupProfile).
 */
export interface LookupProfile {
  tags: Array<{ id: string; name: string; color: string | null }>
  rfmClass: string | null
  lifecycle: string | null
  mainDepartment: string | null
  /** the date the classes are as of; null before the first refresh */
  asOf: string | null
}
/** The indexed column of members a lookup's one key names, and its value (a blind index for the PII keys). */
export interface LookupKey {
  field: 'id' | 'phone_bidx' | 'card_no' | 'id_number_bidx' | 'email_bidx' | 'external_code'
  value: string
}

/** What registration and import accept: raw values, normalised and validated by the service. */
export interface RegisterInput {
  phone?: string | null
  name?: string | null
  gender?: Gender | null
  birthday?: string | null
  idNumber?: string | null
  email?: string | null
  occupation?: Occupation | null
  education?: Education | null
  incomeBand?: IncomeBand | null
  district?: string | null
  address?: string | null
  registrationStoreId?: string | null
  channel?: Channel
  externalCode?: string | null
  /** When the member joined, for history brought from another system; defaults to now. */
  registeredAt?: string | null
  consents?: Partial<Record<ConsentChannel, boolean>>
  /** For tills: the username of the cashier at the till (staff users are recorded themselves). */
  clerkUsername?: string | null
}

export type UpdateInput = Omit<RegisterInput, 'registrationStoreId' | 'channel' | 'consents' | 'registeredAt' | 'clerkUsername'>

export const PII_FIELDS = ['phone', 'name', 'idNumber', 'email', 'address'] as const
export type PiiField = (typeof PII_FIELDS)[number]

/** What a reveal can show: the PII, and the birthday lists mask beside an ID number. */
export const REVEAL_FIELDS = [...PII_FIELDS, 'birthday'] as const
export type RevealField = (typeof REVEAL_FIELDS)[number]
