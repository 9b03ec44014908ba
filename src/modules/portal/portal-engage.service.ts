import { fileTypeFromBuffer } from 'file-type'
import type { Db } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import { payloadTooLarge, unprocessable, unsupportedMediaType } from '../../shared/errors.js'
import type { MemberEventView, MemberEventsService } from '../marketing/index.js'
import { findRegistrationStores } from '../members/index.js'
import { listAllStores, storeByCode } from '../org/index.js'
import type { MemberSurvey, MemberTicket, SuggestionCategory, SuggestionsService, SurveysService, TicketsService } from '../service/index.js'
import type { MemberSession } from './portal-auth.service.js'
import { renamingFields } from './page-errors.js'

/** An events refusal in the page's words: the event is the path's `eventId`, the member is the session. */
const EVENT_FIELDS = { memberId: 'eventId', id: 'eventId' }

/** A photo sent with a complaint from the member's page: the page shrinks it first (a phone's camera makes larger ones). */
export const MEMBER_PHOTO_BYTES = 2 * 1024 * 1024
export const MEMBER_PHOTOS = 3
export const MEMBER_PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const
/** The longest complaint or suggestion text, in characters (the desk's limit). */
export const FEEDBACK_TEXT_MAX = 2000

type ComplaintStatus = MemberTicket['status']
type SuggestionStatus = 'received' | 'under_review' | 'adopted' | 'declined'
type ContactPreference = 'phone' | 'sms' | 'email' | 'wechat' | 'none'

/** A complaint or a suggestion, as the member follows it on their page. */
export interface MyFeedback {
  kind: 'complaint' | 'suggestion'
  id: string
  /** what the desk reads out: TS-20260302-0001, or S260302K7QX */
  number: string
  status: ComplaintStatus | SuggestionStatus
  text: string
  storeName: string | null
  /** a complaint's category, as the desk named it */
  categoryName: string | null
  categoryNameEn: string | null
  /** a suggestion's category */
  suggestionCategory: SuggestionCategory | null
  /** what the desk told the member, oldest first (never an internal note) */
  replies: Array<{ body: string; channel: string | null; at: string }>
  photos: Array<{ id: string; contentType: string; size: number }>
  createdAt: string
  /** a complaint resolved, or a suggestion adopted or declined */
  decidedAt: string | null
}

export interface PortalEngageDeps {
  db: Db
  tickets: Pick<TicketsService, 'create' | 'forMember' | 'memberPhoto' | 'listCategories'>
  suggestions: Pick<SuggestionsService, 'create' | 'memberSuggestions'>
  surveys: Pick<SurveysService, 'forMember' | 'respondAsMember'>
  memberEvents: Pick<MemberEventsService, 'forMember' | 'forMemberOne' | 'register' | 'cancelRegistration'>
}

type Me = Pick<MemberSession, 'memberId'>

/** The time part of a prefixed id (`tkt_…`, `sug_…`): complaints and suggestions page together by it. */
const idBody = (id: string) => id.slice(id.indexOf('_') + 1)

const complaintOf = (t: MemberTicket): MyFeedback => ({
  kind: 'complaint', id: t.id, number: t.ticketNo, status: t.status, text: t.description, storeName: t.storeName, categoryName: t.categoryName, categoryNameEn: t.categoryNameEn,
  suggestionCategory: null, replies: t.replies, photos: t.photos.map((p) => ({ id: p.id, contentType: p.contentType, size: p.size })), createdAt: t.createdAt, decidedAt: t.resolvedAt,
})

type SuggestionView = Awaited<ReturnType<SuggestionsService['create']>>
const suggestionOf = (s: SuggestionView): MyFeedback => ({
  kind: 'suggestion', id: s.id, number: s.number, status: s.status, text: s.text, storeName: s.storeName, categoryName: null, categoryNameEn: null,
  suggestionCategory: s.category, replies: s.reply && s.repliedAt ? [{ body: s.reply, channel: null, at: s.repliedAt }] : [], photos: [], createdAt: s.createdAt, decidedAt: s.decidedAt,
})

