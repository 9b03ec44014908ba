import { diffFields, type AuditService } from '../../audit/index.js'
import type { Db, Trx } from '../../../db/database.js'
import type { Actor } from '../../../shared/actor.js'
import { actorStaffId, assertCan } from '../../../shared/actor.js'
import type { Clock } from '../../../shared/clock.js'
import { conflict, notFound, unprocessable, type ErrorDetail } from '../../../shared/errors.js'
import { newId } from '../../../shared/ids.js'
import {
  fill, MAX_BODY, MAX_SUBJECT, parseTemplate, signatureProblem, smsLength, smsSegments, smsText, VARIABLES,
  type Lang, type Values, type Variable,
} from './template-rules.js'
import type { Channel, MessagePurpose } from '../channels/channels.table.js'
import type { MessageTemplatesTable, TemplateStatus } from './templates.table.js'
import * as repo from './templates.repository.js'

/**
 * What a template says of a member: their values (name, points, expiring points, tier, store),
 * read with the asking staff member's rights — the name masked as staff see it, to the same
 * length, so a preview counts an SMS right without showing personal data; wired in services.ts.
 */
export type MemberValues = (actor: Actor, memberId: string) => Promise<Values>
/** A coupon template's name, face value and validity as a message names them (its code comes at issue). */
export type CouponValues = (actor: Actor, couponTemplateId: string, lang: Lang) => Promise<Values>
/** The product Patron would recommend to the member first, when recommendations are built. */
export type RecommendationFor = (actor: Actor, memberId: string) => Promise<string | null>

export interface TemplatesDeps {
  db: Db
  audit: AuditService
  clock: Clock
  memberValues: MemberValues
  couponValues: CouponValues
  recommendationFor?: RecommendationFor
}

export interface MessageTemplate {
  id: string
  name: string
  channel: Channel
  purpose: MessagePurpose
  subjectZh: string | null
  subjectEn: string | null
  bodyZh: string
  bodyEn: string | null
  providerTemplateCode: string | null
  /** the variables the texts use */
  variables: Variable[]
  status: TemplateStatus
  version: number
  createdBy: string | null
  createdAt: string
  updatedBy: string | null
  updatedAt: string
}

export interface TemplateInput {
  name: string
  channel: Channel
  purpose: MessagePurpose
  subjectZh?: string | null
  subjectEn?: string | null
  bodyZh: string
  bodyEn?: string | null
  providerTemplateCode?: string | null
}

export interface TemplatePatch extends Partial<TemplateInput> {
  status?: TemplateStatus
  /** the version read: a change made since is refused (409) */
  version: number
}

export interface PreviewInput {
  templateId?: string
  /** the text being written, when there is no template yet (or to preview an edit) */
  channel?: Channel
  purpose?: MessagePurpose
  subject?: string | null
  body?: string
  lang?: Lang
  memberId?: string | null
  couponTemplateId?: string | null
}

export interface Preview {
  channel: Channel
  lang: Lang
  subject: string | null
  /** the message as it arrives: for an SMS with the signature and, for marketing, the unsubscribe words */
  text: string
  /** SMS: characters as the provider counts them and the billed parts; null on other channels */
  length: number | null
  segments: number | null
  variables: Variable[]
  /** variables the text uses that have no value for this member (they go out empty) */
  missing: Variable[]
  /** variables filled with a sample: the coupon's code, issued at send time */
  samples: Variable[]
}

export interface MarketingSettings {
  /** the chain's SMS signature (签名), without 【】: every SMS starts with it */
  smsSignature: string
  /** marketing emails to members go with an HTML part whose links and open pixel are tracked (off until turned on) */
  emailTracking: boolean
  updatedBy: string | null
  updatedAt: string | null
}

