import { Type } from 'typebox'
import { CursorQuery, DateOnly, IsoDateTime, Nullable } from '../../../shared/http/schemas.js'

const Id = Type.String({ minLength: 1, maxLength: 64 })
const Key = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' })
const Label = Type.String({ minLength: 1, maxLength: 200 })
const LabelEn = Nullable(Type.String({ maxLength: 200 }))

export const QuestionKind = Type.Union([
  Type.Literal('single'), Type.Literal('multiple'), Type.Literal('rating'), Type.Literal('nps'), Type.Literal('text'), Type.Literal('matrix'),
], { description: 'single/multiple choice, rating 1–5 (CSAT), 0–10 recommendation (NPS), free text, a matrix of ratings 1–5' })
export const SurveyStatus = Type.Union([Type.Literal('draft'), Type.Literal('open'), Type.Literal('closed')])
export const SurveyTrigger = Type.Union([Type.Literal('after_complaint'), Type.Literal('after_first_purchase')])

const Option = Type.Object({ id: Key, label: Label, labelEn: Type.Optional(LabelEn) }, { additionalProperties: false })

export const QuestionSchema = Type.Object({
  id: Key,
  kind: QuestionKind,
  label: Label,
  labelEn: Type.Optional(LabelEn),
  required: Type.Optional(Type.Boolean()),
  choices: Type.Optional(Type.Array(Option, { maxItems: 30, description: 'single and multiple' })),
  rows: Type.Optional(Type.Array(Option, { maxItems: 20, description: 'matrix; default 商品质量, 服务水平, 价格合理性, 购物环境' })),
}, { additionalProperties: false })

const Questions = Type.Array(QuestionSchema, { maxItems: 50 })

export const SurveySchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  titleEn: Nullable(Type.String()),
  intro: Nullable(Type.String()),
  introEn: Nullable(Type.String()),
  status: SurveyStatus,
  opensAt: Nullable(Type.String()),
  closesAt: Nullable(Type.String()),
  allowAnonymous: Type.Boolean({ description: 'the public links take answers from anyone; otherwise invitations only' }),
  questions: Questions,
  triggers: Type.Array(SurveyTrigger),
  responses: Type.Integer(),
  invitations: Type.Integer(),
  csatRate: Nullable(Type.Number({ description: 'CSAT over all its answers: % of ratings 4 or 5 (the list; results give the detail)' })),
  npsScore: Nullable(Type.Number({ description: 'NPS over all its answers' })),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  openedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
}, { $id: 'Survey' })

const surveyFields = {
  title: Type.String({ minLength: 1, maxLength: 100 }),
  titleEn: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  intro: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  introEn: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  opensAt: Type.Optional(Nullable(IsoDateTime)),
  closesAt: Type.Optional(Nullable(IsoDateTime)),
  allowAnonymous: Type.Optional(Type.Boolean()),
  questions: Questions,
  triggers: Type.Optional(Type.Array(SurveyTrigger, { maxItems: 2 })),
}

export const SurveyBody = Type.Object(surveyFields, { additionalProperties: false })
export const SurveyPatch = Type.Partial(Type.Object(surveyFields), { additionalProperties: false, minProperties: 1 })

export const SurveysQuery = Type.Object({ status: Type.Optional(SurveyStatus) }, { additionalProperties: false })

export const SurveyLinkSchema = Type.Object({
  token: Type.String(),
  storeId: Nullable(Type.String({ description: "null: the chain's link" })),
  storeCode: Nullable(Type.String()),
  storeName: Nullable(Type.String()),
  path: Type.String({ description: 'the public page, relative to the console: /s/<token>; the QR code encodes the origin + path' }),
})

export const InvitationBody = Type.Object({ segmentId: Id }, { additionalProperties: false })
export const InvitationResult = Type.Object({
  segmentId: Type.String(),
  invited: Type.Integer({ description: 'new invitations' }),
  skipped: Type.Integer({ description: 'members invited to this survey already' }),
  sendStatus: Type.Literal('pending_send', { description: 'the new invitations wait for the send job (surveys.sendInvitations, every minute), which sends them by SMS' }),
})
export const InvitationCounts = Type.Object({
  total: Type.Integer(),
  responded: Type.Integer(),
  pendingSend: Type.Integer({ description: 'waiting for the send job' }),
  sent: Type.Integer({ description: 'handed to the SMS channel (the message log has each one\'s delivery)' }),
  notSent: Type.Integer({ description: 'not sent: no number, no consent to marketing (a segment\'s), the provider refused, or the survey closed first' }),
  bySource: Type.Array(Type.Object({ source: Type.String(), total: Type.Integer(), responded: Type.Integer() })),
})

export const ResultsQuery = Type.Object({
  from: Type.Optional(DateOnly),
  to: Type.Optional(DateOnly),
  storeId: Type.Optional(Id),
  regionId: Type.Optional(Id),
  period: Type.Optional(Type.Union([Type.Literal('week'), Type.Literal('month')])),
}, { additionalProperties: false })

export const TextsQuery = Type.Object({
  from: Type.Optional(DateOnly),
  to: Type.Optional(DateOnly),
  storeId: Type.Optional(Id),
  regionId: Type.Optional(Id),
  questionId: Type.Optional(Key),
  ...CursorQuery,
}, { additionalProperties: false })

