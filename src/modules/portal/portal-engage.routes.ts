import { Type } from 'typebox'
import { memberOf, type TypedApp } from '../../shared/http/request.js'
import { Nullable, errors } from '../../shared/http/schemas.js'
import { AnswerSchema, QuestionSchema, SUGGESTION_CATEGORIES } from '../service/index.js'
import { FEEDBACK_TEXT_MAX, MEMBER_PHOTO_BYTES, MEMBER_PHOTOS, type PortalEngageService } from './portal-engage.service.js'

// The member's page's feedback, surveys and events (issue 17 §2). Every route is the session's
// member's: a path names a survey, an event, or one of the member's own complaints, never a member.

const Id = Type.String({ minLength: 1, maxLength: 64 })
const StoreCode = Type.String({ maxLength: 32, description: "a store's code (GET /me/feedback/options lists them); none: the member's own store" })
/** A photo's base64 (or a data: URL of it): room for a little over the limit, so a photo just over it is refused with its own words. */
const PHOTO_CHARS = Math.ceil((MEMBER_PHOTO_BYTES * 1.5 * 4) / 3) + 64
const ComplaintStatus = ['new', 'assigned', 'in_progress', 'resolved', 'closed'] as const
const SuggestionStatus = ['received', 'under_review', 'adopted', 'declined'] as const
/** Refusals of a photo besides the usual: too large (413), not an image the page takes (415). */
const photoErrors = { 413: Type.Ref('Error'), 415: Type.Ref('Error') }

export const MyFeedbackSchema = Type.Object({
  kind: Type.Enum(['complaint', 'suggestion']),
  id: Type.String({ description: "the complaint's id names its photos' path; a suggestion's is for reference" }),
  number: Type.String({ description: 'what the desk reads out: TS-20260302-0001 for a complaint, S260302K7QX for a suggestion' }),
  status: Type.Enum([...ComplaintStatus, ...SuggestionStatus], { description: 'a complaint: new, assigned, in_progress, resolved, closed; a suggestion: received, under_review, adopted, declined' }),
  text: Type.String(),
  storeName: Nullable(Type.String()),
  categoryName: Nullable(Type.String({ description: "a complaint's category" })),
  categoryNameEn: Nullable(Type.String()),
  suggestionCategory: Nullable(Type.Enum([...SUGGESTION_CATEGORIES], { description: "a suggestion's category" })),
  replies: Type.Array(Type.Object({
    body: Type.String(),
    channel: Nullable(Type.String({ description: 'how it was told: phone, sms, email, wechat, in_person; null for a suggestion\'s reply' })),
    at: Type.String(),
  }), { description: 'what the desk told the member, oldest first (never an internal note)' }),
  photos: Type.Array(Type.Object({ id: Type.String(), contentType: Type.String(), size: Type.Integer() }), { description: 'a complaint\'s photos: GET /me/complaints/{complaintId}/photos/{photoId}' }),
  createdAt: Type.String(),
  decidedAt: Nullable(Type.String({ description: 'a complaint resolved; a suggestion adopted or declined' })),
}, { $id: 'MyFeedback' })

export const MySurveySchema = Type.Object({
  surveyId: Type.String(),
  title: Type.String(),
  titleEn: Nullable(Type.String()),
  intro: Nullable(Type.String()),
  introEn: Nullable(Type.String()),
  closesAt: Nullable(Type.String()),
  invited: Type.Boolean({ description: 'a personal invitation (else a survey open to anyone)' }),
  questions: Type.Array(QuestionSchema),
}, { $id: 'MySurvey' })

