// Kysely table types of suggestions and surveys (migration 2026_12_14_0910).

export type SuggestionStatus = 'received' | 'under_review' | 'adopted' | 'declined'
export type SuggestionChannel = 'desk' | 'receipt_qr' | 'member_page' | 'api'
export type SurveyStatus = 'draft' | 'open' | 'closed'
export type InvitationSource = 'segment' | 'after_complaint' | 'after_first_purchase'
/** sent: handed to the channels (see the message log for delivery); not_sent: no number, a refusal, or the survey closed first */
export type InvitationSendStatus = 'pending_send' | 'sent' | 'not_sent' | 'no_consent'

export interface SuggestionsTable {
  id: string
  /** 'S' + local date + a sequence of the day: what the desk reads out to the customer */
  number: string
  member_id: string | null
  /** an anonymous customer's contact, encrypted (keyring fields 'name' and 'phone') */
  contact_name_enc: string | null
  contact_phone_enc: string | null
  contact_masked: string | null
  store_id: string | null
  category: string
  channel: SuggestionChannel
  text: string
  status: SuggestionStatus
  /** what the customer is told */
  reply: string | null
  /** what changed, once adopted */
  change_note: string | null
  handled_by: string | null
  /** YYYY-MM of the local date it came in: what the monthly counts group by */
  month: string
  /** keyed hash of the public sender's address, for the per-address limit */
  ip_hash: string | null
  created_by: string | null
  created_at: string
  updated_at: string
  replied_at: string | null
  decided_at: string | null
}

export interface SurveysTable {
  id: string
  title: string
  title_en: string | null
  intro: string | null
  intro_en: string | null
  status: SurveyStatus
  opens_at: string | null
  closes_at: string | null
  /** 1: the public links take answers from anyone; 0: invitations only */
  allow_anonymous: number
  /** JSON SurveyQuestion[] */
  questions: string
  /** JSON SurveyTrigger[] */
  triggers: string
  created_by: string | null
  created_at: string
  updated_at: string
  opened_at: string | null
  closed_at: string | null
}

export interface SurveyLinksTable {
  token: string
  survey_id: string
  /** a store id, or '*' for the chain's link */
  place: string
  store_id: string | null
  created_at: string
}

export interface SurveyInvitationsTable {
  id: string
  survey_id: string
  token: string
  member_id: string | null
  store_id: string | null
  source: InvitationSource
  /** the segment, ticket or receipt it came from */
  source_ref: string | null
  /** one invitation per survey and key: a member per segment invitation, a ticket, a first purchase */
  dedupe_key: string
  /** pending_send until the send job takes it (surveys.sendInvitations): then sent, not_sent or no_consent */
  send_status: InvitationSendStatus
  created_by: string | null
  created_at: string
  responded_at: string | null
}

export interface SurveyResponsesTable {
  id: string
  survey_id: string
  invitation_id: string | null
  link_token: string | null
  response_key: string | null
  member_id: string | null
  store_id: string | null
  language: string
  /** JSON of the answers as given (validated) */
  answers: string
  /** local date of submission: what periods group by */
  local_date: string
  submitted_at: string
  /** a store link's response: the blind index of the address it came from (the per-address limit); null otherwise */
  ip_hash: string | null
}

export interface SurveyAnswersTable {
  response_id: string
  seq: number
  survey_id: string
  question_id: string
  kind: string
  row_key: string | null
  choice: string | null
  value: number | null
  text: string | null
  store_id: string | null
  member_id: string | null
  local_date: string
}

export interface FeedbackTables {
  suggestions: SuggestionsTable
  surveys: SurveysTable
  survey_links: SurveyLinksTable
  survey_invitations: SurveyInvitationsTable
  survey_responses: SurveyResponsesTable
  survey_answers: SurveyAnswersTable
}
