import { sql } from 'kysely'
import type { Db, Engine, Trx } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import { actorId, actorName, assertCan, scopedStoreId } from '../../shared/actor.js'
import { assertInScope, storeFilterFor } from '../../shared/scope.js'
import type { Clock } from '../../shared/clock.js'
import { conflict, notFound, unprocessable, type ErrorDetail } from '../../shared/errors.js'
import type { EventBus } from '../../shared/events.js'
import { newId } from '../../shared/ids.js'
import { dateIn } from '../../shared/time.js'
import type { AuditService } from '../audit/index.js'
import { diffFields } from '../audit/index.js'
import type { MergeHook } from '../members/index.js'
import { computeEarn, expiresOnFor, isoWeekday, type EarnLine, type EarnResult } from './earn-rules.js'
import type { TenderKind } from '../transactions/receipts.table.js'
import * as ledger from './ledger.js'
import type { PointsAccountsTable, RuleKind } from './loyalty.table.js'
import {
  DEFAULT_POLICY, toEarningRule, toLedgerEntry, toLot, toTier, toTierChange,
  type EarningRule, type LedgerEntry, type LoyaltyPolicy, type PointsLot, type RuleDefinition, type Tier, type TierChange,
} from './loyalty.types.js'
import { addMonths, refreshWindow, windowSums } from './purchase-stats.js'
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
}

const CONFIG_TTL_MS = 5_000

export interface LoyaltyDeps {
  db: Db
  engine: Engine
  audit: AuditService
  clock: Clock
  timezone: string
  events: EventBus
}