const SIGNATURE_KEY = 'sms.signature'
const EMAIL_TRACKING_KEY = 'email.tracking'
const DEFAULT_SIGNATURE = 'Patron'
/** The coupon's code is drawn when the coupon is issued to each member; a preview shows this. */
export const SAMPLE_COUPON_CODE = 'C8X2K9Q4'
const EMAIL_FOOTER: Record<Lang, string> = {
  'zh-CN': '\n\n如不想再收到此类邮件，请点击退订：{unsubscribe}',
  'en-US': '\n\nTo stop receiving these emails, unsubscribe: {unsubscribe}',
}
const UNSUBSCRIBE_SAMPLE = 'https://…/u/…'

/** Whether marketing emails are tracked (opens and clicks): the chain's setting, read by the channels when they send. */
export const emailTrackingOn = async (conn: Db | Trx): Promise<boolean> => (await repo.findSetting(conn, EMAIL_TRACKING_KEY))?.value === 'on'

const toTemplate = (r: MessageTemplatesTable): MessageTemplate => {
  const used = new Set<Variable>()
  for (const text of [r.subject_zh, r.subject_en, r.body_zh, r.body_en]) {
    if (!text) continue
    const parsed = parseTemplate(text, 'body')
    if ('variables' in parsed) for (const v of parsed.variables) used.add(v)
  }
  return {
    id: r.id, name: r.name, channel: r.channel, purpose: r.purpose, subjectZh: r.subject_zh, subjectEn: r.subject_en, bodyZh: r.body_zh, bodyEn: r.body_en,
    providerTemplateCode: r.provider_template_code, variables: VARIABLES.filter((v) => used.has(v)), status: r.status, version: Number(r.version),
    createdBy: r.created_by, createdAt: r.created_at, updatedBy: r.updated_by, updatedAt: r.updated_at,
  }
}

const blankToNull = (v: string | null | undefined): string | null => (v === undefined || v === null || v.trim() === '' ? null : v.trim())

/** Every problem of a template's fields at once (the field and the reason). */
const problemsOf = (t: { name: string; channel: Channel; subjectZh: string | null; subjectEn: string | null; bodyZh: string; bodyEn: string | null; providerTemplateCode: string | null }): ErrorDetail[] => {
  const out: ErrorDetail[] = []
  if (t.name.trim().length === 0 || t.name.length > 100) out.push({ field: 'name', reason: 'from 1 to 100 characters' })
  const max = MAX_BODY[t.channel]
  for (const [field, text] of [['bodyZh', t.bodyZh], ['bodyEn', t.bodyEn]] as const) {
    if (text === null) continue
    if (text.trim().length === 0) out.push({ field, reason: 'is empty' })
    else if (smsLength(text) > max) out.push({ field, reason: `at most ${max} characters on ${t.channel}` })
    else {
      const parsed = parseTemplate(text, field)
      if ('problems' in parsed) out.push(...parsed.problems)
    }
  }
  for (const [field, text] of [['subjectZh', t.subjectZh], ['subjectEn', t.subjectEn]] as const) {
    if (text === null) continue
    if (t.channel !== 'email' && t.channel !== 'push') out.push({ field, reason: `a ${t.channel} message has no subject` })
    else if (smsLength(text) > MAX_SUBJECT) out.push({ field, reason: `at most ${MAX_SUBJECT} characters` })
    else {
      const parsed = parseTemplate(text, field)
      if ('problems' in parsed) out.push(...parsed.problems)
    }
  }
  if (t.channel === 'email' && t.subjectZh === null) out.push({ field: 'subjectZh', reason: 'an email needs a subject' })
  if (t.channel === 'email' && t.bodyEn !== null && t.subjectEn === null) out.push({ field: 'subjectEn', reason: 'an English email needs an English subject' })
  if (t.providerTemplateCode !== null && !/^[A-Za-z0-9_-]{1,64}$/.test(t.providerTemplateCode)) out.push({ field: 'providerTemplateCode', reason: "the provider's code: letters, digits, - and _, at most 64" })
  return out
}

