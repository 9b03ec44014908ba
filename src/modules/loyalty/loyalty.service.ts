import type { Db, Engine, Trx } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import { actorId, actorName, assertCan } from '../../shared/actor.js'
import { assertInScope, homeStoreId, scopeWithFilter } from '../../shared/scope.js'
import type { Clock } from '../../shared/clock.js'
import { conflict, notFound, unprocessable, type ErrorDetail } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { dateIn } from '../../shared/time.js'
import type { AuditService } from '../audit/index.js'
import { diffFields } from '../audit/index.js'
import { pointsLiability, receiptNumbers, type MemberFactsWriter } from '../analytics/index.js'
import { assertLive } from '../members/index.js'
import { regionsByIds, storeById, storesByIds } from '../org/index.js'
import type { Publisher } from '../outbox/index.js'
import { computeEarn, expiresOnFor, isoWeekday, type EarnLine, type EarnResult } from './earn-rules.js'
import type { TenderKind } from '../../shared/tenders.js'
import * as ledger from './ledger.js'
import * as repo from './loyalty.repository.js'
import type { PointsAccountsTable, RuleKind } from './loyalty.table.js'
import {
  DEFAULT_POLICY, toEarningRule, toLedgerEntry, toLot, toTier, toTierChange,
  type EarningRule, type LedgerEntry, type LoyaltyPolicy, type PointsLot, type RuleDefinition, type Tier, type TierChange,
} from './loyalty.types.js'
import { createLoyaltyMemberData } from './loyalty.member-data.js'
import { validatePolicy, validateRuleDefinition, validateTiers } from './loyalty-validation.js'

export interface LoyaltyConfig {
  rules: EarningRule[]
  tiers: Tier[]
  policy: LoyaltyPolicy
}

export interface MemberPoints {
  memberId: string
  balance: number
  spendable: number
  /** a negative balance blocks spending until repaid */
  negative: boolean
  tier: Tier | null
  tierSince: string | null
  /** the next lots to expire */
  expiring: Array<{ expiresOn: string; points: number }>
  spend12m: number
  pointsEarned12m: number
  receiptCount: number
  lastPurchaseAt: string | null
}

export interface RuleInput {
  name: string
  definition: RuleDefinition
  storeIds?: string[] | null
  regionIds?: string[] | null
  validFrom: string
  validTo?: string | null
}

export interface LiabilityReport {
  points: number
  valueFen: number
  negative: { members: number; points: number }
  byExpiryMonth: Array<{ month: string; points: number; valueFen: number }>
  byStore: Array<{ storeId: string | null; storeCode: string | null; storeName: string | null; points: number; valueFen: number }>
  /** points forfeited when people were erased (their holders' lots expired with the reason erasure); null for a store */
  forfeitedByErasure: { members: number; points: number; valueFen: number } | null
}

const CONFIG_TTL_MS = 5_000

export interface LoyaltyDeps {
  db: Db
  engine: Engine
  audit: AuditService
  clock: Clock
  timezone: string
  /** the members' purchase facts (analytics): the tier window reads them */
  facts: MemberFactsWriter
  /** durable events (tier.changed, points.expiring), published in the transaction that records them */
  outbox?: Publisher
}