/**
 * A photo as the page sends it (base64, or a data: URL of it), checked by its content: a JPEG,
 * PNG or WebP image of at most MEMBER_PHOTO_BYTES.
 */
const decodePhoto = async (data: string, field: string): Promise<Buffer> => {
  const b64 = data.replace(/^data:[\w.+/-]*;base64,/, '').replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64)) throw unsupportedMediaType('COMPLAINT_PHOTO_TYPE', [{ field, reason: 'not a base64 image' }])
  // Node's base64 decoder takes the URL-safe alphabet too.
  const bytes = Buffer.from(b64, 'base64')
  if (bytes.length > MEMBER_PHOTO_BYTES) {
    throw payloadTooLarge('COMPLAINT_PHOTO_TOO_LARGE', [{ field, reason: `larger than ${MEMBER_PHOTO_BYTES / 1024 / 1024} MB (shrink it before sending)` }])
  }
  const type = await fileTypeFromBuffer(bytes)
  if (!type || !(MEMBER_PHOTO_TYPES as readonly string[]).includes(type.mime)) {
    throw unsupportedMediaType('COMPLAINT_PHOTO_TYPE', [{ field, reason: `not a JPEG, PNG or WebP image${type ? ` (it is ${type.mime})` : ''}` }])
  }
  return bytes
}

/**
 * The member's page's feedback, surveys and events (issue 17 §2): complaints (with photos) and
 * suggestions through the service desk, with the replies the desk sent; the surveys open to the
 * member; the events they were invited to or may register for. Always the session's member, whose
 * id never comes from the request; the desk's and events' services are called as the page.
 */