export const createTemplatesService = ({ db, audit, clock, memberValues, couponValues, recommendationFor }: TemplatesDeps) => {
  const now = () => clock.now().toISOString()

  const row = async (id: string): Promise<MessageTemplatesTable> => {
    const r = await repo.findTemplate(db, id)
    if (!r) throw notFound('MESSAGE_TEMPLATE_NOT_FOUND', [{ field: 'id', reason: 'no such template' }])
    return r
  }

  const list = async (actor: Actor, f: { channel?: Channel; status?: TemplateStatus } = {}): Promise<MessageTemplate[]> => {
    assertCan(actor, 'marketing.read')
    return (await repo.listTemplates(db, f)).map(toTemplate)
  }

  const get = async (actor: Actor, id: string): Promise<MessageTemplate> => {
    assertCan(actor, 'marketing.read')
    return toTemplate(await row(id))
  }

  const nameTaken = () => conflict('MESSAGE_TEMPLATE_NAME_TAKEN', [{ field: 'name', reason: 'another template has this name' }])

  const create = async (actor: Actor, input: TemplateInput): Promise<MessageTemplate> => {
    assertCan(actor, 'marketing.manage')
    const fields = {
      name: input.name.trim(), channel: input.channel, purpose: input.purpose, subjectZh: blankToNull(input.subjectZh), subjectEn: blankToNull(input.subjectEn),
      bodyZh: input.bodyZh, bodyEn: blankToNull(input.bodyEn), providerTemplateCode: blankToNull(input.providerTemplateCode),
    }
    const problems = problemsOf(fields)
    if (problems.length > 0) throw unprocessable('MESSAGE_TEMPLATE_INVALID', problems)
    const at = now()
    const by = actorStaffId(actor)
    const r: MessageTemplatesTable = {
      id: newId('mtp'), name: fields.name, channel: fields.channel, purpose: fields.purpose, subject_zh: fields.subjectZh, subject_en: fields.subjectEn,
      body_zh: fields.bodyZh, body_en: fields.bodyEn, provider_template_code: fields.providerTemplateCode, status: 'active', version: 1,
      created_by: by, created_at: at, updated_by: by, updated_at: at,
    }
    await db.transaction().execute(async (trx) => {
      if (await repo.findTemplateByName(trx, r.name)) throw nameTaken()
      await repo.insertTemplate(trx, r)
      await audit.record(trx, actor, { action: 'message_template.create', entityType: 'message_template', entityId: r.id, changes: { name: r.name, messageChannel: r.channel, purpose: r.purpose } })
    })
    return toTemplate(r)
  }

  const update = async (actor: Actor, id: string, patch: TemplatePatch): Promise<MessageTemplate> => {
    assertCan(actor, 'marketing.manage')
    const before = await row(id)
    const pick = <T>(v: T | undefined, old: T): T => (v === undefined ? old : v)
    const fields = {
      name: pick(patch.name?.trim(), before.name), channel: pick(patch.channel, before.channel), purpose: pick(patch.purpose, before.purpose),
      subjectZh: patch.subjectZh === undefined ? before.subject_zh : blankToNull(patch.subjectZh), subjectEn: patch.subjectEn === undefined ? before.subject_en : blankToNull(patch.subjectEn),
      bodyZh: pick(patch.bodyZh, before.body_zh), bodyEn: patch.bodyEn === undefined ? before.body_en : blankToNull(patch.bodyEn),
      providerTemplateCode: patch.providerTemplateCode === undefined ? before.provider_template_code : blankToNull(patch.providerTemplateCode),
    }
    const problems = problemsOf(fields)
    if (problems.length > 0) throw unprocessable('MESSAGE_TEMPLATE_INVALID', problems)
    const next: Partial<MessageTemplatesTable> = {
      name: fields.name, channel: fields.channel, purpose: fields.purpose, subject_zh: fields.subjectZh, subject_en: fields.subjectEn, body_zh: fields.bodyZh,
      body_en: fields.bodyEn, provider_template_code: fields.providerTemplateCode, status: patch.status ?? before.status, updated_by: actorStaffId(actor), updated_at: now(),
    }
    await db.transaction().execute(async (trx) => {
      if (fields.name !== before.name) {
        const other = await repo.findTemplateByName(trx, fields.name)
        if (other && other.id !== id) throw nameTaken()
      }
      if (!(await repo.updateTemplate(trx, id, patch.version, next))) {
        throw conflict('MESSAGE_TEMPLATE_VERSION', [{ field: 'version', reason: 'the template changed since you read it; reload it' }])
      }
      const changes = diffFields(
        { name: before.name, messageChannel: before.channel, purpose: before.purpose, status: before.status, bodyZh: before.body_zh, bodyEn: before.body_en, subjectZh: before.subject_zh, subjectEn: before.subject_en },
        { name: next.name, messageChannel: next.channel, purpose: next.purpose, status: next.status, bodyZh: next.body_zh, bodyEn: next.body_en, subjectZh: next.subject_zh, subjectEn: next.subject_en },
      )
      await audit.record(trx, actor, { action: 'message_template.update', entityType: 'message_template', entityId: id, changes })
    })
    return toTemplate(await row(id))
  }

  const readSettings = async (): Promise<MarketingSettings> => {
    const [signature, tracking] = await Promise.all([repo.findSetting(db, SIGNATURE_KEY), repo.findSetting(db, EMAIL_TRACKING_KEY)])
    const last = [signature, tracking].filter((r) => r !== undefined).sort((a, b) => b.updated_at.localeCompare(a.updated_at))[0]
    return { smsSignature: signature?.value ?? DEFAULT_SIGNATURE, emailTracking: tracking?.value === 'on', updatedBy: last?.updated_by ?? null, updatedAt: last?.updated_at ?? null }
  }

  const settings = async (actor: Actor): Promise<MarketingSettings> => {
    assertCan(actor, 'marketing.read')
    return readSettings()
  }

  /** Sets the settings given (the others are kept); audited with each one's old and new value. */
  const saveSettings = async (actor: Actor, input: { smsSignature?: string; emailTracking?: boolean }): Promise<MarketingSettings> => {
    assertCan(actor, 'marketing.manage')
    const signature = input.smsSignature?.trim()
    const problem = signature === undefined ? null : signatureProblem(signature)
    if (problem) throw unprocessable('MARKETING_SETTINGS_INVALID', [{ field: 'smsSignature', reason: problem }])
    if (signature === undefined && input.emailTracking === undefined) return readSettings()
    const before = await readSettings()
    const by = actorStaffId(actor)
    const at = now()
    await db.transaction().execute(async (trx) => {
      const changes: Record<string, { from: unknown; to: unknown }> = {}
      if (signature !== undefined) {
        await repo.saveSetting(trx, { key: SIGNATURE_KEY, value: signature, updated_by: by, updated_at: at })
        changes.smsSignature = { from: before.smsSignature, to: signature }
      }
      if (input.emailTracking !== undefined) {
        await repo.saveSetting(trx, { key: EMAIL_TRACKING_KEY, value: input.emailTracking ? 'on' : 'off', updated_by: by, updated_at: at })
        changes.emailTracking = { from: before.emailTracking, to: input.emailTracking }
      }
      await audit.record(trx, actor, { action: 'marketing.settings.update', entityType: 'marketing_settings', entityId: null, changes })
    })
    return readSettings()
  }

  /**
   * The message a member would get: the template (or the text being written) in the language,
   * filled with the member's values and the coupon's, signed and with the unsubscribe words as
   * the channel needs, and for an SMS its length and billed parts.
   */
  const preview = async (actor: Actor, input: PreviewInput): Promise<Preview> => {
    assertCan(actor, 'marketing.read')
    const lang: Lang = input.lang ?? 'zh-CN'
    let channel: Channel
    let purpose: MessagePurpose
    let subject: string | null
    let body: string
    if (input.templateId) {
      const t = await row(input.templateId)
      channel = t.channel
      purpose = t.purpose
      const english = lang === 'en-US' && t.body_en !== null
      subject = english ? t.subject_en : t.subject_zh
      body = english ? t.body_en! : t.body_zh
    } else {
      const problems: ErrorDetail[] = []
      if (!input.channel) problems.push({ field: 'channel', reason: 'a channel, or a templateId' })
      if (input.body === undefined || input.body.trim() === '') problems.push({ field: 'body', reason: 'the text, or a templateId' })
      if (problems.length > 0) throw unprocessable('MESSAGE_TEMPLATE_INVALID', problems)
      channel = input.channel!
      purpose = input.purpose ?? 'marketing'
      subject = blankToNull(input.subject)
      body = input.body!
    }
    const used = new Set<Variable>()
    for (const [field, text] of [['body', body], ['subject', subject]] as const) {
      if (text === null) continue
      const parsed = parseTemplate(text, field)
      if ('problems' in parsed) throw unprocessable('MESSAGE_TEMPLATE_INVALID', parsed.problems)
      for (const v of parsed.variables) used.add(v)
    }
    const values: Values = {}
    const samples: Variable[] = []
    if (input.memberId) {
      Object.assign(values, await memberValues(actor, input.memberId))
      if (used.has('recommendation') && recommendationFor) {
        const r = await recommendationFor(actor, input.memberId)
        if (r) values.recommendation = r
      }
    }
    if (input.couponTemplateId) {
      Object.assign(values, await couponValues(actor, input.couponTemplateId, lang))
      values.couponCode = SAMPLE_COUPON_CODE
      if (used.has('couponCode')) samples.push('couponCode')
    }
    const variables = VARIABLES.filter((v) => used.has(v))
    const missing = variables.filter((v) => values[v] === undefined || values[v] === '')
    const filled = fill(body, values)
    const filledSubject = subject === null ? null : fill(subject, values)
    if (channel === 'sms') {
      const text = smsText(filled, (await readSettings()).smsSignature, purpose, lang)
      const length = smsLength(text)
      return { channel, lang, subject: null, text, length, segments: smsSegments(length), variables, missing, samples }
    }
    const text = channel === 'email' && purpose === 'marketing' ? filled + EMAIL_FOOTER[lang].replace('{unsubscribe}', UNSUBSCRIBE_SAMPLE) : filled
    return { channel, lang, subject: filledSubject, text, length: null, segments: null, variables, missing, samples }
  }

  /**
   * The message a member gets (a campaign's or a journey's send): the template in the language
   * (zh-CN unless en-US is asked for and written), filled with the member's values in clear,
   * an SMS signed and, for marketing, with the unsubscribe words; a marketing email with its
   * unsubscribe link. The provider's template code and the values it uses go with it (providers
   * that send by template code, as Alibaba's does, take those instead of the text).
   */
  const render = async (templateId: string, values: Values, options: { lang?: Lang; unsubscribeUrl?: string | null } = {}) => {
    const t = await row(templateId)
    const english = options.lang === 'en-US' && t.body_en !== null
    const lang: Lang = english ? 'en-US' : 'zh-CN'
    const subject = english ? t.subject_en : t.subject_zh
    const body = english ? t.body_en! : t.body_zh
    const parsed = parseTemplate(body, 'body')
    const used = 'variables' in parsed ? parsed.variables : []
    const params = Object.fromEntries(used.map((v) => [v, values[v] ?? '']))
    const filled = fill(body, values)
    let text = filled
    if (t.channel === 'sms') text = smsText(filled, (await readSettings()).smsSignature, t.purpose, lang)
    else if (t.channel === 'email' && t.purpose === 'marketing' && options.unsubscribeUrl) text = filled + EMAIL_FOOTER[lang].replace('{unsubscribe}', options.unsubscribeUrl)
    return { subject: subject === null ? null : fill(subject, values), body: text, templateCode: t.provider_template_code, params: used.length ? params : null }
  }

  return { list, get, create, update, settings, saveSettings, preview, render }
}

export type TemplatesService = ReturnType<typeof createTemplatesService>
