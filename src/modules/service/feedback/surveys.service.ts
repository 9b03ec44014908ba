import { randomBytes } from 'node:crypto'
import { diffFields, type AuditService } from '../../audit/index.js'
import type { Db, Engine, Trx } from '../../../db/database.js'
import type { Actor } from '../../../shared/actor.js'
import { actorStaffId, assertCan } from '../../../shared/actor.js'
import type { Clock } from '../../../shared/clock.js'
import { conflict, isDomainError, notFound, tooManyRequests, unprocessable, type ErrorDetail } from '../../../shared/errors.js'
import { newId } from '../../../shared/ids.js'
import type { Keyring } from '../../../shared/pii.js'
import { isInScope, scopeOf } from '../../../shared/scope.js'
import { dateIn } from '../../../shared/time.js'
import { assertLive } from '../../members/index.js'
import { listAllStores, storeNamesByIds } from '../../org/index.js'
import type { InvitationSendStatus, InvitationSource, SurveyInvitationsTable, SurveysTable, SurveyStatus } from './feedback.table.js'
import {
  answerInWords, availabilityAt, checkAnswers, checkQuestions, normalizeQuestions,
  type Answer, type AnswerRow, type SurveyQuestion, type SurveyTrigger,
} from './survey-rules.js'
import { csatOf, npsOf } from './survey-analysis.js'
import { createSurveyResults, type MemberClasses, type ResultsFilter } from './survey-results.js'
import * as repo from './surveys.repository.js'

/** A segment's member ids, a page at a time (services.ts hands in the segments service's reader). */
export type SegmentMemberIds = (segmentId: string, page: { cursor?: string; limit: number }) => Promise<{ ids: string[]; nextCursor: string | null }>

export interface SurveysDeps {
  db: Db
  engine: Engine
  audit: AuditService
  clock: Clock
  timezone: string
  /** the blind index of a public response's address (the per-address limit) */
  keyring: Keyring
  segmentMembers?: SegmentMemberIds
  /** members' classes now, for the results' cross-tabs */
  memberClasses?: MemberClasses
  /** the marketing issue's channels: invitations go out through them by SMS */
  send?: (input: InvitationMessage) => Promise<{ id: string; status: string; error: string | null }>
  /** where the console is reached from outside (the invitation's link) */
  publicUrl?: string
  /** an anonymous complaint's number, for its after-complaint invitation */
  ticketContactPhone?: (ticketId: string) => Promise<string | null>
  /** the end of the marketing quiet hours now (the campaigns' setting), or null outside them: a segment's invitations wait for it */
  quietUntil?: () => Promise<string | null>
}

/** An invitation as the channels take it: once per invitation however often the job runs. */
export interface InvitationMessage {
  channel: 'sms'
  /** a segment's invitation is marketing (the member's SMS consent); one after a complaint or a first purchase is service */
  purpose: 'marketing' | 'service'
  memberId: string | null
  to: string | null
  body: string
  sourceType: 'survey_invitation'
  sourceId: string
}

/** Invitations the send job takes a run, and how many it sends at once. */
const SEND_BATCH = 500
const SEND_CONCURRENCY = 8

export interface Survey {
  id: string
  title: string
  titleEn: string | null
  intro: string | null
  introEn: string | null
  status: SurveyStatus
  opensAt: string | null
  closesAt: string | null
  allowAnonymous: boolean
  questions: SurveyQuestion[]
  triggers: SurveyTrigger[]
  responses: number
  invitations: number
  csatRate: number | null
  npsScore: number | null
  createdBy: string | null
  createdAt: string
  updatedAt: string
  openedAt: string | null
  closedAt: string | null
}

export interface SurveyInput {
  title: string
  titleEn?: string | null
  intro?: string | null
  introEn?: string | null
  opensAt?: string | null
  closesAt?: string | null
  allowAnonymous?: boolean
  questions: SurveyQuestion[]
  triggers?: SurveyTrigger[]
}

/** A survey the member may answer on their page. */
export interface MemberSurvey {
  surveyId: string
  title: string
  titleEn: string | null
  intro: string | null
  introEn: string | null
  closesAt: string | null
  /** a personal invitation (else a survey open to anyone) */
  invited: boolean
  questions: SurveyQuestion[]
}