export const createPortalEngageService = ({ db, tickets, suggestions, surveys, memberEvents }: PortalEngageDeps) => {
  const system: Actor = { kind: 'system', name: 'member page' }

  /** The store a code names (422 on `field` if none), else the member's registration store. */
  const storeFor = async (me: Me, code: string | null | undefined, field: string): Promise<string | null> => {
    if (code?.trim()) {
      const store = await storeByCode(db, code.trim())
      if (!store) throw unprocessable('STORE_NOT_FOUND', [{ field, reason: 'no such store' }])
      return store.id
    }
    return (await findRegistrationStores(db, [me.memberId])).get(me.memberId) ?? null
  }

  const checkedText = (text: string): string => {
    const t = text.trim()
    if ([...t].length < 2 || [...t].length > FEEDBACK_TEXT_MAX) throw unprocessable('VALIDATION', [{ field: 'text', reason: `say what happened, in 2 to ${FEEDBACK_TEXT_MAX} characters` }])
    return t
  }

  /** What the complaint and suggestion forms offer: the desk's active categories, the suggestion categories and the open stores. */
  const feedbackOptions = async () => {
    const [categories, stores] = await Promise.all([tickets.listCategories(system), listAllStores(db, { status: 'open' })])
    return {
      complaintCategories: categories.filter((c) => c.active).map((c) => ({ id: c.id, parentId: c.parentId, name: c.name, nameEn: c.nameEn })),
      stores: stores.map((s) => ({ code: s.code, name: s.name })).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
    }
  }

  /**
   * The member files a complaint (channel member_page) with up to three photos; every photo is
   * checked before anything is stored. The store: the one named, else the member's own.
   */
  const complain = async (me: Me, input: { categoryId: string; text: string; storeCode?: string | null; preferredContact?: ContactPreference; photos?: Array<{ data: string }> }): Promise<MyFeedback> => {
    const description = checkedText(input.text)
    if ((input.photos?.length ?? 0) > MEMBER_PHOTOS) throw unprocessable('VALIDATION', [{ field: 'photos', reason: `at most ${MEMBER_PHOTOS} photos` }])
    const photos: Buffer[] = []
    for (const [i, p] of (input.photos ?? []).entries()) photos.push(await decodePhoto(p.data, `photos.${i}`))
    const storeId = await storeFor(me, input.storeCode, 'storeCode')
    if (!storeId) throw unprocessable('VALIDATION', [{ field: 'storeCode', reason: 'say which store the complaint is about' }])
    const t = await tickets.create(system, {
      kind: 'complaint', memberId: me.memberId, storeId, categoryId: input.categoryId, channel: 'member_page', description,
      preferredContact: input.preferredContact, photos,
    })
    return complaintOf({ ...t, replies: t.timeline.filter((e) => e.kind === 'reply').map((e) => ({ body: e.body ?? '', channel: e.channel, at: e.at })) })
  }

  /** The member makes a suggestion (channel member_page); the store: the one named, or none. */
  const suggest = async (me: Me, input: { text: string; storeCode?: string | null; category?: SuggestionCategory }): Promise<MyFeedback> => {
    const storeId = input.storeCode?.trim() ? await storeFor(me, input.storeCode, 'storeCode') : null
    return suggestionOf(await suggestions.create(system, { memberId: me.memberId, storeId, category: input.category ?? 'other', channel: 'member_page', text: input.text }))
  }

  /** The member's complaints and suggestions, newest first, with their status and the replies they were sent. */
  const feedback = async (me: Me, page: { cursor?: string; limit?: number } = {}): Promise<{ items: MyFeedback[]; nextCursor: string | null }> => {
    const limit = Math.min(Math.max(page.limit ?? 20, 1), 100)
    const [t, s] = await Promise.all([
      tickets.forMember(me.memberId, { cursor: page.cursor ? `tkt_${page.cursor}` : undefined, limit }),
      suggestions.memberSuggestions(system, me.memberId, { cursor: page.cursor ? `sug_${page.cursor}` : undefined, limit }),
    ])
    const all = [...t.items.map(complaintOf), ...s.items.map(suggestionOf)].sort((a, b) => (idBody(a.id) < idBody(b.id) ? 1 : -1))
    const items = all.slice(0, limit)
    const more = all.length > limit || t.nextCursor !== null || s.nextCursor !== null
    return { items, nextCursor: more && items.length ? idBody(items[items.length - 1]!.id) : null }
  }

  /** A photo of the member's own complaint (another's: 404). */
  const complaintPhoto = (me: Me, complaintId: string, photoId: string) => tickets.memberPhoto(me.memberId, complaintId, photoId)

  /** The surveys the member may answer now and has not, their invitations first. */
  const mySurveys = (me: Me): Promise<MemberSurvey[]> => surveys.forMember(me.memberId)

  /** Answers a survey once; each answer checked against its question. */
  const answerSurvey = (me: Me, surveyId: string, input: { answers: Parameters<SurveysService['respondAsMember']>[2]['answers']; language?: 'zh-CN' | 'en-US' }) =>
    surveys.respondAsMember(me.memberId, surveyId, input)

  /** The member's upcoming events: invitations, their registrations, and every event open for registration. */
  const myEvents = (me: Me): Promise<MemberEventView[]> => memberEvents.forMember(me.memberId)

  /** Registers the member (channel member_page); a full, closed or ended event, or a second registration, is refused (409). */
  const register = async (me: Me, eventId: string): Promise<MemberEventView> => {
    await memberEvents.forMemberOne(me.memberId, eventId)
    await renamingFields(() => memberEvents.register(system, eventId, { memberId: me.memberId, channel: 'member_page' }), EVENT_FIELDS)
    return memberEvents.forMemberOne(me.memberId, eventId)
  }

  /** Cancels the member's registration; the seat is free again. */
  const cancelRegistration = async (me: Me, eventId: string): Promise<MemberEventView> => {
    await memberEvents.forMemberOne(me.memberId, eventId)
    await renamingFields(() => memberEvents.cancelRegistration(system, eventId, me.memberId, { reason: 'member page' }), EVENT_FIELDS)
    return memberEvents.forMemberOne(me.memberId, eventId)
  }

  return { feedbackOptions, complain, suggest, feedback, complaintPhoto, surveys: mySurveys, answerSurvey, events: myEvents, register, cancelRegistration }
}

export type PortalEngageService = ReturnType<typeof createPortalEngageService>
