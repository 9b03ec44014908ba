import type { TFunction } from 'i18next'
import { formatCount } from '../../format.js'
import { yuanText } from '../../shared/money.js'
import { RULE_KINDS, type EarningRule, type ProductMatch, type RuleDefinition } from './types.js'

// Rules in words, for the rules table: "2 倍积分；适用：部门 饮料；每周二、周四".

type T = TFunction<'loyalty'>

const MATCH_KEYS = ['departments', 'categories', 'subcategories', 'brands', 'skus'] as const

const listText = (t: T, items: readonly string[]) => items.join(t('summary.listSeparator'))

/** A factor as people write it: 2, 1.5, 1.25. */
export const factorText = (factor: number): string => String(Number(factor.toFixed(2)))

/** The products a match names, or null when it names none (all products). */
export const matchText = (match: ProductMatch | undefined, t: T): string | null => {
  if (!match) return null
  const parts = MATCH_KEYS.filter((k) => (match[k]?.length ?? 0) > 0).map((k) => t(`summary.match.${k}`, { names: listText(t, match[k]!) }))
  return parts.length ? parts.join(t('summary.separator')) : null
}

export const weekdaysText = (weekdays: readonly number[], t: T): string =>
  listText(t, [...weekdays].sort().map((d) => t(`weekdays.w${d as 1 | 2 | 3 | 4 | 5 | 6 | 7}`)))

/** What a rule does, in one line. */
export const summarizeRule = (d: RuleDefinition, t: T): string => {
  const parts: string[] = []
  switch (d.kind) {
    case 'base': {
      parts.push(t('summary.base', { price: yuanText(d.fenPerPoint), rounding: t(`rounding.${d.rounding}`) }))
      if (d.excludeTenders.length) parts.push(t('summary.excludeTenders', { tenders: listText(t, d.excludeTenders.map((k) => t(`tenders.${k}`))) }))
      const excluded = matchText(d.exclude, t)
      if (excluded) parts.push(t('summary.excludeProducts', { match: excluded }))
      break
    }
    case 'multiplier': {
      parts.push(t('summary.multiplier', { factor: factorText(d.factor) }))
      const matched = matchText(d.match, t)
      parts.push(matched ? t('summary.onProducts', { match: matched }) : t('summary.allProducts'))
      if (d.weekdays?.length) parts.push(t('summary.weekdays', { days: weekdaysText(d.weekdays, t) }))
      break
    }
    case 'birthday':
      parts.push(t('summary.birthday', { factor: factorText(d.factor) }))
      break
    case 'cap':
      if (d.perReceipt !== undefined) parts.push(t('summary.capReceipt', { points: formatCount(d.perReceipt) }))
      if (d.perDay !== undefined) parts.push(t('summary.capDay', { points: formatCount(d.perDay) }))
      break
  }
  return parts.join(t('summary.separator'))
}

/** Where a rule applies: the whole chain, or the regions and stores it names. */
export const scopeText = (
  rule: Pick<EarningRule, 'storeIds' | 'regionIds'>,
  names: { store: (id: string) => string; region: (id: string) => string },
  t: T,
): string => {
  const parts: string[] = []
  if (rule.regionIds?.length) parts.push(t('scope.regions', { names: listText(t, rule.regionIds.map(names.region)) }))
  if (rule.storeIds?.length) parts.push(t('scope.stores', { names: listText(t, rule.storeIds.map(names.store)) }))
  return parts.length ? parts.join(t('summary.separator')) : t('scope.chain')
}

export type RuleState = 'active' | 'scheduled' | 'ended' | 'disabled'

/** Whether a rule version is in force at `now`, starts later, has ended, or was called off before it started. */
export const ruleState = (rule: Pick<EarningRule, 'status' | 'validFrom' | 'validTo'>, now: Date): RuleState => {
  if (rule.status === 'disabled') return 'disabled'
  const at = now.getTime()
  if (rule.validTo && Date.parse(rule.validTo) <= at) return 'ended'
  if (Date.parse(rule.validFrom) > at) return 'scheduled'
  return 'active'
}

/** Base rules first, then multipliers, birthday and caps; within a kind the earliest start first, a rule's versions newest first. */
export const sortRules = (rules: readonly EarningRule[]): EarningRule[] => {
  const firstStart = new Map<string, string>()
  for (const r of rules) {
    const seen = firstStart.get(r.ruleKey)
    if (!seen || r.validFrom < seen) firstStart.set(r.ruleKey, r.validFrom)
  }
  const kindOrder = (r: EarningRule) => RULE_KINDS.indexOf(r.definition.kind)
  return [...rules].sort((a, b) =>
    kindOrder(a) - kindOrder(b)
    || firstStart.get(a.ruleKey)!.localeCompare(firstStart.get(b.ruleKey)!)
    || a.ruleKey.localeCompare(b.ruleKey)
    || b.version - a.version)
}