export const createLoyaltyService = ({ db, engine, audit, clock, timezone, events }: LoyaltyDeps) => {
  const now = () => clock.now().toISOString()
  const today = () => dateIn(clock.now(), timezone)
  const currentMonth = () => today().slice(0, 7)

  // Rules, tiers and policy change rarely and are read by every receipt: cache them briefly.
  // This process drops its copy on every change; other processes see it within the TTL.
  let cached: { at: number; config: Promise<LoyaltyConfig> } | null = null
  const loadConfig = async (): Promise<LoyaltyConfig> => {
    const [rules, tiers, policyRow] = await Promise.all([
      db.selectFrom('loyalty_rules').selectAll().where('status', '=', 'active').orderBy('valid_from').execute(),
      db.selectFrom('tiers').selectAll().orderBy('rank').execute(),
      db.selectFrom('loyalty_settings').select('value').where('key', '=', 'policy').executeTakeFirst(),
    ])
    const policy = policyRow ? { ...DEFAULT_POLICY, ...(JSON.parse(policyRow.value) as Partial<LoyaltyPolicy>) } : DEFAULT_POLICY
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
        await trx.updateTable('points_accounts').set({ tier_below_since: null }).where('member_id', '=', account.member_id).execute()
        account.tier_below_since = null
      }
      return null
    }
    const reason = current === null && target.rank === (cfg.tiers[0]?.rank ?? 0) ? 'initial' : 'upgrade'
    return changeTier(trx, account, target.code, reason, value, receiptId, null, at)
  }

  const changeTier = async (trx: Trx | Db, account: Pick<PointsAccountsTable, 'member_id' | 'tier_code'>, to: string, reason: TierChange['reason'], value: number, receiptId: string | null, actor: string | null, at: string): Promise<TierChange> => {
    await trx.updateTable('points_accounts').set({ tier_code: to, tier_since: at, tier_below_since: null }).where('member_id', '=', account.member_id).execute()
    const row = { id: newId('tch'), member_id: account.member_id, from_tier: account.tier_code, to_tier: to, reason, qualifying_value: value, receipt_id: receiptId, actor_id: actor, at }
    await trx.insertInto('member_tier_history').values(row).execute()
    account.tier_code = to
    return toTierChange(row)
  }

  const announceTier = (memberId: string, change: TierChange | null) => {
    if (change) events.emit('tier.changed', { memberId, from: change.fromTier, to: change.toTier, reason: change.reason, at: change.at })
  }

  const assertMember = async (memberId: string) => {
    const m = await db.selectFrom('members').select(['id', 'status', 'registration_store_id']).where('id', '=', memberId).executeTakeFirst()
    if (!m || m.status === 'erased') throw notFound('MEMBER_NOT_FOUND', [{ field: 'memberId', reason: 'no such member' }])
    return m
  }

  const points = async (actor: Actor, memberId: string): Promise<MemberPoints> => {
    assertCan(actor, 'loyalty.read')
    await assertMember(memberId)
    const cfg = await config()
    const [account, stats, lots] = await Promise.all([
      db.selectFrom('points_accounts').selectAll().where('member_id', '=', memberId).executeTakeFirst(),
      db.selectFrom('member_purchase_stats').selectAll().where('member_id', '=', memberId).executeTakeFirst(),
      db.selectFrom('points_lots').select(['expires_on', 'remaining']).where('member_id', '=', memberId).where('remaining', '>', 0)
        .where('expires_on', '>=', today()).orderBy('expires_on').limit(3).execute(),
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
        if (stats.window_month === currentMonth()) return { spend12m: stats.spend_12m, pointsEarned12m: stats.points_earned_12m }
        const sums = await windowSums(db, memberId, currentMonth())
        return { spend12m: sums.spend_12m, pointsEarned12m: sums.points_earned_12m }
      })()),
      receiptCount: stats?.receipt_count ?? 0,
      lastPurchaseAt: stats?.last_purchase_at ?? null,
    }
  }

  const entries = async (actor: Actor, memberId: string, page: { cursor?: string; limit?: number } = {}): Promise<{ items: LedgerEntry[]; nextCursor: string | null }> => {
    assertCan(actor, 'loyalty.read')
    await assertMember(memberId)
    const limit = Math.min(Math.max(page.limit ?? 50, 1), 200)
    let q = db.selectFrom('points_entries').leftJoin('receipts', 'receipts.id', 'points_entries.receipt_id')
      .selectAll('points_entries').select('receipts.receipt_no').where('points_entries.member_id', '=', memberId).orderBy('points_entries.id', 'desc').limit(limit + 1)
    if (page.cursor) q = q.where('points_entries.id', '<', page.cursor)
    const rows = await q.execute()
    const items = rows.slice(0, limit).map(toLedgerEntry)
    return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
  }

  const lots = async (actor: Actor, memberId: string): Promise<PointsLot[]> => {
    assertCan(actor, 'loyalty.read')
    await assertMember(memberId)
    const rows = await db.selectFrom('points_lots').selectAll().where('member_id', '=', memberId).orderBy('expires_on', 'desc').execute()
    return rows.map(toLot)
  }

  const tierHistory = async (actor: Actor, memberId: string): Promise<TierChange[]> => {
    assertCan(actor, 'loyalty.read')
    await assertMember(memberId)
    const rows = await db.selectFrom('member_tier_history').selectAll().where('member_id', '=', memberId).orderBy('at', 'desc').orderBy('id', 'desc').execute()
    return rows.map(toTierChange)
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
    assertInScope(actor, member.registration_store_id)
    if (member.status === 'merged') throw conflict('MEMBER_MERGED', [{ field: 'memberId', reason: 'this member was merged into another; adjust the survivor' }])
    const cfg = await config()
    const at = now()
    const cause = { reason, actorId: actorId(actor), actorName: actorName(actor), storeId: scopedStoreId(actor) }
    return db.transaction().execute(async (trx) => {
      const account = await ledger.lockAccount(trx, input.memberId, at)
      const posted = input.points > 0
        ? await ledger.credit(trx, account, 'adjust', input.points, expiresOnFor(cfg.policy.expiry, today()), cause, at)
        : await ledger.spend(trx, account, 'adjust', -input.points, today(), cause, at)
      await audit.record(trx, actor, {
        action: 'loyalty.adjust', entityType: 'member', entityId: input.memberId, storeId: member.registration_store_id,
        changes: { points: input.points, reason, balanceAfter: posted.balance },
      })
      return toLedgerEntry(posted.entry)
    })
  }

  const verify = () => ledger.verifyLedger(db, engine)

  const liability = async (actor: Actor, filter: { storeId?: string } = {}): Promise<LiabilityReport> => {
    assertCan(actor, 'loyalty.reports')
    const storeId = storeFilterFor(actor, filter.storeId)
    const cfg = await config()
    const value = (p: number) => p * cfg.policy.pointValueFen
    let lotsQ = db.selectFrom('points_lots').innerJoin('members', 'members.id', 'points_lots.member_id').where('points_lots.remaining', '>', 0)
    if (storeId) lotsQ = lotsQ.where('members.registration_store_id', '=', storeId)
    const month = sql<string>`substr(points_lots.expires_on, 1, 7)`
    const byMonth = await lotsQ.select([month.as('month'), (eb) => eb.fn.sum<number>('points_lots.remaining').as('points')])
      .groupBy(month).orderBy(month).execute()
    const byStore = await lotsQ.leftJoin('stores', 'stores.id', 'members.registration_store_id')
      .select(['members.registration_store_id as storeId', 'stores.code', 'stores.name', (eb) => eb.fn.sum<number>('points_lots.remaining').as('points')])
      .groupBy(['members.registration_store_id', 'stores.code', 'stores.name']).orderBy('stores.code').execute()
    let negQ = db.selectFrom('points_accounts').innerJoin('members', 'members.id', 'points_accounts.member_id').where('points_accounts.balance', '<', 0)
    if (storeId) negQ = negQ.where('members.registration_store_id', '=', storeId)
    const neg = await negQ.select((eb) => [eb.fn.countAll<number>().as('members'), eb.fn.coalesce(eb.fn.sum<number>('points_accounts.balance'), eb.lit(0)).as('points')]).executeTakeFirstOrThrow()
    const total = byMonth.reduce((a, r) => a + Number(r.points), 0)
    return {
      points: total,
      valueFen: value(total),
      negative: { members: Number(neg.members), points: Number(neg.points) },
      byExpiryMonth: byMonth.map((r) => ({ month: r.month, points: Number(r.points), valueFen: value(Number(r.points)) })),
      byStore: byStore.map((r) => ({ storeId: r.storeId, storeCode: r.code, storeName: r.name, points: Number(r.points), valueFen: value(Number(r.points)) })),
    }
  }

  /** Expires every lot whose last day has passed. Running it twice changes nothing. */
  const expireDue = async (options: { batch?: number } = {}): Promise<{ lots: number; points: number }> => {
    const batch = options.batch ?? 500
    const day = today()
    let lotsDone = 0
    let pointsDone = 0
    for (;;) {
      const due = await db.selectFrom('points_lots').select(['id', 'member_id']).where('expires_on', '<', day).where('remaining', '>', 0)
        .orderBy('expires_on').orderBy('id').limit(batch).execute()
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
      const due = await db.selectFrom('points_lots').selectAll()
        .where('expires_on', '>=', day).where('expires_on', '<=', until).where('remaining', '>', 0)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('points_expiry_notices').select('lot_id').whereRef('points_expiry_notices.lot_id', '=', 'points_lots.id'))))
        .orderBy('id').limit(500).execute()
      if (due.length === 0) break
      const at = now()
      const inserted = await db.insertInto('points_expiry_notices')
        .values(due.map((l) => ({ lot_id: l.id, member_id: l.member_id, points: l.remaining, expires_on: l.expires_on, notified_at: at })))
        .onConflict((oc) => oc.column('lot_id').doNothing())
        .returningAll()
        .execute()
      for (const n of inserted) events.emit('points.expiring', { memberId: n.member_id, lotId: n.lot_id, points: n.points, expiresOn: n.expires_on, at })
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
      const page = await db.selectFrom('points_accounts').select('member_id').where('member_id', '>', after).orderBy('member_id').limit(500).execute()
      if (page.length === 0) break
      after = page[page.length - 1]!.member_id
      for (const { member_id } of page) {
        const change = await db.transaction().execute(async (trx) => {
          const at = now()
          const account = await ledger.lockAccount(trx, member_id, at)
          const stats = await refreshWindow(trx, member_id, month, at)
          const value = !stats ? 0 : cfg.policy.tierBasis === 'spend' ? stats.spend_12m : stats.points_earned_12m
          const target = qualifyingTier(cfg, value)
          const current = tierByCode(cfg, account.tier_code)
          if (!target) return null
          if (!current || target.rank > current.rank) {
            result.upgraded++
            return changeTier(trx, account, target.code, current ? 'upgrade' : 'initial', value, null, null, at)
          }
          if (target.rank === current.rank) {
            if (account.tier_below_since) await trx.updateTable('points_accounts').set({ tier_below_since: null }).where('member_id', '=', member_id).execute()
            return null
          }
          if (!account.tier_below_since) {
            result.belowThreshold++
            await trx.updateTable('points_accounts').set({ tier_below_since: at }).where('member_id', '=', member_id).execute()
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
        announceTier(member_id, change)
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
    const store = await db.selectFrom('stores').select(['id', 'region_id']).where('id', '=', input.storeId).executeTakeFirst()
    if (!store) throw unprocessable('STORE_NOT_FOUND', [{ field: 'storeId', reason: 'no such store' }])
    const cfg = await config()
    const tier = input.tierCode ? tierByCode(cfg, input.tierCode) : cfg.tiers[0] ?? null
    if (input.tierCode && !tier) throw unprocessable('VALIDATION', [{ field: 'tierCode', reason: 'no such tier' }])
    const at = input.businessAt ?? now()
    const local = localParts(at)
    return computeEarn({
      lines: input.lines, tenders: input.tenders ?? [], local, store: { id: store.id, regionId: store.region_id },
      member: { birthday: input.birthday ?? null, tier }, rules: rulesAt(cfg, at), earnedToday: input.earnedToday ?? 0,
    })
  }

  // ---- configuration: rules, tiers, policy ----

  const listRules = async (actor: Actor, filter: { includeHistory?: boolean } = {}): Promise<EarningRule[]> => {
    assertCan(actor, 'loyalty.read')
    let q = db.selectFrom('loyalty_rules').selectAll().orderBy('rule_key').orderBy('version', 'desc')
    if (!filter.includeHistory) q = q.where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', now())]))
    return (await q.execute()).map(toEarningRule)
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
      const found = await db.selectFrom('stores').select('id').where('id', 'in', stores).execute()
      if (found.length !== new Set(stores).size) details.push({ field: 'storeIds', reason: 'names a store that does not exist' })
    }
    const regions = input.regionIds ?? []
    if (regions.length) {
      const found = await db.selectFrom('regions').select('id').where('id', 'in', regions).execute()
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
      await trx.insertInto('loyalty_rules').values(row).execute()
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
      const versions = await trx.selectFrom('loyalty_rules').selectAll().where('rule_key', '=', ruleKey).orderBy('version', 'desc').execute()
      if (versions.length === 0) throw notFound('RULE_NOT_FOUND', [{ field: 'ruleKey', reason: 'no such rule' }])
      const latest = versions[0]!
      if (latest.kind !== input.definition.kind) throw unprocessable('VALIDATION', [{ field: 'definition.kind', reason: `a ${latest.kind} rule stays a ${latest.kind} rule; create a new rule instead` }])
      if (input.validFrom <= latest.valid_from) {
        throw unprocessable('VALIDATION', [{ field: 'validFrom', reason: `a new version must start after the current one (${latest.valid_from})` }])
      }
      if (latest.valid_to === null || latest.valid_to > input.validFrom) {
        await trx.updateTable('loyalty_rules').set({ valid_to: input.validFrom }).where('id', '=', latest.id).execute()
      }
      const row = ruleRow(input, ruleKey, latest.version + 1, actor, at)
      await trx.insertInto('loyalty_rules').values(row).execute()
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
      const current = await trx.selectFrom('loyalty_rules').selectAll().where('rule_key', '=', ruleKey)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', end)])).execute()
      if (current.length === 0) throw notFound('RULE_NOT_FOUND', [{ field: 'ruleKey', reason: 'no rule in force under this key' }])
      for (const r of current) {
        if (r.valid_from >= end) await trx.updateTable('loyalty_rules').set({ status: 'disabled' }).where('id', '=', r.id).execute()
        else await trx.updateTable('loyalty_rules').set({ valid_to: end }).where('id', '=', r.id).execute()
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
      const before = (await trx.selectFrom('tiers').selectAll().orderBy('rank').execute()).map(toTier)
      const removed = before.filter((b) => !tiers.some((t) => t.code === b.code)).map((t) => t.code)
      if (removed.length) {
        const held = await trx.selectFrom('points_accounts').select('member_id').where('tier_code', 'in', removed).limit(1).execute()
        if (held.length) throw conflict('TIER_IN_USE', [{ field: 'tiers', reason: `members hold tier ${removed.join(', ')}; keep it or move them first` }])
      }
      await trx.deleteFrom('tiers').execute()
      await trx.insertInto('tiers').values(tiers.map((t) => ({
        code: t.code, name: t.name.trim(), rank: t.rank, threshold: t.threshold, earn_factor_pct: t.earnFactorPct, member_prices: t.memberPrices ? 1 : 0, created_at: at, updated_at: at,
      }))).execute()
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
      await trx.insertInto('loyalty_settings').values({ key: 'policy', value: JSON.stringify(next), updated_by: actorId(actor), updated_at: at })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(next), updated_by: actorId(actor), updated_at: at })).execute()
      await audit.record(trx, actor, { action: 'loyalty.policy.update', entityType: 'loyalty_policy', changes: diffFields(before as never, next as never) })
    })
    invalidate()
    return next
  }

  /** On a member merge, the merged member's points, lots, stats and tier move to the survivor. */
  const mergeHook: MergeHook = {
    name: 'points',
    count: async (conn, memberId) => {
      const row = await conn.selectFrom('points_entries').select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow()
      return Number(row.n)
    },
    move: async (trx, fromId, toId) => {
      const at = now()
      // Lock in id order so two merges touching the same pair cannot deadlock.
      const [first, second] = fromId < toId ? [fromId, toId] : [toId, fromId]
      const a = await ledger.lockAccount(trx, first, at)
      const b = await ledger.lockAccount(trx, second, at)
      const from = first === fromId ? a : b
      const to = first === fromId ? b : a
      const cause = { reason: 'member merge', reference: fromId }
      const fromLots = await trx.selectFrom('points_lots').selectAll().where('member_id', '=', fromId).where('remaining', '>', 0).orderBy('expires_on').execute()
      for (const lot of fromLots) {
        await ledger.reverse(trx, from, 'merge', lot.remaining, [lot.id], { ...cause, reference: toId }, at)
        await ledger.credit(trx, to, 'merge', lot.remaining, lot.expires_on, cause, at)
      }
      if (from.balance < 0) {
        const debt = -from.balance
        await ledger.credit(trx, from, 'merge', debt, today(), { ...cause, reference: toId }, at)
        await ledger.reverse(trx, to, 'merge', debt, [], cause, at)
      }
      const months = await trx.selectFrom('member_monthly_activity').selectAll().where('member_id', '=', fromId).execute()
      for (const m of months) {
        await trx.insertInto('member_monthly_activity').values({ ...m, member_id: toId })
          .onConflict((oc) => oc.columns(['member_id', 'month']).doUpdateSet({
            receipt_count: (eb) => eb('member_monthly_activity.receipt_count', '+', m.receipt_count),
            spend: (eb) => eb('member_monthly_activity.spend', '+', m.spend),
            points_earned: (eb) => eb('member_monthly_activity.points_earned', '+', m.points_earned),
          })).execute()
      }
      await trx.deleteFrom('member_monthly_activity').where('member_id', '=', fromId).execute()
      const [fs, ts] = await Promise.all([
        trx.selectFrom('member_purchase_stats').selectAll().where('member_id', '=', fromId).executeTakeFirst(),
        trx.selectFrom('member_purchase_stats').selectAll().where('member_id', '=', toId).executeTakeFirst(),
      ])
      if (fs) {
        const minOf = (x: string | null, y: string | null) => (x === null ? y : y === null ? x : x < y ? x : y)
        const maxOf = (x: string | null, y: string | null) => (x === null ? y : y === null ? x : x > y ? x : y)
        const merged = {
          first_purchase_at: minOf(fs.first_purchase_at, ts?.first_purchase_at ?? null),
          last_purchase_at: maxOf(fs.last_purchase_at, ts?.last_purchase_at ?? null),
          receipt_count: fs.receipt_count + (ts?.receipt_count ?? 0),
          spend_total: fs.spend_total + (ts?.spend_total ?? 0),
          points_earned_total: fs.points_earned_total + (ts?.points_earned_total ?? 0),
          receipt_count_12m: 0, spend_12m: 0, points_earned_12m: 0, window_month: '0000-00', updated_at: at,
        }
        if (ts) await trx.updateTable('member_purchase_stats').set(merged).where('member_id', '=', toId).execute()
        else await trx.insertInto('member_purchase_stats').values({ member_id: toId, ...merged }).execute()
        await trx.deleteFrom('member_purchase_stats').where('member_id', '=', fromId).execute()
        await refreshWindow(trx, toId, currentMonth(), at)
      }
      // Inside the merge's transaction: read the tiers through it (on SQLite `db` would wait for it).
      const tiers = (await trx.selectFrom('tiers').selectAll().execute()).map(toTier)
      const fromTier = tiers.find((t) => t.code === from.tier_code)
      const survivorTier = tiers.find((t) => t.code === to.tier_code)
      if (fromTier && (!survivorTier || fromTier.rank > survivorTier.rank)) await changeTier(trx, to, fromTier.code, 'manual', 0, null, null, at)
    },
  }

  return {
    config, invalidate, rulesAt, tierByCode, effectiveTier, localParts, upgradeAfterPurchase, announceTier,
    points, entries, lots, tierHistory, adjust, verify, liability, testEarn,
    expireDue, notifyExpiring, evaluateTiers,
    listRules, createRule, reviseRule, endRule, listTiers, saveTiers, getPolicy, updatePolicy,
    mergeHook,
    addMonths,
  }
}

export type LoyaltyService = ReturnType<typeof createLoyaltyService>
