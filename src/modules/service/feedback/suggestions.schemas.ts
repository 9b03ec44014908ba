import { Type } from 'typebox'
import { CursorQuery, DateOnly, Nullable } from '../../../shared/http/schemas.js'

export const SUGGESTION_CATEGORIES = ['productsRange', 'service', 'environment', 'prices', 'membership', 'other'] as const
export const SuggestionCategory = Type.Union([
  Type.Literal('productsRange'), Type.Literal('service'), Type.Literal('environment'), Type.Literal('prices'), Type.Literal('membership'), Type.Literal('other'),
])
export const SuggestionStatus = Type.Union([Type.Literal('received'), Type.Literal('under_review'), Type.Literal('adopted'), Type.Literal('declined')])
export const SuggestionChannel = Type.Union([Type.Literal('desk'), Type.Literal('receipt_qr'), Type.Literal('member_page'), Type.Literal('api')])

/** The longest suggestion text, in characters. */
export const SUGGESTION_TEXT_MAX = 2000
const Text = Type.String({ minLength: 1, maxLength: SUGGESTION_TEXT_MAX })
const Id = Type.String({ minLength: 1, maxLength: 64 })

export const SuggestionSchema = Type.Object({
  id: Type.String(),
  number: Type.String({ description: "what the desk reads out to the customer, e.g. S20261206-007" }),
  memberId: Nullable(Type.String()),
  memberCardNo: Nullable(Type.String()),
  memberName: Nullable(Type.String({ description: 'masked' })),
  contact: Nullable(Type.String({ description: "an anonymous customer's contact, masked" })),
  storeId: Nullable(Type.String()),
  storeName: Nullable(Type.String()),
  category: SuggestionCategory,
  channel: SuggestionChannel,
  text: Type.String(),
  status: SuggestionStatus,
  reply: Nullable(Type.String({ description: 'what the customer is told' })),
  changeNote: Nullable(Type.String({ description: 'what changed (an adopted suggestion)' })),
  handledBy: Nullable(Type.String({ description: 'the staff user who last handled it' })),
  handledByName: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  repliedAt: Nullable(Type.String()),
  decidedAt: Nullable(Type.String({ description: 'when it was adopted or declined' })),
}, { $id: 'Suggestion' })

export const SuggestionBody = Type.Object({
  memberId: Type.Optional(Nullable(Id)),
  contactName: Type.Optional(Nullable(Type.String({ maxLength: 40, description: "an anonymous customer's name (stored encrypted)" }))),
  contactPhone: Type.Optional(Nullable(Type.String({ maxLength: 20, description: "an anonymous customer's phone (stored encrypted)" }))),
  storeId: Type.Optional(Nullable(Id)),
  category: SuggestionCategory,
  channel: Type.Optional(SuggestionChannel),
  text: Text,
}, { additionalProperties: false })

export const SuggestionPatch = Type.Object({
  status: Type.Optional(SuggestionStatus),
  category: Type.Optional(SuggestionCategory),
  reply: Type.Optional(Nullable(Type.String({ maxLength: SUGGESTION_TEXT_MAX }))),
  changeNote: Type.Optional(Nullable(Type.String({ maxLength: SUGGESTION_TEXT_MAX, description: 'required to adopt' }))),
}, { additionalProperties: false, minProperties: 1 })

export const SuggestionsQuery = Type.Object({
  status: Type.Optional(SuggestionStatus),
  category: Type.Optional(SuggestionCategory),
  channel: Type.Optional(SuggestionChannel),
  storeId: Type.Optional(Id),
  from: Type.Optional(DateOnly),
  to: Type.Optional(DateOnly),
  q: Type.Optional(Type.String({ maxLength: 60, description: 'words in the text, or a number' })),
  ...CursorQuery,
}, { additionalProperties: false })

export const MemberSuggestionsQuery = Type.Object({ ...CursorQuery }, { additionalProperties: false })

export const SuggestionStatsQuery = Type.Object({
  from: Type.Optional(DateOnly),
  to: Type.Optional(DateOnly),
  storeId: Type.Optional(Id),
}, { additionalProperties: false })

const Count = Type.Integer({ minimum: 0 })
export const SuggestionStatsSchema = Type.Object({
  from: Type.String({ description: 'local date, inclusive' }),
  to: Type.String({ description: 'local date, inclusive' }),
  total: Count,
  byStatus: Type.Array(Type.Object({ status: SuggestionStatus, count: Count })),
  byCategory: Type.Array(Type.Object({ category: SuggestionCategory, count: Count, adopted: Count })),
  byStore: Type.Array(Type.Object({ storeId: Nullable(Type.String()), storeName: Nullable(Type.String()), count: Count, adopted: Count })),
  months: Type.Array(Type.Object({
    month: Type.String({ description: 'YYYY-MM, local' }),
    category: SuggestionCategory,
    storeId: Nullable(Type.String()),
    storeName: Nullable(Type.String()),
    count: Count,
  }), { description: 'counts by month, category and store (every combination that has any)' }),
  adopted: Type.Array(Type.Object({
    id: Type.String(), number: Type.String(), category: SuggestionCategory, storeId: Nullable(Type.String()), storeName: Nullable(Type.String()),
    text: Type.String(), changeNote: Nullable(Type.String()), reply: Nullable(Type.String()), createdAt: Type.String(), decidedAt: Nullable(Type.String()),
  }), { description: 'the suggestions adopted in the window, with what changed (newest first, at most 200)' }),
})

export const PublicSuggestionBody = Type.Object({
  storeCode: Type.Optional(Nullable(Type.String({ maxLength: 32, description: "the store's code, as on the receipt" }))),
  category: SuggestionCategory,
  text: Text,
  contactName: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  contactPhone: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
}, { additionalProperties: false })

export const PublicSuggestionReceipt = Type.Object({
  number: Type.String(),
  status: SuggestionStatus,
  createdAt: Type.String(),
})