type Counts = { responses: number; invitations: number; csatRate?: number | null; npsScore?: number | null }
const toSurvey = (r: SurveysTable, counts: Counts = { responses: 0, invitations: 0 }): Survey => ({
  id: r.id, title: r.title, titleEn: r.title_en, intro: r.intro, introEn: r.intro_en, status: r.status, opensAt: r.opens_at, closesAt: r.closes_at,
  allowAnonymous: Number(r.allow_anonymous) === 1, questions: JSON.parse(r.questions) as SurveyQuestion[], triggers: JSON.parse(r.triggers) as SurveyTrigger[],
  responses: counts.responses, invitations: counts.invitations, csatRate: counts.csatRate ?? null, npsScore: counts.npsScore ?? null, createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at,
  openedAt: r.opened_at, closedAt: r.closed_at,
})

const surveyNotFound = () => notFound('SURVEY_NOT_FOUND', [{ field: 'id', reason: 'no such survey' }])
const linkNotFound = () => notFound('SURVEY_LINK_NOT_FOUND', [{ field: 'token', reason: 'no such survey link or invitation' }])
/** A token for a link or an invitation: 128 random bits, URL-safe. */
const newToken = () => randomBytes(16).toString('base64url')
const INVITE_BATCH = 1000
/** A store link: at most this many responses to one survey from one address an hour (a shop's shared Wi-Fi stays well under it). */
export const LINK_RESPONSES_PER_HOUR = 30
const HOUR_MS = 60 * 60 * 1000