export const MyEventSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  kind: Type.Enum(['launch', 'talk', 'panel', 'other']),
  description: Nullable(Type.String()),
  storeName: Nullable(Type.String()),
  startsAt: Type.String(),
  endsAt: Type.String(),
  status: Type.Enum(['open', 'closed', 'cancelled'], { description: 'open: taking registrations; closed: registration over; cancelled' }),
  capacity: Type.Integer(),
  seatsLeft: Type.Integer(),
  invited: Type.Boolean({ description: "the event's invitation was sent to the member" }),
  registration: Nullable(Type.Object({
    status: Type.Enum(['registered', 'cancelled', 'attended']),
    channel: Type.Enum(['desk', 'till', 'member_page', 'campaign']),
    registeredAt: Type.String(),
    cancelledAt: Nullable(Type.String()),
    checkedInAt: Nullable(Type.String()),
  })),
  canRegister: Type.Boolean({ description: 'open, not over, a seat left, and the member not registered' }),
  canCancel: Type.Boolean({ description: 'registered, not checked in' }),
}, { $id: 'MyEvent' })

const ComplaintBody = Type.Object({
  categoryId: Type.String({ minLength: 1, maxLength: 64, description: 'one of complaintCategories (GET /me/feedback/options)' }),
  text: Type.String({ minLength: 1, maxLength: FEEDBACK_TEXT_MAX, description: 'what happened (2 to 2,000 characters)' }),
  storeCode: Type.Optional(Nullable(StoreCode)),
  preferredContact: Type.Optional(Type.Enum(['phone', 'sms', 'email', 'wechat', 'none'], { description: 'how the member would like to hear back (default phone)' })),
  photos: Type.Optional(Type.Array(Type.Object({
    data: Type.String({ minLength: 1, maxLength: PHOTO_CHARS, description: `the image as base64 (or a data: URL): JPEG, PNG or WebP by its content, at most ${MEMBER_PHOTO_BYTES / 1024 / 1024} MB` }),
  }, { additionalProperties: false }), { maxItems: MEMBER_PHOTOS })),
}, { additionalProperties: false })

const SuggestionBody = Type.Object({
  text: Type.String({ minLength: 1, maxLength: FEEDBACK_TEXT_MAX }),
  storeCode: Type.Optional(Nullable(StoreCode)),
  category: Type.Optional(Type.Enum([...SUGGESTION_CATEGORIES], { description: 'default other' })),
}, { additionalProperties: false })

