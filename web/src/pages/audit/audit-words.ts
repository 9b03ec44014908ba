import dayjs from 'dayjs'
import { formatMoney } from '../../format.js'
import { goodsText } from '../coupons/template-summary.js'
import { summarizeRule } from '../loyalty/rule-summary.js'
import { consentSource } from '../../shared/consent-source.js'

/** What an audit entry holds that the words need (the audit list's and a member's trail's entries). */
export interface AuditEntryLike {
  action: string
  entityType?: string | null
  entityId: string | null
  changes: Record<string, unknown> | null
}

/** An audit entry in words: the action, the thing it was done to (by name), and the details. */
export interface AuditWords {
  action: string
  entity: string | null
  lines: string[]
}

/** A translator with keys built at run time (checked by the tests in both languages instead). */
export type Translate = (key: string, options?: Record<string, unknown>) => string
/** The translators of the namespaces the words borrow from (their pages name the same values). */
export type Translators = (ns: 'audit' | 'members' | 'rewards' | 'loyalty' | 'org' | 'products' | 'common') => Translate

const REDACTED = '[redacted]'
const ID = /^[a-z]{3}_[0-9a-z]{10,40}$/
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d/

/** Fields that are bookkeeping, not a change anyone reads: never shown. */
const HIDDEN = new Set(['id', 'createdAt', 'updatedAt', 'createdBy', 'entryId', 'runId', 'issueKey', 'ruleKey', 'version', 'seq', 'chancePct', 'won',
  'noPrizePct', 'issuedCount', 'redeemedValue', 'hasPicture', 'pictureType', 'available', 'processedBytes'])
/** Amounts in fen, shown as money. */
const MONEY = new Set(['maxDiscount', 'minSpend', 'maxRedeemedValue', 'cashPrice', 'listPrice', 'memberPrice', 'cash', 'totalRebate', 'minRebate', 'freeMinSpend', 'total', 'returnApprovalAbove', 'spendThreshold', 'amountMid', 'amountHigh', 'rfmMonetaryCuts', 'faceValue'])

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
const isFromTo = (v: unknown): v is { from: unknown; to: unknown } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 2 && 'from' in v && 'to' in v
const isBeforeAfter = (v: unknown): v is { before: unknown; after: unknown } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 2 && 'before' in v && 'after' in v
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Where an enumeration's value is translated: the namespace and prefix, by field (and the entry's kind of record). */
const enumPrefix = (key: string, entityType: string, action: string): string | null => {
  switch (key) {
    case 'gender': return 'members:genders'
    case 'occupation': return 'members:occupations'
    case 'education': return 'members:educations'
    case 'incomeBand': return 'members:incomeBands'
    case 'role': return 'common:roles'
    case 'stacking': return 'rewards:coupons.stackings'
    case 'basis': return 'rewards:rebates.basis'
    case 'reward': return 'rewards:rebates.reward'
    case 'freeReason': return 'rewards:draws.freeReason'
    case 'outcome': return 'rewards:draws.outcome'
    case 'stockMode': return 'rewards:gifts.form.stockModes'
    case 'tierBasis': return 'audit:values.tierBasis'
    case 'autoIssue': return 'audit:values.autoIssue'
    case 'rfmMethod': case 'frequencyMethod': case 'amountMethod': return 'audit:values.insightMethod'
    case 'incomeThreshold': return 'members:incomeBands'
    case 'mode': return 'loyalty:policy.expiryModes'
    case 'job': return 'jobs:names'
    case 'category': return entityType === 'suggestion' ? 'audit:values.suggestionCategory' : null
    case 'triggers': return 'audit:values.surveyTrigger'
    case 'ticketKind': return 'audit:values.ticketKind'
    case 'severity': return 'audit:values.ticketSeverity'
    case 'ticketChannel': return 'audit:values.ticketChannel'
    case 'replyChannel': return 'audit:values.replyChannel'
    case 'deadline': return 'audit:values.ticketDeadline'
    case 'escalatedTo': return 'audit:values.escalationStep'
    case 'teamKind': return 'audit:values.teamKind'
    case 'messageChannel': return 'audit:values.messageChannel'
    case 'channels': return entityType === 'campaign' ? 'audit:values.messageChannel' : null
    case 'providerKind': return 'audit:values.providerKind'
    case 'messageStatus': return 'audit:values.messageStatus'
    case 'registrationChannel': return 'audit:values.registrationChannel'
    case 'trigger': return entityType === 'journey' ? 'audit:values.journeyTrigger' : null
    case 'purpose': return entityType === 'message_template' ? 'audit:values.messagePurpose' : null
    case 'before': return action === 'coupon.void' ? 'rewards:coupons.couponStatus' : null
    case 'reason': return action === 'auth.login_failed' ? 'audit:values.loginFailure' : action.startsWith('member.lookup') ? 'audit:values.lookupReason' : null
    case 'kind': return { coupon_template: 'rewards:coupons.kinds', loyalty_rule: 'loyalty:kinds', draw: 'rewards:draws.kinds', member_event: 'audit:values.eventKind' }[entityType] ?? null
    case 'status': return {
      member: 'members:statuses', coupon_template: 'rewards:coupons.templateStatus', gift: 'rewards:gifts.giftStatus', rebate_programme: 'rewards:rebates.status', draw: 'rewards:draws.status',
      store: 'org:stores.status', staff_user: 'org:staff.status', product: 'products:status', loyalty_rule: 'audit:values.ruleStatus', gift_order: 'rewards:gifts.orderStatus',
      suggestion: 'audit:values.suggestionStatus', survey: 'audit:values.surveyStatus', message_template: 'audit:values.templateStatus',
      campaign: 'audit:values.campaignStatus',
      member_event: 'audit:values.eventStatus', journey: 'audit:values.journeyStatus',
    }[entityType] ?? null
    default: return null
  }
}