const Num = Nullable(Type.Number())
export const CsatSchema = Type.Object({
  answers: Type.Integer({ description: 'CSAT ratings (questions of kind rating) counted' }),
  satisfied: Type.Integer({ description: 'ratings of 4 or 5' }),
  rate: Num,
  mean: Num,
}, { description: 'rate: % of ratings that are 4 or 5 (1 decimal); mean: average rating (2 decimals); null without answers' })
export const NpsSchema = Type.Object({
  answers: Type.Integer(),
  promoters: Type.Integer({ description: '9–10' }),
  passives: Type.Integer({ description: '7–8' }),
  detractors: Type.Integer({ description: '0–6' }),
  promotersPct: Num,
  passivesPct: Num,
  detractorsPct: Num,
  score: Num,
}, { description: 'score = % promoters − % detractors, −100…100 (1 decimal); null without answers' })

const Figures = { responses: Type.Integer(), csat: CsatSchema, nps: NpsSchema }
const Bucket = Type.Object({ value: Type.Integer(), count: Type.Integer() })

export const SurveyResultsSchema = Type.Object({
  surveyId: Type.String(),
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
  period: Type.Union([Type.Literal('week'), Type.Literal('month')]),
  ...Figures,
  byStore: Type.Array(Type.Object({ storeId: Nullable(Type.String()), storeName: Nullable(Type.String()), ...Figures })),
  byRegion: Type.Array(Type.Object({ regionId: Nullable(Type.String()), regionName: Nullable(Type.String()), ...Figures })),
  trend: Type.Array(Type.Object({ period: Type.String({ description: 'YYYY-MM, or the Monday (YYYY-MM-DD) of a week' }), ...Figures })),
  questions: Type.Array(Type.Object({
    questionId: Type.String(),
    kind: QuestionKind,
    label: Type.String(),
    labelEn: Nullable(Type.String()),
    answered: Type.Integer({ description: 'responses that answered it' }),
    mean: Num,
    ratings: Type.Array(Bucket, { description: 'rating, nps: count per value (every value of the scale)' }),
    choices: Type.Array(Type.Object({ choiceId: Type.String(), label: Type.String(), labelEn: Nullable(Type.String()), count: Type.Integer(), share: Num })),
    rows: Type.Array(Type.Object({ rowId: Type.String(), label: Type.String(), labelEn: Nullable(Type.String()), answered: Type.Integer(), mean: Num, ratings: Type.Array(Bucket) })),
  })),
  byClass: Type.Object({
    rfm: Type.Array(Type.Object({ key: Nullable(Type.String()), ...Figures })),
    lifecycle: Type.Array(Type.Object({ key: Nullable(Type.String()), ...Figures })),
    tier: Type.Array(Type.Object({ key: Nullable(Type.String()), ...Figures })),
  }, { description: 'member-linked responses by the member\'s RFM class, lifecycle stage and tier now (key null: anonymous or not classified)' }),
  words: Type.Array(Type.Object({ word: Type.String(), count: Type.Integer() }), { description: 'the most frequent words of the free-text answers (at most 50)' }),
  texts: Type.Integer({ description: 'free-text answers in the selection' }),
})

export const SurveyTextSchema = Type.Object({
  id: Type.String({ description: 'cursor' }),
  responseId: Type.String(),
  questionId: Type.String(),
  text: Type.String(),
  storeId: Nullable(Type.String()),
  storeName: Nullable(Type.String()),
  memberId: Nullable(Type.String()),
  localDate: Type.String(),
})

export const MemberResponseSchema = Type.Object({
  id: Type.String(),
  surveyId: Type.String(),
  surveyTitle: Type.String(),
  storeId: Nullable(Type.String()),
  storeName: Nullable(Type.String()),
  language: Type.String(),
  submittedAt: Type.String(),
  csat: Num,
  nps: Num,
  answers: Type.Array(Type.Object({ questionId: Type.String(), label: Type.String(), answer: Type.String({ description: 'the answer in words' }) })),
})

// ---- public (no sign-in) ----

export const TokenParams = Type.Object({ token: Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) })

export const PublicSurveySchema = Type.Object({
  token: Type.String(),
  surveyId: Type.String(),
  title: Type.String(),
  titleEn: Nullable(Type.String()),
  intro: Nullable(Type.String()),
  introEn: Nullable(Type.String()),
  closesAt: Nullable(Type.String()),
  storeName: Nullable(Type.String()),
  invitation: Type.Boolean({ description: 'a personal invitation (one answer) rather than a public link' }),
  answered: Type.Boolean({ description: 'the invitation was answered already' }),
  questions: Questions,
})

export const ANSWER_TEXT_MAX = 2000
export const AnswerSchema = Type.Object({
  questionId: Key,
  value: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000, description: 'rating 1–5 or nps 0–10' })),
  choiceId: Type.Optional(Key),
  choiceIds: Type.Optional(Type.Array(Key, { maxItems: 30 })),
  text: Type.Optional(Type.String({ maxLength: ANSWER_TEXT_MAX })),
  rows: Type.Optional(Type.Array(Type.Object({ rowId: Key, value: Type.Integer({ minimum: -1000, maximum: 1000 }) }, { additionalProperties: false }), { maxItems: 20 })),
}, { additionalProperties: false })

export const ResponseBody = Type.Object({
  answers: Type.Array(AnswerSchema, { maxItems: 60 }),
  responseKey: Type.Optional(Nullable(Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: "the page's own key for this response: posted twice, stored once" }))),
  language: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en-US')])),
}, { additionalProperties: false })

export const ResponseReceipt = Type.Object({ id: Type.String(), submittedAt: Type.String() })