const FeedbackQuery = Type.Object({
  cursor: Type.Optional(Type.String({ pattern: '^[0-9a-z]{26}$', description: 'nextCursor of the page before' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
}, { additionalProperties: false })

const AnswersBody = Type.Object({
  answers: Type.Array(AnswerSchema, { maxItems: 60 }),
  language: Type.Optional(Type.Enum(['zh-CN', 'en-US'])),
}, { additionalProperties: false })

export const portalEngageRoutes = (app: TypedApp, { portalEngage }: { portalEngage: PortalEngageService }) => {
  const tags = ['member page']
  app.addSchema(MyFeedbackSchema)
  app.addSchema(MySurveySchema)
  app.addSchema(MyEventSchema)
  const Feedback = Type.Ref('MyFeedback')
  const Event = Type.Ref('MyEvent')

  // ---- feedback ----

  app.get('/me/feedback/options', {
    schema: {
      tags, summary: "What the complaint and suggestion forms offer: the desk's complaint categories and the chain's open stores",
      response: {
        200: Type.Object({
          complaintCategories: Type.Array(Type.Object({ id: Type.String(), parentId: Nullable(Type.String()), name: Type.String(), nameEn: Nullable(Type.String()) })),
          stores: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
        }),
        ...errors(401),
      },
    },
    config: { member: true },
  }, async () => portalEngage.feedbackOptions())

  app.post('/me/complaints', {
    schema: {
      tags, summary: `File a complaint, with up to ${MEMBER_PHOTOS} photos (base64 JPEG, PNG or WebP, ${MEMBER_PHOTO_BYTES / 1024 / 1024} MB each); about the store named, else the member's own`,
      body: ComplaintBody, response: { 201: Feedback, ...errors(400, 401, 422), ...photoErrors },
    },
    config: { member: true },
    bodyLimit: MEMBER_PHOTOS * PHOTO_CHARS + 64 * 1024,
  }, async (req, reply) => reply.code(201).send(await portalEngage.complain(memberOf(req), req.body)))

  app.post('/me/suggestions', {
    schema: { tags, summary: 'Make a suggestion, about a store or the chain', body: SuggestionBody, response: { 201: Feedback, ...errors(400, 401, 422) } },
    config: { member: true },
  }, async (req, reply) => reply.code(201).send(await portalEngage.suggest(memberOf(req), req.body)))

  app.get('/me/feedback', {
    schema: {
      tags, summary: "The member's complaints and suggestions, newest first, with their status and the replies they were sent",
      querystring: FeedbackQuery, response: { 200: Type.Object({ items: Type.Array(Feedback), nextCursor: Nullable(Type.String()) }), ...errors(400, 401) },
    },
    config: { member: true },
  }, async (req) => portalEngage.feedback(memberOf(req), req.query))

  app.get('/me/complaints/:complaintId/photos/:photoId', {
    schema: {
      tags, summary: "A photo of one of the member's own complaints", params: Type.Object({ complaintId: Id, photoId: Id }),
      produces: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'], response: { 200: Type.Any({ description: 'the image' }), ...errors(400, 401, 404) },
    },
    config: { member: true },
  }, async (req, reply) => {
    const p = await portalEngage.complaintPhoto(memberOf(req), req.params.complaintId, req.params.photoId)
    return reply.type(p.contentType).header('cache-control', 'private, max-age=300').header('x-content-type-options', 'nosniff').send(p.bytes)
  })

  // ---- surveys ----

  app.get('/me/surveys', {
    schema: { tags, summary: 'The surveys the member may answer now and has not, their invitations first', response: { 200: Type.Array(Type.Ref('MySurvey')), ...errors(401) } },
    config: { member: true },
  }, async (req) => portalEngage.surveys(memberOf(req)))

  app.post('/me/surveys/:surveyId/answers', {
    schema: {
      tags, summary: 'Answer a survey, once (409 SURVEY_ALREADY_ANSWERED after; SURVEY_NOT_OPEN / SURVEY_CLOSED outside its window; 404 not for this member); each answer checked against its question',
      params: Type.Object({ surveyId: Id }), body: AnswersBody,
      response: { 201: Type.Object({ id: Type.String(), submittedAt: Type.String() }), ...errors(400, 401, 404, 409, 422) },
    },
    config: { member: true },
  }, async (req, reply) => reply.code(201).send(await portalEngage.answerSurvey(memberOf(req), req.params.surveyId, req.body)))

  // ---- events ----

  const EventParams = Type.Object({ eventId: Id })

  app.get('/me/events', {
    schema: { tags, summary: "The member's upcoming events, soonest first: invitations, their registrations, and every event open for registration", response: { 200: Type.Array(Event), ...errors(401) } },
    config: { member: true },
  }, async (req) => portalEngage.events(memberOf(req)))

  app.post('/me/events/:eventId/registration', {
    schema: {
      tags, summary: 'Register for an event (409 EVENT_FULL, EVENT_NOT_OPEN, EVENT_ENDED, EVENT_ALREADY_REGISTERED)',
      params: EventParams, response: { 201: Event, ...errors(400, 401, 404, 409) },
    },
    config: { member: true },
  }, async (req, reply) => reply.code(201).send(await portalEngage.register(memberOf(req), req.params.eventId)))

  app.delete('/me/events/:eventId/registration', {
    schema: {
      tags, summary: 'Cancel the registration for an event: the seat is free again (409 EVENT_NOT_REGISTERED, EVENT_ALREADY_CHECKED_IN)',
      params: EventParams, response: { 200: Event, ...errors(400, 401, 404, 409) },
    },
    config: { member: true },
  }, async (req) => portalEngage.cancelRegistration(memberOf(req), req.params.eventId))
}