/** Satisfaction surveys: builder, distribution, public answers, analysis (issue 14 §3). */
export const createSurveysService = ({ db, engine, audit, clock, timezone, keyring, segmentMembers, memberClasses, send, publicUrl, ticketContactPhone, quietUntil }: SurveysDeps) => {
  const now = () => clock.now().toISOString()
  const analysis = createSurveyResults({ db, engine, clock, timezone, memberClasses })

  const row = async (conn: Db, id: string) => {
    const r = await repo.findSurvey(conn, id)
    if (!r) throw surveyNotFound()
    return r
  }
  /** Responses, invitations, CSAT and NPS of each survey. */
  const countsOf = async (conn: Db | Trx, ids: string[]): Promise<Map<string, Counts>> => {
    const counts = await repo.countsOf(conn, ids)
    const scores = await repo.scoresOf(conn, ids)
    return new Map(ids.map((id) => {
      const mine = scores.filter((x) => x.surveyId === id)
      return [id, { ...counts.get(id)!, csatRate: csatOf(mine.filter((x) => x.kind === 'rating')).rate, npsScore: npsOf(mine.filter((x) => x.kind === 'nps')).score }]
    }))
  }
  const view = async (conn: Db, r: SurveysTable) => toSurvey(r, (await countsOf(conn, [r.id])).get(r.id))

  const checkInput = (input: Partial<SurveyInput>, merged: { opensAt: string | null; closesAt: string | null }): ErrorDetail[] => {
    const details = input.questions ? checkQuestions(input.questions) : []
    if (input.title !== undefined && !input.title.trim()) details.push({ field: 'title', reason: 'empty' })
    if (merged.opensAt && merged.closesAt && merged.closesAt <= merged.opensAt) details.push({ field: 'closesAt', reason: 'not after opensAt' })
    if (input.triggers && new Set(input.triggers).size !== input.triggers.length) details.push({ field: 'triggers', reason: 'a trigger is named twice' })
    return details
  }
  const iso = (v: string | null | undefined) => (v ? new Date(v).toISOString() : null)
  /** What a change did, in fields the audit log words (questions by their number, or that they were reworded). */
  const auditedChanges = (before: SurveysTable, after: Partial<SurveysTable>) => {
    const view = (r: Partial<SurveysTable>) => ({
      title: r.title, titleEn: r.title_en, opensAt: r.opens_at, closesAt: r.closes_at, allowAnonymous: Number(r.allow_anonymous) === 1,
      questions: r.questions ? (JSON.parse(r.questions) as unknown[]).length : undefined, triggers: r.triggers ? JSON.parse(r.triggers) as string[] : undefined,
    })
    const changed = diffFields(view(before), view(after))
    return before.questions !== after.questions && !changed.questions ? { ...changed, questionsChanged: true } : changed
  }

  const list = async (actor: Actor, f: { status?: SurveyStatus } = {}): Promise<Survey[]> => {
    assertCan(actor, 'service.read')
    const rows = await repo.listSurveys(db, f.status)
    const counts = await countsOf(db, rows.map((r) => r.id))
    return rows.map((r) => toSurvey(r, counts.get(r.id)))
  }

  const get = async (actor: Actor, id: string): Promise<Survey> => {
    assertCan(actor, 'service.read')
    return view(db, await row(db, id))
  }

  const create = async (actor: Actor, input: SurveyInput): Promise<Survey> => {
    assertCan(actor, 'surveys.manage')
    const opensAt = iso(input.opensAt)
    const closesAt = iso(input.closesAt)
    const details = checkInput(input, { opensAt, closesAt })
    if (!input.questions.length) details.push({ field: 'questions', reason: 'a survey needs a question' })
    if (details.length) throw unprocessable('VALIDATION', details)
    const at = now()
    const r: SurveysTable = {
      id: newId('svy'), title: input.title.trim(), title_en: input.titleEn?.trim() || null, intro: input.intro?.trim() || null, intro_en: input.introEn?.trim() || null,
      status: 'draft', opens_at: opensAt, closes_at: closesAt, allow_anonymous: input.allowAnonymous === false ? 0 : 1,
      questions: JSON.stringify(normalizeQuestions(input.questions)), triggers: JSON.stringify(input.triggers ?? []),
      created_by: actorStaffId(actor), created_at: at, updated_at: at, opened_at: null, closed_at: null,
    }
    await db.transaction().execute(async (trx) => {
      await repo.insertSurvey(trx, r)
      await audit.record(trx, actor, { action: 'survey.create', entityType: 'survey', entityId: r.id, changes: { title: r.title, questions: input.questions.length, triggers: input.triggers ?? [] } })
    })
    return toSurvey(r)
  }

  const update = async (actor: Actor, id: string, patch: Partial<SurveyInput>): Promise<Survey> => {
    assertCan(actor, 'surveys.manage')
    return db.transaction().execute(async (trx) => {
      const before = await repo.findSurvey(trx, id)
      if (!before) throw surveyNotFound()
      const opensAt = patch.opensAt !== undefined ? iso(patch.opensAt) : before.opens_at
      const closesAt = patch.closesAt !== undefined ? iso(patch.closesAt) : before.closes_at
      const details = checkInput(patch, { opensAt, closesAt })
      if (patch.questions && !patch.questions.length) details.push({ field: 'questions', reason: 'a survey needs a question' })
      if (details.length) throw unprocessable('VALIDATION', details)
      // Answers are stored against question ids: once answered, the questions stay as they were asked.
      if (patch.questions && before.status !== 'draft' && (await repo.responseCount(trx, id)) > 0) {
        throw conflict('SURVEY_ANSWERED', [{ field: 'questions', reason: 'the survey has answers; its questions can no longer change' }])
      }
      const changes: Partial<SurveysTable> = {
        title: patch.title?.trim() ?? before.title,
        title_en: patch.titleEn !== undefined ? (patch.titleEn?.trim() || null) : before.title_en,
        intro: patch.intro !== undefined ? (patch.intro?.trim() || null) : before.intro,
        intro_en: patch.introEn !== undefined ? (patch.introEn?.trim() || null) : before.intro_en,
        opens_at: opensAt, closes_at: closesAt,
        allow_anonymous: patch.allowAnonymous !== undefined ? (patch.allowAnonymous ? 1 : 0) : before.allow_anonymous,
        questions: patch.questions ? JSON.stringify(normalizeQuestions(patch.questions)) : before.questions,
        triggers: patch.triggers ? JSON.stringify(patch.triggers) : before.triggers,
        updated_at: now(),
      }
      await repo.updateSurvey(trx, id, changes)
      await audit.record(trx, actor, { action: 'survey.update', entityType: 'survey', entityId: id, changes: auditedChanges(before, changes) })
      const after = (await repo.findSurvey(trx, id))!
      return toSurvey(after, (await countsOf(trx, [id])).get(id))
    })
  }

  const remove = async (actor: Actor, id: string): Promise<void> => {
    assertCan(actor, 'surveys.manage')
    await db.transaction().execute(async (trx) => {
      const before = await repo.findSurvey(trx, id)
      if (!before) throw surveyNotFound()
      if (await repo.hasAnswers(trx, id)) throw conflict('SURVEY_ANSWERED', [{ field: 'id', reason: 'the survey has invitations or answers: close it instead' }])
      await repo.deleteSurvey(trx, id)
      await audit.record(trx, actor, { action: 'survey.delete', entityType: 'survey', entityId: id, changes: { title: before.title } })
    })
  }

  const setStatus = async (actor: Actor, id: string, to: 'open' | 'closed'): Promise<Survey> => {
    assertCan(actor, 'surveys.manage')
    return db.transaction().execute(async (trx) => {
      const before = await repo.findSurvey(trx, id)
      if (!before) throw surveyNotFound()
      if (before.status === to) throw conflict('SURVEY_STATUS', [{ field: 'status', reason: `the survey is ${to} already` }])
      const at = now()
      if (to === 'open') {
        const questions = JSON.parse(before.questions) as SurveyQuestion[]
        if (!questions.length) throw unprocessable('VALIDATION', [{ field: 'questions', reason: 'a survey needs a question' }])
        if (before.closes_at && before.closes_at <= at) throw unprocessable('SURVEY_WINDOW_OVER', [{ field: 'closesAt', reason: 'the window is over: move closesAt first' }])
      }
      const changes: Partial<SurveysTable> = to === 'open' ? { status: 'open', opened_at: at, closed_at: null, updated_at: at } : { status: 'closed', closed_at: at, updated_at: at }
      await repo.updateSurvey(trx, id, changes)
      await audit.record(trx, actor, { action: to === 'open' ? 'survey.open' : 'survey.close', entityType: 'survey', entityId: id, changes: { status: { from: before.status, to } } })
      return toSurvey((await repo.findSurvey(trx, id))!, (await countsOf(trx, [id])).get(id))
    })
  }

  /** The chain's link and one per open store, made on first ask (a store's staff: theirs and the chain's). */
  const links = async (actor: Actor, id: string) => {
    assertCan(actor, 'service.read')
    await row(db, id)
    const stores = await listAllStores(db, { status: 'open' })
    const at = now()
    await repo.insertLinks(db, [
      { token: newToken(), survey_id: id, place: '*', store_id: null, created_at: at },
      ...stores.map((s) => ({ token: newToken(), survey_id: id, place: s.id, store_id: s.id, created_at: at })),
    ])
    const rows = (await repo.linksOf(db, id)).filter((l) => l.store_id === null || isInScope(actor, l.store_id))
    const names = await storeNamesByIds(db, rows.map((l) => l.store_id))
    return rows
      .map((l) => ({ token: l.token, storeId: l.store_id, storeCode: l.store_id ? (names.get(l.store_id)?.code ?? null) : null, storeName: l.store_id ? (names.get(l.store_id)?.name ?? null) : null, path: `/s/${l.token}` }))
      .sort((a, b) => (a.storeId === null ? -1 : b.storeId === null ? 1 : (a.storeCode ?? '').localeCompare(b.storeCode ?? '')))
  }

  const invitationRow = (surveyId: string, source: InvitationSource, o: { memberId: string | null; storeId: string | null; ref: string | null; key: string; by: string | null; at: string }): SurveyInvitationsTable => ({
    id: newId('svi'), survey_id: surveyId, token: newToken(), member_id: o.memberId, store_id: o.storeId, source, source_ref: o.ref, dedupe_key: o.key,
    send_status: 'pending_send', created_by: o.by, created_at: o.at, responded_at: null,
  })

  /**
   * Invites a segment's members (as they match now): one invitation each, with its own token,
   * once per survey and member however often it is run. Recorded as pending send: the marketing
   * issue's channels deliver them once they exist.
   */
  const inviteSegment = async (actor: Actor, id: string, input: { segmentId: string }) => {
    assertCan(actor, 'surveys.manage')
    const survey = await row(db, id)
    if (survey.status === 'closed') throw conflict('SURVEY_STATUS', [{ field: 'status', reason: 'the survey is closed' }])
    if (!segmentMembers) throw new Error('surveys: the segment reader is not wired')
    let cursor: string | undefined
    let invited = 0
    let total = 0
    const at = now()
    for (;;) {
      const page = await segmentMembers(input.segmentId, { cursor, limit: INVITE_BATCH })
      total += page.ids.length
      if (page.ids.length) {
        invited += await db.transaction().execute((trx) => repo.insertInvitations(trx, page.ids.map((m) => invitationRow(id, 'segment', {
          memberId: m, storeId: null, ref: input.segmentId, key: `member:${m}`, by: actorStaffId(actor), at,
        }))))
      }
      if (!page.nextCursor) break
      cursor = page.nextCursor
    }
    await audit.record(db, actor, { action: 'survey.invite', entityType: 'survey', entityId: id, changes: { segmentId: input.segmentId, members: total, invited } })
    return { segmentId: input.segmentId, invited, skipped: total - invited, sendStatus: 'pending_send' as const }
  }

  /**
   * The send job: invitations pending send go out by SMS, a batch a run, oldest first — a
   * member's to their own number (a segment's only with their SMS consent to marketing), an
   * anonymous complaint's to the number the customer left. Each is marked sent, not_sent (no
   * number, the provider refused, the survey closed, or it was answered already) or no_consent.
   * A segment's invitations are marketing: inside the quiet hours they wait for the morning (the
   * others go on). The message's source is the invitation, so a run that dies between sending and
   * marking sends nothing twice.
   */
  const sendInvitations = async (limit = SEND_BATCH): Promise<{ sent: number; notSent: number; noConsent: number }> => {
    const out = { sent: 0, notSent: 0, noConsent: 0 }
    if (!send) return out
    const quiet = quietUntil ? await quietUntil() : null
    const rows = await repo.pendingInvitations(db, limit, { withSegments: quiet === null })
    const base = (publicUrl ?? 'http://localhost:3000').replace(/\/+$/, '')
    const one = async (r: (typeof rows)[number]): Promise<InvitationSendStatus> => {
      // Answered already (by the store's link, or before the send job came to it): no message needed.
      if (r.responded_at || r.survey_status === 'closed' || (r.closes_at && r.closes_at <= now())) return 'not_sent'
      const to = r.member_id ? null : r.source === 'after_complaint' && r.source_ref && ticketContactPhone ? await ticketContactPhone(r.source_ref) : null
      if (!r.member_id && !to) return 'not_sent'
      const purpose = r.source === 'segment' ? 'marketing' : 'service'
      const body = `邀请您参加「${r.title}」，请点击：${base}/s/${r.token}${purpose === 'marketing' ? ' 回T退订' : ''}`
      try {
        const m = await send({ channel: 'sms', purpose, memberId: r.member_id, to, body, sourceType: 'survey_invitation', sourceId: r.id })
        // Queued (a provider's passing failure) is the channels' retry job's from here.
        return m.status === 'failed' ? 'not_sent' : 'sent'
      } catch (e) {
        if (isDomainError(e) && e.code === 'MARKETING_NO_CONSENT') return 'no_consent'
        if (isDomainError(e)) return 'not_sent'
        throw e
      }
    }
    for (let i = 0; i < rows.length; i += SEND_CONCURRENCY) {
      const slice = rows.slice(i, i + SEND_CONCURRENCY)
      const statuses = await Promise.all(slice.map(one))
      for (const [j, status] of statuses.entries()) {
        await repo.markInvitationSent(db, slice[j]!.id, status)
        if (status === 'sent') out.sent++
        else if (status === 'no_consent') out.noConsent++
        else out.notSent++
      }
    }
    return out
  }

  const invitationCounts = async (actor: Actor, id: string) => {
    assertCan(actor, 'service.read')
    await row(db, id)
    const rows = await repo.invitationCounts(db, id)
    const bySource = new Map<string, { source: string; total: number; responded: number }>()
    let total = 0; let responded = 0; let pendingSend = 0; let sent = 0; let notSent = 0
    for (const r of rows) {
      const n = Number(r.n); const done = Number(r.responded)
      total += n; responded += done
      if (r.send_status === 'pending_send') pendingSend += n
      else if (r.send_status === 'sent') sent += n
      else notSent += n
      const e = bySource.get(r.source) ?? { source: r.source, total: 0, responded: 0 }
      e.total += n; e.responded += done
      bySource.set(r.source, e)
    }
    return { total, responded, pendingSend, sent, notSent, bySource: [...bySource.values()] }
  }

  /**
   * A trigger (a resolved complaint, a member's first purchase): an invitation to every open
   * survey with that trigger, once per survey and cause. Idempotent for the job's retries.
   */
  const inviteFor = async (trigger: SurveyTrigger, e: { memberId: string | null; storeId: string | null; ref: string; at: string }): Promise<number> => {
    const surveys = await repo.openSurveysWithTrigger(db, trigger)
    const live = surveys.filter((s) => availabilityAt({ status: s.status, opensAt: s.opens_at, closesAt: s.closes_at }, clock.now()) === 'open')
    if (!live.length) return 0
    const source: InvitationSource = trigger
    const key = trigger === 'after_complaint' ? `ticket:${e.ref}` : `first:${e.memberId ?? e.ref}`
    return db.transaction().execute((trx) => repo.insertInvitations(trx, live.map((s) => invitationRow(s.id, source, {
      memberId: e.memberId, storeId: e.storeId, ref: e.ref, key, by: null, at: now(),
    }))))
  }

  // ---- the respondent's side (no sign-in) ----

  /** What a token opens: a link (anyone, once per responseKey) or an invitation (once). */
  const storeNameOf = async (storeId: string | null) => (storeId ? ((await storeNamesByIds(db, [storeId])).get(storeId)?.name ?? null) : null)
  const resolveToken = async (token: string) => {
    const link = await repo.findLink(db, token)
    if (link) {
      const survey = await repo.findSurvey(db, link.survey_id)
      if (!survey) throw linkNotFound()
      return { survey, invitation: null, storeId: link.store_id, storeName: await storeNameOf(link.store_id), memberId: null }
    }
    const inv = await repo.findInvitation(db, token)
    if (!inv) throw linkNotFound()
    const survey = (await repo.findSurvey(db, inv.survey_id))!
    return { survey, invitation: inv, storeId: inv.store_id, storeName: await storeNameOf(inv.store_id), memberId: inv.member_id }
  }

  const assertTakesAnswers = (s: SurveysTable, invitation: boolean) => {
    const a = availabilityAt({ status: s.status, opensAt: s.opens_at, closesAt: s.closes_at }, clock.now())
    if (a !== 'open') {
      const reason = { draft: 'the survey is not open yet', not_yet: `the survey opens at ${s.opens_at}`, ended: `the survey closed at ${s.closes_at}`, closed: 'the survey is closed' }[a]
      throw unprocessable(a === 'draft' || a === 'not_yet' ? 'SURVEY_NOT_OPEN' : 'SURVEY_CLOSED', [{ field: 'token', reason }])
    }
    if (!invitation && Number(s.allow_anonymous) !== 1) throw unprocessable('SURVEY_INVITATION_ONLY', [{ field: 'token', reason: 'this survey is answered by invitation only' }])
  }

  const publicSurvey = async (token: string) => {
    const t = await resolveToken(token)
    assertTakesAnswers(t.survey, t.invitation !== null)
    return {
      token, surveyId: t.survey.id, title: t.survey.title, titleEn: t.survey.title_en, intro: t.survey.intro, introEn: t.survey.intro_en,
      closesAt: t.survey.closes_at, storeName: t.storeName, invitation: t.invitation !== null, answered: t.invitation?.responded_at != null,
      questions: JSON.parse(t.survey.questions) as SurveyQuestion[],
    }
  }

  const alreadyAnswered = (field = 'token') => conflict('SURVEY_ALREADY_ANSWERED', [{ field, reason: 'this survey was answered already; thank you' }])

  /**
   * Stores one response after checking every answer. An invitation is answered once (a second
   * post, even a concurrent one, is 409); a link's response once per `responseKey`, and from one
   * address (`ip`, the public route's) at most LINK_RESPONSES_PER_HOUR an hour per survey.
   */
  const respond = async (token: string, input: { answers: Answer[]; responseKey?: string | null; language?: 'zh-CN' | 'en-US'; ip?: string }) => {
    const t = await resolveToken(token)
    assertTakesAnswers(t.survey, t.invitation !== null)
    const questions = JSON.parse(t.survey.questions) as SurveyQuestion[]
    const { rows, details } = checkAnswers(questions, input.answers)
    if (details.length) throw unprocessable('SURVEY_ANSWERS_INVALID', details)
    if (!rows.length) throw unprocessable('SURVEY_ANSWERS_INVALID', [{ field: 'answers', reason: 'answer at least one question' }])
    if (t.invitation?.responded_at) throw alreadyAnswered()
    const key = t.invitation ? null : (input.responseKey ?? null)
    if (key && await repo.responseExists(db, t.survey.id, key)) throw alreadyAnswered()
    const ipHash = !t.invitation && input.ip !== undefined ? keyring.blindIndex('survey_ip', input.ip) : null
    if (ipHash && await repo.responsesFromAddress(db, t.survey.id, ipHash, new Date(clock.now().getTime() - HOUR_MS).toISOString()) >= LINK_RESPONSES_PER_HOUR) {
      throw tooManyRequests('TOO_MANY_REQUESTS', 3600, 'too many answers to this survey from this address; try again later')
    }
    return save(t.survey, rows, {
      invitation: t.invitation, linkToken: t.invitation ? null : token, key, memberId: t.memberId, storeId: t.storeId, language: input.language, answers: input.answers, ipHash,
    })
  }

  /** Stores a checked response and its answer rows in one transaction; an invitation is claimed once, a key is taken once (409 after). */
  const save = async (survey: SurveysTable, rows: AnswerRow[], o: {
    invitation: SurveyInvitationsTable | null; linkToken: string | null; key: string | null; memberId: string | null; storeId: string | null
    language?: 'zh-CN' | 'en-US'; answers: Answer[]; ipHash: string | null; field?: string
  }) => {
    const at = now()
    const localDate = dateIn(clock.now(), timezone)
    const id = newId('svr')
    await db.transaction().execute(async (trx) => {
      if (o.invitation && !(await repo.claimInvitation(trx, o.invitation.id, at))) throw alreadyAnswered(o.field)
      const inserted = await repo.insertResponse(trx, {
        id, survey_id: survey.id, invitation_id: o.invitation?.id ?? null, link_token: o.linkToken, response_key: o.key,
        member_id: o.memberId, store_id: o.storeId, language: o.language ?? 'zh-CN', answers: JSON.stringify(o.answers), local_date: localDate, submitted_at: at, ip_hash: o.ipHash,
      })
      // A concurrent post with the same key won the insert: this one stores nothing.
      if (!inserted.length) throw alreadyAnswered(o.field)
      await repo.insertAnswers(trx, rows.map((r, seq) => ({
        response_id: id, seq, survey_id: survey.id, question_id: r.questionId, kind: r.kind, row_key: r.rowKey, choice: r.choice, value: r.value, text: r.text,
        store_id: o.storeId, member_id: o.memberId, local_date: localDate,
      })))
    })
    return { id, submittedAt: at }
  }

  // ---- the member's page (signed in: the member is known, no token) ----

  /**
   * Whether a member may answer a survey on their page: with an invitation of theirs not answered
   * yet, or, without one, a survey open to anyone that no trigger is for (an after-complaint
   * survey asks about a complaint the member may never have made) and they have not answered.
   */
  const memberStanding = (s: SurveysTable, invitation: SurveyInvitationsTable | undefined, answered: boolean) =>
    invitation ? 'invited' as const
      : answered ? 'answered' as const
        : Number(s.allow_anonymous) === 1 && (JSON.parse(s.triggers) as SurveyTrigger[]).length === 0 ? 'open' as const : 'not_for_member' as const

  /** The surveys a member may answer now and has not, those they were invited to first. */
  const forMember = async (memberId: string): Promise<MemberSurvey[]> => {
    const [invitations, anonymous] = await Promise.all([repo.memberOpenInvitations(db, memberId), repo.openAnonymousSurveys(db)])
    const invitedIds = [...new Set(invitations.map((i) => i.survey_id))]
    const invited = await Promise.all(invitedIds.map((id) => repo.findSurvey(db, id)))
    const answered = await repo.surveysAnsweredBy(db, memberId, anonymous.map((s) => s.id))
    const open = anonymous.filter((s) => !invitedIds.includes(s.id) && memberStanding(s, undefined, answered.has(s.id)) === 'open')
    const live = (s: SurveysTable) => availabilityAt({ status: s.status, opensAt: s.opens_at, closesAt: s.closes_at }, clock.now()) === 'open'
    return [
      ...invited.filter((s): s is SurveysTable => !!s && live(s)).map((s) => ({ s, invited: true })),
      ...open.filter(live).map((s) => ({ s, invited: false })),
    ].map(({ s, invited: byInvitation }) => ({
      surveyId: s.id, title: s.title, titleEn: s.title_en, intro: s.intro, introEn: s.intro_en, closesAt: s.closes_at, invited: byInvitation,
      questions: JSON.parse(s.questions) as SurveyQuestion[],
    }))
  }

  /**
   * A member answers a survey on their page: through their oldest invitation not answered yet, or
   * (a survey open to anyone) once as themselves. Unknown, draft, or not for them: 404; answered
   * already: 409 SURVEY_ALREADY_ANSWERED; not open yet or over: 409 SURVEY_NOT_OPEN / SURVEY_CLOSED;
   * answers that do not fit the questions: 422 with each answer's field.
   */
  const respondAsMember = async (memberId: string, surveyId: string, input: { answers: Answer[]; language?: 'zh-CN' | 'en-US' }) => {
    const field = 'surveyId'
    const s = await repo.findSurvey(db, surveyId)
    if (!s || s.status === 'draft') throw notFound('SURVEY_NOT_FOUND', [{ field, reason: 'no such survey' }])
    const invitation = await repo.memberInvitationTo(db, s.id, memberId)
    const standing = memberStanding(s, invitation, (await repo.surveysAnsweredBy(db, memberId, [s.id])).has(s.id))
    if (standing === 'answered') throw alreadyAnswered(field)
    if (standing === 'not_for_member') throw notFound('SURVEY_NOT_FOUND', [{ field, reason: 'no such survey for you to answer' }])
    const a = availabilityAt({ status: s.status, opensAt: s.opens_at, closesAt: s.closes_at }, clock.now())
    if (a === 'not_yet') throw conflict('SURVEY_NOT_OPEN', [{ field, reason: `the survey opens at ${s.opens_at}` }])
    if (a !== 'open') throw conflict('SURVEY_CLOSED', [{ field, reason: a === 'ended' ? `the survey closed at ${s.closes_at}` : 'the survey is closed' }])
    const { rows, details } = checkAnswers(JSON.parse(s.questions) as SurveyQuestion[], input.answers)
    if (details.length) throw unprocessable('SURVEY_ANSWERS_INVALID', details)
    if (!rows.length) throw unprocessable('SURVEY_ANSWERS_INVALID', [{ field: 'answers', reason: 'answer at least one question' }])
    // Without an invitation the member's own key stands for them: a second answer, even a concurrent one, finds it taken.
    return save(s, rows, {
      invitation: invitation ?? null, linkToken: null, key: invitation ? null : `member:${memberId}`, memberId, storeId: invitation?.store_id ?? null,
      language: input.language, answers: input.answers, ipHash: null, field,
    })
  }

  // ---- reading answers ----

  const memberResponses = async (actor: Actor, memberId: string, page: { cursor?: string; limit?: number } = {}) => {
    assertCan(actor, 'service.read')
    await assertLive(db, memberId)
    const limit = Math.min(Math.max(page.limit ?? 50, 1), 200)
    const rows = await repo.memberResponses(db, memberId, scopeOf(actor), { cursor: page.cursor, limit: limit + 1 })
    const storeNames = await storeNamesByIds(db, rows.map((r) => r.store_id))
    const items = rows.slice(0, limit).map((r) => {
      const questions = JSON.parse(r.questions) as SurveyQuestion[]
      const { rows: answerRows } = checkAnswers(questions.map((q) => ({ ...q, required: false })), JSON.parse(r.answers) as Answer[])
      const of = (q: SurveyQuestion): AnswerRow[] => answerRows.filter((a) => a.questionId === q.id)
      const first = (kind: 'rating' | 'nps') => answerRows.find((a) => a.kind === kind)?.value ?? null
      return {
        id: r.id, surveyId: r.survey_id, surveyTitle: r.survey_title, storeId: r.store_id, storeName: r.store_id ? (storeNames.get(r.store_id)?.name ?? null) : null, language: r.language, submittedAt: r.submitted_at,
        csat: first('rating'), nps: first('nps'),
        answers: questions.filter((q) => of(q).length).map((q) => ({ questionId: q.id, label: q.label, answer: answerInWords(q, of(q)) })),
      }
    })
    return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
  }

  const results = async (actor: Actor, id: string, f: ResultsFilter = {}) => {
    assertCan(actor, 'service.read')
    return analysis.results(actor, await row(db, id), f)
  }

  const texts = async (actor: Actor, id: string, f: ResultsFilter & { questionId?: string; cursor?: string; limit?: number } = {}) => {
    assertCan(actor, 'service.read')
    return analysis.texts(actor, await row(db, id), f)
  }

  const exportResults = async (actor: Actor, id: string, f: ResultsFilter = {}) => {
    assertCan(actor, 'service.read')
    return analysis.exportXlsx(actor, await row(db, id), f)
  }

  return {
    list, get, create, update, remove, open: (actor: Actor, id: string) => setStatus(actor, id, 'open'), close: (actor: Actor, id: string) => setStatus(actor, id, 'closed'),
    links, inviteSegment, invitationCounts, inviteFor, sendInvitations, publicSurvey, respond, forMember, respondAsMember, memberResponses, results, texts, exportResults,
    internals: { openInvitations: (surveyId: string, limit: number) => repo.openInvitations(db, surveyId, limit) },
  }
}

export type SurveysService = ReturnType<typeof createSurveysService>