/**
 * An audit entry in words, in the translators' language: the action, the record it names (by
 * name, from `labels`, never an id), and each recorded detail as "label: value" or
 * "label: before → after". Pure, so every action can be tested in both languages.
 */
export const describeAudit = (tr: Translators, entry: AuditEntryLike, labels: Record<string, string>, tz: string): AuditWords => {
  const t = tr('audit')
  const text = (key: string, fallback = ''): string => {
    const [ns, path] = key.split(':') as [Parameters<Translators>[0], string]
    return tr(ns)(path, { defaultValue: '' }) || fallback
  }
  const entityType = entry.entityType ?? 'member'
  const action = entry.action
  const isConsent = action.startsWith('member.consent')
  // A coupon's value is money for threshold and amount coupons (a percentage or factor otherwise).
  const after = isObject(entry.changes?.after) ? entry.changes.after : null
  const couponValueIsMoney = entityType === 'coupon_template' && ['threshold', 'amount'].includes(String(after?.kind ?? 'amount'))
  const named = (id: string) => labels[id] ?? t('values.unknownRef')

  const label = (key: string, parent?: string): string => {
    if (parent === 'consents') return text(`members:consentChannels.${key}`, key)
    if (parent === 'moves') return text(`audit:moveKinds.${key}`, key)
    if (parent === 'filter' && key === 'storeId') return text('audit:keys.storeId', key)
    if (parent === 'costs') return text(`audit:values.messageChannel.${key}`, key)
    const k = camel(key)
    if (action === 'coupon.void' && k === 'before') return text('audit:keys.statusBefore')
    // A campaign's or a journey's change names the fields changed, not fields looked at.
    if ((action === 'campaign.update' || action === 'journey.update') && k === 'fields') return text('audit:keys.changedFields')
    return text(`audit:keys.${k}`) || text(`members:fields.${k}`) || key
  }

  const value = (key: string, v: unknown, parent?: string): string => {
    const k = camel(key)
    if (v === null || v === undefined || v === '') return t('values.none')
    if (v === REDACTED) return t('values.redacted')
    if (typeof v === 'boolean') return v ? t('values.yes') : t('values.no')
    if (typeof v === 'number') return MONEY.has(k) || parent === 'costs' || (k === 'value' && couponValueIsMoney) ? formatMoney(v) : v.toLocaleString('en-US')
    if (Array.isArray(v)) {
      if (v.length === 0) return t('values.none')
      if (k === 'fields' || k === 'fieldsFilled' || k === 'storeOverridable') return v.map((x) => label(String(x))).join(t('values.listSeparator'))
      return v.map((x) => (isObject(x) ? objectText(x, k) : value(k, x))).join(t('values.listSeparator'))
    }
    if (isObject(v)) {
      if (isFromTo(v)) return `${value(k, v.from)} → ${value(k, v.to)}`
      if (k === 'definition' && typeof v.kind === 'string') return summarizeRule(v as never, tr('loyalty') as never)
      if (k === 'scope' && ['departments', 'categories', 'subcategories', 'skus', 'brands'].some((f) => f in v)) return goodsText(v as never, ((key: string, o?: Record<string, unknown>) => tr('rewards')(`coupons.${key}`, o)) as never)
      if (k === 'to' && 'bytes' in v) return `${String(v.type ?? '').replace('image/', '').toUpperCase()} ${Math.ceil(Number(v.bytes) / 1024)} KB`
      return objectText(v, k)
    }
    const s = String(v)
    if (ID.test(s)) return named(s)
    // A store's till setting going back to (or coming from) HQ's value.
    if (s === 'hq' && action === 'store_till_settings.update') return t('values.inheritedFromHq')
    if (s === 'central' && (k === 'location' || parent === 'initialStock')) return t('values.central')
    if (k === 'from' && action.startsWith('gift.picture')) return s.replace('image/', '').toUpperCase()
    if (k === 'channel') {
      if (isConsent) return text(`members:consentChannels.${s}`, s)
      return text(`members:channels.${s}`, s)
    }
    if (k === 'source' && isConsent) return consentSource(tr('members') as never, tr('common') as never, s)
    // Tiers are named by their code; the server sends their names as `tier:<code>`.
    if (k === 'freeTiers' || k === 'minTier' || (parent === 'tiers' && k === 'code')) return labels[`tier:${s}`] ?? s
    if (INSTANT.test(s)) return dayjs(s).tz(tz).format('YYYY-MM-DD HH:mm')
    const prefix = enumPrefix(k, entityType, action)
    if (prefix) return text(`${prefix}.${s}`, s)
    return s
  }

  /** A nested record: by its name when it has one (a prize, a tier), else its fields in words. */
  const objectText = (o: Record<string, unknown>, parent: string): string => {
    if (typeof o.name === 'string' && parent !== 'after' && parent !== 'filter') return o.name
    const parts = Object.entries(o).filter(([k, v]) => !HIDDEN.has(camel(k)) && v !== null && v !== undefined)
    if (parts.length === 0) return t('values.none')
    return parts.map(([k, v]) => `${label(k, parent)} ${value(k, v, parent)}`).join(t('values.pairSeparator'))
  }

  const lineOf = (key: string, v: unknown): string => {
    if (isFromTo(v) || isBeforeAfter(v)) {
      const [from, to] = isFromTo(v) ? [v.from, v.to] : [v.before, v.after]
      return `${label(key)}: ${value(key, from)} → ${value(key, to)}`
    }
    if (camel(key) === 'fellBack') return v ? label(key) : ''
    return `${label(key)}: ${value(key, v)}`
  }

  const changes = entry.changes ?? {}
  const lines: string[] = []
  if (action.startsWith('gift.picture')) {
    lines.push(`${label('picture')}: ${value('from', changes.from)} → ${value('to', changes.to)}`)
  } else if (isBeforeAfter(changes)) {
    // A whole set replaced (the tiers): what it was and what it is.
    lines.push(`${text(`audit:entityTypes.${entityType}`, entityType)}: ${value('tiers', changes.before)} → ${value('tiers', changes.after)}`)
  } else {
    for (const [key, v] of Object.entries(changes)) {
      if (HIDDEN.has(camel(key))) continue
      if (key === 'template' && 'templateId' in changes) continue
      // A gift order is named by its number already.
      if (key === 'orderNo' && entityType === 'gift_order' && entry.entityId && labels[entry.entityId]) continue
      // A detail that was not given (no reason, no note) says nothing.
      if (v === null || v === undefined || v === '') continue
      // A record created: its settings, one line each (empty ones left out).
      if (key === 'after' && isObject(v) && !('before' in changes)) {
        for (const [k2, v2] of Object.entries(v)) {
          if (HIDDEN.has(camel(k2)) || v2 === null || v2 === undefined || v2 === '' || (Array.isArray(v2) && v2.length === 0)) continue
          lines.push(lineOf(k2, v2))
        }
        continue
      }
      const line = lineOf(key, v)
      if (line) lines.push(line)
    }
  }

  const typeName = text(`audit:entityTypes.${entityType}`, entityType)
  const name = entry.entityId ? named(entry.entityId) : null
  return {
    action: text(`audit:actions.${action.replace(/\./g, '_')}`, action),
    entity: name ? t('entityCount', { type: typeName, name }) : typeName,
    lines,
  }
}