export const createLoyaltyService = ({ db, engine, audit, clock, timezone, facts, outbox }: LoyaltyDeps) => {
  const now = () => clock.now().toISOString()
  const today = () => dateIn(clock.now(), timezone)
  const currentMonth = () => today().slice(0, 7)

  // Rules, tiers and policy change rarely and are read by every receipt: cache them briefly.
  // This process drops its copy on every change; other processes see it within the TTL.
  let cached: { at: number; config: Promise<LoyaltyConfig> } | null = null
  const loadConfig = async (): Promise<LoyaltyConfig> => {
    const [rules, tiers, policyRow] = await Promise.all([
      repo.activeRules(db),
      repo.allTiers(db),
      repo.findSetting(db, 'policy'),
    ])
    const policy = policyRow !== undefined ? { ...DEFAULT_POLICY, ...(JSON.parse(policyRow) as Partial<LoyaltyPolicy>) } : DEFAULT_POLICY
    return { rules: rules.map(toEarningRule), tiers: tiers.map(toTier), policy }
  }
  const config = (): Promise<LoyaltyConfig> => {
    const t = Date.now()
    if (!cached || t - cached.at > CONFIG_TTL_MS) {
      const config = loadConfig()
      cached = { at: t, config }
      config.catch(() => { cached = null })
    }
    return cached.config
  }
  const invalidate = () => { cached = null }

  /** The rules in force at an instant (a receipt earns by its business time, not its arrival). */
  const rulesAt = (cfg: LoyaltyConfig, at: string): EarningRule[] =>
    cfg.rules.filter((r) => r.validFrom <= at && (r.validTo === null || at < r.validTo))

  const tierByCode = (cfg: LoyaltyConfig, code: string | null): Tier | null =>
    (code === null ? null : cfg.tiers.find((t) => t.code === code)) ?? null
  /** The highest tier whose threshold the value reaches. */
  const qualifyingTier = (cfg: LoyaltyConfig, value: number): Tier | null => {
    let best: Tier | null = null
    for (const t of cfg.tiers) if (value >= t.threshold && (!best || t.rank > best.rank)) best = t
    return best
  }
  const effectiveTier = (cfg: LoyaltyConfig, account: Pick<PointsAccountsTable, 'tier_code'> | undefined): Tier | null =>
    tierByCode(cfg, account?.tier_code ?? null) ?? cfg.tiers[0] ?? null

  const localParts = (instant: string) => {
    const date = dateIn(new Date(instant), timezone)
    return { date, weekday: isoWeekday(date), month: date.slice(0, 7) }
  }

  /**
   * Upgrades at once when a purchase lifts the member's 12-month value over a higher threshold.
   * Downgrades happen only in `evaluateTiers`. Returns the change to announce after commit.
   */
  const upgradeAfterPurchase = async (trx: Trx, account: PointsAccountsTable, cfg: LoyaltyConfig, qualifying: { spend12m: number; points12m: number }, receiptId: string | null, at: string): Promise<TierChange | null> => {
    const value = cfg.policy.tierBasis === 'spend' ? qualifying.spend12m : qualifying.points12m
    const target = qualifyingTier(cfg, value)
    const current = tierByCode(cfg, account.tier_code)
    if (!target) return null
    if (current && target.rank <= current.rank) {
      if (account.tier_below_since !== null && value >= current.threshold) {
        await repo.setTier(trx, account.member_id, { tier_below_since: null })
        account.tier_below_since = null
      }
      return null
    }
    const reason = current === null && target.rank === (cfg.tiers[0]?.rank ?? 0) ? 'initial' : 'upgrade'
    return changeTier(trx, account, target.code, reason, value, receiptId, null, at)
  }

  const changeTier = async (trx: Trx | Db, account: Pick<PointsAccountsTable, 'member_id' | 'tier_code'>, to: string, reason: TierChange['reason'], value: number, receiptId: string | null, actor: string | null, at: string): Promise<TierChange> => {
    await repo.setTier(trx, account.member_id, { tier_code: to, tier_since: at, tier_below_since: null })
    const row = { id: newId('tch'), member_id: account.member_id, from_tier: account.tier_code, to_tier: to, reason, qualifying_value: value, receipt_id: receiptId, actor_id: actor, at }
    await repo.insertTierChange(trx, row)
    await outbox?.publish(trx, 'tier.changed', { memberId: account.member_id, from: row.from_tier, to, reason, at })
    account.tier_code = to
    return toTierChange(row)
  }

  const assertMember = (memberId: string) => assertLive(db, memberId)

  const points = async (actor: Actor, memberId: string): Promise<MemberPoints> => {
    assertCan(actor, 'loyalty.read')
    await assertMember(memberId)
    const cfg = await config()
    const [account, stats, lots] = await Promise.all([
      repo.findAccount(db, memberId),
      facts.get(db, memberId),
      repo.nextExpiring(db, memberId, today(), 3),
    ])
    const balance = account?.balance ?? 0
    return {
      memberId,
      balance,
      spendable: await ledger.spendable(db, memberId, balance, today()),
      negative: balance < 0,
      tier: effectiveTier(cfg, account),
      tierSince: account?.tier_since ?? null,
      expiring: lots.map((l) => ({ expiresOn: l.expires_on, points: l.remaining })),
      ...(await (async () => {
        if (!stats) return { spend12m: 0, pointsEarned12m: 0 }
        // The stored window is of the month of the last purchase; after a month turns, sum again.
        if (stats.windowMonth === currentMonth()) return { spend12m: stats.spend12m, pointsEarned12m: stats.pointsEarned12m }
        const sums = await facts.windowFor(db, memberId, currentMonth())
        return { spend12m: sums.spend, pointsEarned12m: sums.points }
      })()),
      receiptCount: stats?.receiptCount ?? 0,
      lastPurchaseAt: stats?.lastPurchaseAt ?? null,
    }
  }

  const entries = async (actor: Actor, memberId: string, page: { cursor?: string; limit?: number } = {}): Promise<{ items: LedgerEntry[]; nextCursor: string | null }> => {
    assertCan(actor, 'loyalty.read')
    await assertMember(memberId)
    const limit = Math.min(Math.max(page.limit ?? 50, 1), 200)
    const rows = await repo.entriesOf(db, memberId, { cursor: page.cursor, limit: limit + 1 })
    const numbers = await receiptNumbers(db, rows.slice(0, limit).flatMap((r) => (r.receipt_id ? [r.receipt_id] : [])))
    const items = rows.slice(0, limit).map((r) => toLedgerEntry({ ...r, receipt_no: r.receipt_id ? numbers.get(r.receipt_id) ?? null : null }))
    return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
  }

  const lots = async (actor: Actor, memberId: string): Promise<PointsLot[]> => {
    assertCan(actor, 'loyalty.read')
    await assertMember(memberId)
    return (await repo.lotsOf(db, memberId)).map(toLot)
  }

  const tierHistory = async (actor: Actor, memberId: string): Promise<TierChange[]> => {
    assertCan(actor, 'loyalty.read')
    await assertMember(memberId)
    return (await repo.tierHistoryOf(db, memberId)).map(toTierChange)
  }

  /** Goodwill or correction by a permitted role, with its reason, audited. */
  const adjust = async (actor: Actor, input: { memberId: string; points: number; reason: string }): Promise<LedgerEntry> => {
    assertCan(actor, 'loyalty.adjust')
    const details: ErrorDetail[] = []
    if (!Number.isInteger(input.points) || input.points === 0 || Math.abs(input.points) > 10_000_000) details.push({ field: 'points', reason: 'a non-zero whole number of at most 10,000,000' })
    const reason = input.reason?.trim() ?? ''
    if (reason.length < 2 || reason.length > 200) details.push({ field: 'reason', reason: 'say why, in 2 to 200 characters' })
    if (details.length) throw unprocessable('VALIDATION', details)
    const member = await assertMember(input.memberId)
    // Reading points is for every till (members shop everywhere); changing them is for the member's own store.
    assertInScope(actor, member.registrationStoreId)
    if (member.status === 'merged') throw conflict('MEMBER_MERGED', [{ field: 'memberId', reason: 'this member was merged into another; adjust the survivor' }])
    const cfg = await config()
    const at = now()
    const cause = { reason, actorId: actorId(actor), actorName: actorName(actor), storeId: homeStoreId(actor) }
    return db.transaction().execute(async (trx) => {
      const account = await ledger.lockAccount(trx, input.memberId, at)
      const posted = input.points > 0
        ? await ledger.credit(trx, account, 'adjust', input.points, expiresOnFor(cfg.policy.expiry, today()), cause, at)
        : await ledger.spend(trx, account, 'adjust', -input.points, today(), cause, at)
      await audit.record(trx, actor, {
        action: 'loyalty.adjust', entityType: 'member', entityId: input.memberId, storeId: member.registrationStoreId,
        changes: { points: input.points, reason, balanceAfter: posted.balance },
      })
      return toLedgerEntry(posted.entry)
    })
  }

  const verify = () => ledger.verifyLedger(db, engine)
  /** How many points accounts there are (what `patron verify` checked). */
  const countAccounts = () => repo.countAccounts(db)

  const liability = async (actor: Actor, filter: { storeId?: string } = {}): Promise<LiabilityReport> => {
    assertCan(actor, 'loyalty.reports')
    const scope = scopeWithFilter(actor, filter.storeId || undefined)
    const cfg = await config()
    const value = (p: number) => p * cfg.policy.pointValueFen
    const { byMonth, byStore, negative: neg, forfeited } = await pointsLiability(db, scope)
    const total = byMonth.reduce((a, r) => a + Number(r.points), 0)
    return {
      points: total,
      valueFen: value(total),
      negative: { members: Number(neg.members), points: Number(neg.points) },
      byExpiryMonth: byMonth.map((r) => ({ month: r.month, points: Number(r.points), valueFen: value(Number(r.points)) })),
      byStore: byStore.map((r) => ({ storeId: r.storeId, storeCode: r.code, storeName: r.name, points: Number(r.points), valueFen: value(Number(r.points)) })),
      forfeitedByErasure: forfeited ? { members: Number(forfeited.members), points: Number(forfeited.points), valueFen: value(Number(forfeited.points)) } : null,
    }
  }

  /** Expires every lot whose last day has passed. Running it twice changes nothing. */
  const expireDue = async (options: { batch?: number } = {}): Promise<{ lots: number; points: number }> => {
    const batch = options.batch ?? 500
    const day = today()
    let lotsDone = 0
    let pointsDone = 0
    for (;;) {
      const due = await repo.lotsExpiredBefore(db, day, batch)
      if (due.length === 0) break
      for (const lot of due) {
        const posted = await db.transaction().execute(async (trx) => {
          const at = now()
          const account = await ledger.lockAccount(trx, lot.member_id, at)
          return ledger.expireLot(trx, account, lot.id, { actorName: 'system' }, at)
        })
        if (posted) {
          lotsDone++
          pointsDone += -posted.entry.points
        }
      }
      if (due.length < batch) break
    }
    return { lots: lotsDone, points: pointsDone }
  }

  /** Announces, once per lot, points that will expire within the notice period. */
  const notifyExpiring = async (): Promise<{ notices: number }> => {
    const cfg = await config()
    const day = today()
    const until = dateIn(new Date(clock.now().getTime() + cfg.policy.expiringNoticeDays * 86_400_000), timezone)
    let notices = 0
    for (;;) {
      const due = await repo.lotsToAnnounce(db, day, until, 500)
      if (due.length === 0) break
      const at = now()
      // The notice and its event commit together: a lot is announced once, never lost.
      const inserted = await db.transaction().execute(async (trx) => {
        const rows = await repo.insertExpiryNotices(trx, due.map((l) => ({ lot_id: l.id, member_id: l.member_id, points: l.remaining, expires_on: l.expires_on, notified_at: at })))
        await outbox?.publishMany(trx, 'points.expiring', rows.map((n) => ({ memberId: n.member_id, lotId: n.lot_id, points: n.points, expiresOn: n.expires_on, at })))
        return rows
      })
      notices += inserted.length
      if (due.length < 500) break
    }
    return { notices }
  }

  /**
   * The periodic tier evaluation: refreshes each member's 12-month window, upgrades whoever
   * qualifies higher, and downgrades whoever has stayed below their tier for the grace period.
   */
  const evaluateTiers = async (): Promise<{ evaluated: number; upgraded: number; downgraded: number; belowThreshold: number }> => {
    const cfg = await config()
    const month = currentMonth()
    const result = { evaluated: 0, upgraded: 0, downgraded: 0, belowThreshold: 0 }
    let after = ''
    for (;;) {
      const page = await repo.accountMembersAfter(db, after, 500)
      if (page.length === 0) break
      after = page[page.length - 1]!
      for (const member_id of page) {
        await db.transaction().execute(async (trx) => {
          const at = now()
          const account = await ledger.lockAccount(trx, member_id, at)
          const stats = await facts.refresh(trx, member_id, month)
          const value = !stats ? 0 : cfg.policy.tierBasis === 'spend' ? stats.spend12m : stats.pointsEarned12m
          const target = qualifyingTier(cfg, value)
          const current = tierByCode(cfg, account.tier_code)
          if (!target) return null
          if (!current || target.rank > current.rank) {
            result.upgraded++
            return changeTier(trx, account, target.code, current ? 'upgrade' : 'initial', value, null, null, at)
          }
          if (target.rank === current.rank) {
            if (account.tier_below_since) await repo.setTier(trx, member_id, { tier_below_since: null })
            return null
          }
          if (!account.tier_below_since) {
            result.belowThreshold++
            await repo.setTier(trx, member_id, { tier_below_since: at })
            return null
          }
          const graceEnds = new Date(new Date(account.tier_below_since).getTime() + cfg.policy.tierGraceDays * 86_400_000).toISOString()
          if (at < graceEnds) {
            result.belowThreshold++
            return null
          }
          result.downgraded++
          return changeTier(trx, account, target.code, 'downgrade', value, null, null, at)
        })
        result.evaluated++
      }
    }
    return result
  }

  /**
   * The console's "what would this basket earn": the engine on a made-up basket, for a store, an
   * instant, a tier and a birthday, with the rules in force then.
   */
  const testEarn = async (actor: Actor, input: {
    storeId: string; businessAt?: string; tierCode?: string | null; birthday?: string | null; earnedToday?: number
    lines: EarnLine[]; tenders?: Array<{ kind: TenderKind; amount: number }>
  }): Promise<EarnResult> => {
    assertCan(actor, 'loyalty.read')
    const store = await storeById(db, input.storeId)
    if (!store) throw unprocessable('STORE_NOT_FOUND', [{ field: 'storeId', reason: 'no such store' }])
    const cfg = await config()
    const tier = input.tierCode ? tierByCode(cfg, input.tierCode) : cfg.tiers[0] ?? null
    if (input.tierCode && !tier) throw unprocessable('VALIDATION', [{ field: 'tierCode', reason: 'no such tier' }])
    const at = input.businessAt ?? now()
    const local = localParts(at)
    return computeEarn({
      lines: input.lines, tenders: input.tenders ?? [], local, store: { id: store.id, regionId: store.regionId },
      member: { birthday: input.birthday ?? null, tier }, rules: rulesAt(cfg, at), earnedToday: input.earnedToday ?? 0,
    })
  }

  // ---- configuration: rules, tiers, policy ----

  const listRules = async (actor: Actor, filter: { includeHistory?: boolean } = {}): Promise<EarningRule[]> => {
    assertCan(actor, 'loyalty.read')
    return (await repo.listRules(db, { includeHistory: filter.includeHistory, now: now() })).map(toEarningRule)
  }

  const ruleRow = (input: RuleInput, key: string, version: number, actor: Actor, at: string) => ({
    id: newId('rul'), rule_key: key, version, name: input.name.trim(), kind: input.definition.kind as RuleKind,
    definition: JSON.stringify(input.definition),
    store_ids: input.storeIds && input.storeIds.length ? JSON.stringify(input.storeIds) : null,
    region_ids: input.regionIds && input.regionIds.length ? JSON.stringify(input.regionIds) : null,
    valid_from: input.validFrom, valid_to: input.validTo ?? null, status: 'active' as const, created_by: actorId(actor), created_at: at,
  })

  const checkRule = async (input: RuleInput) => {
    const details = validateRuleDefinition(input)
    const stores = input.storeIds ?? []
    if (stores.length) {
      const found = await storesByIds(db, stores)
      if (found.length !== new Set(stores).size) details.push({ field: 'storeIds', reason: 'names a store that does not exist' })
    }
    const regions = input.regionIds ?? []
    if (regions.length) {
      const found = await regionsByIds(db, regions)
      if (found.length !== new Set(regions).size) details.push({ field: 'regionIds', reason: 'names a region that does not exist' })
    }
    if (details.length) throw unprocessable('VALIDATION', details)
  }

  const createRule = async (actor: Actor, input: RuleInput): Promise<EarningRule> => {
    assertCan(actor, 'loyalty.manage')
    await checkRule(input)
    const at = now()
    const row = ruleRow(input, newId('rul').slice(4), 1, actor, at)
    await db.transaction().execute(async (trx) => {
      await repo.insertRule(trx, row)
      await audit.record(trx, actor, { action: 'loyalty.rule.create', entityType: 'loyalty_rule', entityId: row.rule_key, changes: { after: input } })
    })
    invalidate()
    return toEarningRule(row)
  }

  /**
   * A change is a new version from `validFrom` on: the version in force until then ends there, so
   * receipts of earlier business times still earn by the rule they were sold under.
   */
  const reviseRule = async (actor: Actor, ruleKey: string, input: RuleInput): Promise<EarningRule> => {
    assertCan(actor, 'loyalty.manage')
    await checkRule(input)
    const at = now()
    const result = await db.transaction().execute(async (trx) => {
      const versions = await repo.ruleVersions(trx, ruleKey)
      if (versions.length === 0) throw notFound('RULE_NOT_FOUND', [{ field: 'ruleKey', reason: 'no such rule' }])
      const latest = versions[0]!
      if (latest.kind !== input.definition.kind) throw unprocessable('VALIDATION', [{ field: 'definition.kind', reason: `a ${latest.kind} rule stays a ${latest.kind} rule; create a new rule instead` }])
      if (input.validFrom <= latest.valid_from) {
        throw unprocessable('VALIDATION', [{ field: 'validFrom', reason: `a new version must start after the current one (${latest.valid_from})` }])
      }
      if (latest.valid_to === null || latest.valid_to > input.validFrom) {
        await repo.updateRule(trx, latest.id, { valid_to: input.validFrom })
      }
      const row = ruleRow(input, ruleKey, latest.version + 1, actor, at)
      await repo.insertRule(trx, row)
      await audit.record(trx, actor, { action: 'loyalty.rule.revise', entityType: 'loyalty_rule', entityId: ruleKey, changes: diffFields(toEarningRule(latest) as never, toEarningRule(row) as never) })
      return toEarningRule(row)
    })
    invalidate()
    return result
  }

  /** Ends a rule at an instant (now by default); its history stays. */
  const endRule = async (actor: Actor, ruleKey: string, at?: string): Promise<void> => {
    assertCan(actor, 'loyalty.manage')
    const end = at ?? now()
    await db.transaction().execute(async (trx) => {
      const current = await repo.ruleVersionsInForce(trx, ruleKey, end)
      if (current.length === 0) throw notFound('RULE_NOT_FOUND', [{ field: 'ruleKey', reason: 'no rule in force under this key' }])
      for (const r of current) {
        if (r.valid_from >= end) await repo.updateRule(trx, r.id, { status: 'disabled' })
        else await repo.updateRule(trx, r.id, { valid_to: end })
      }
      await audit.record(trx, actor, { action: 'loyalty.rule.end', entityType: 'loyalty_rule', entityId: ruleKey, changes: { endsAt: end } })
    })
    invalidate()
  }

  const listTiers = async (actor: Actor): Promise<Tier[]> => {
    assertCan(actor, 'loyalty.read')
    return (await config()).tiers
  }

  /** Replaces the tier ladder. Members keep their tier code; a removed tier's members are re-evaluated. */
  const saveTiers = async (actor: Actor, tiers: Tier[]): Promise<Tier[]> => {
    assertCan(actor, 'loyalty.manage')
    const details = validateTiers(tiers)
    if (details.length) throw unprocessable('VALIDATION', details)
    const at = now()
    await db.transaction().execute(async (trx) => {
      const before = (await repo.allTiers(trx)).map(toTier)
      const removed = before.filter((b) => !tiers.some((t) => t.code === b.code)).map((t) => t.code)
      if (removed.length) {
        if (await repo.anyAccountHoldsTier(trx, removed)) throw conflict('TIER_IN_USE', [{ field: 'tiers', reason: `members hold tier ${removed.join(', ')}; keep it or move them first` }])
      }
      await repo.replaceTiers(trx, tiers.map((t) => ({
        code: t.code, name: t.name.trim(), rank: t.rank, threshold: t.threshold, earn_factor_pct: t.earnFactorPct, member_prices: t.memberPrices ? 1 : 0, created_at: at, updated_at: at,
      })))
      await audit.record(trx, actor, { action: 'loyalty.tiers.save', entityType: 'tiers', changes: { before, after: tiers } })
    })
    invalidate()
    return (await config()).tiers
  }

  const getPolicy = async (actor: Actor): Promise<LoyaltyPolicy> => {
    assertCan(actor, 'loyalty.read')
    return (await config()).policy
  }

  const updatePolicy = async (actor: Actor, patch: Partial<LoyaltyPolicy>): Promise<LoyaltyPolicy> => {
    assertCan(actor, 'loyalty.manage')
    const before = (await config()).policy
    const next: LoyaltyPolicy = { ...before, ...patch }
    const details = validatePolicy(next)
    if (details.length) throw unprocessable('VALIDATION', details)
    const at = now()
    await db.transaction().execute(async (trx) => {
      await repo.saveSetting(trx, { key: 'policy', value: JSON.stringify(next), updated_by: actorId(actor), updated_at: at })
      await audit.record(trx, actor, { action: 'loyalty.policy.update', entityType: 'loyalty_policy', changes: diffFields(before as never, next as never) })
    })
    invalidate()
    return next
  }

  /** What loyalty holds about a member, for merge, export and erasure. */
  const memberData = createLoyaltyMemberData({ now, today, changeTier })

  // ---- the till: a receipt's points, one account lock per receipt ----------------------------

  /**
   * Locks the member's account for a receipt or a return and pays its points tender, if any. It
   * is the first lock a receipt takes (before coupons), so two receipts of one member queue in
   * one order and never wait on each other's locks on PostgreSQL.
   */
  const openForReceipt = async (trx: Trx, memberId: string, at: string,
    pay?: { points: number; today: string; cause: ledger.EntryCause; field: string }): Promise<PointsAccountsTable> => {
    const account = await ledger.lockAccount(trx, memberId, at)
    if (pay && pay.points > 0) await ledger.spend(trx, account, 'spend', pay.points, pay.today, pay.cause, at, pay.field)
    return account
  }

  /**
   * A sale's points, on the account `openForReceipt` locked: what it earned goes to the lot of its
   * expiry, then the member moves up to the tier its 12-month value now reaches.
   */
  const awardForReceipt = async (trx: Trx, account: PointsAccountsTable, cfg: LoyaltyConfig,
    award: { receiptId: string; points: number; businessDate: string; cause: ledger.EntryCause; qualifying: { spend12m: number; points12m: number } }, at: string): Promise<TierChange | null> => {
    if (award.points > 0) await ledger.credit(trx, account, 'earn', award.points, expiresOnFor(cfg.policy.expiry, award.businessDate), award.cause, at)
    return upgradeAfterPurchase(trx, account, cfg, award.qualifying, award.receiptId, at)
  }

  /**
   * A return's points, on the account `openForReceipt` locked: what its lines earned is taken
   * back (from the lots the sale's earn went to first; the balance may go negative), and points
   * that paid for them are given back.
   */
  const reverseForReturn = async (trx: Trx, account: PointsAccountsTable, cfg: LoyaltyConfig,
    back: { reversed: number; refunded: number; saleReceiptId: string | null; businessDate: string; cause: ledger.EntryCause }, at: string): Promise<void> => {
    if (back.reversed > 0) {
      const lots = back.saleReceiptId ? await repo.lotIdsEarnedBy(trx, back.saleReceiptId) : []
      await ledger.reverse(trx, account, 'reversal', back.reversed, lots, back.cause, at)
    }
    if (back.refunded > 0) await ledger.credit(trx, account, 'refund', back.refunded, expiresOnFor(cfg.policy.expiry, back.businessDate), back.cause, at)
  }

  /** The member's balance and tier as stored (a quote's read; no lock). */
  const accountOf = (conn: Db | Trx, memberId: string) => repo.findAccount(conn, memberId)

  /** The members' accounts, the missing ones created (the bulk import's history without points). */
  const accountsFor = (trx: Trx, memberIds: readonly string[], at: string) => repo.accountsFor(trx, memberIds, at)

  return {
    config, invalidate, rulesAt, tierByCode, effectiveTier, localParts, upgradeAfterPurchase,
    openForReceipt, awardForReceipt, reverseForReturn, accountOf, accountsFor,
    points, entries, lots, tierHistory, adjust, verify, countAccounts, liability, testEarn,
    expireDue, notifyExpiring, evaluateTiers,
    listRules, createRule, reviseRule, endRule, listTiers, saveTiers, getPolicy, updatePolicy,
    memberData,
  }
}

export type LoyaltyService = ReturnType<typeof createLoyaltyService>
