import type { Db, Trx } from '../../db/database.js'
import type { Actor } from '../../shared/actor.js'
import { actorId, actorName, assertCan, can } from '../../shared/actor.js'
import { isInScope } from '../../shared/scope.js'
import { conflict, forbidden, notFound, unprocessable } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { dateIn } from '../../shared/time.js'
import { diffFields } from '../audit/index.js'
import { expiresOnFor, ledger, type LoyaltyConfig } from '../loyalty/index.js'
import { rebateBases } from '../analytics/index.js'
import { findMemberLabels, findMemberState, findRegistrationStores } from '../members/index.js'
import { findTemplate } from './coupons.repository.js'
import type { CouponsService } from './coupons.service.js'
import * as repo from './rebates.repository.js'
import { rebateFor, validateProgramme, type ProgrammeInput, type RebateBracket, type RebateRules } from './rebate-rules.js'
import type { RebateBasis, RebateProgrammesTable, RebateReward } from './rebates.table.js'
import type { RewardsMismatch } from './rewards-rules.js'
import type { RewardsBaseDeps } from './rewards.types.js'

export interface RebatesDeps extends RewardsBaseDeps {
  coupons: CouponsService
  /** members given their rebate per transaction of a run */
  chunkSize?: number
  /** tests: runs inside each chunk's transaction before it commits (throwing rolls the chunk back) */
  afterChunk?: (chunk: number, trx: Trx) => Promise<void> | void
}

export interface RebateProgramme {
  id: string
  name: string
  periodFrom: string
  periodTo: string
  basis: RebateBasis
  brackets: RebateBracket[]
  tierRates: Record<string, number> | null
  reward: RebateReward
  couponTemplateId: string | null
  minRebate: number
  status: RebateProgrammesTable['status']
  membersRewarded: number
  totalRebate: number
  pointValueFen: number | null
  createdBy: string | null
  createdAt: string
  updatedAt: string
  runAt: string | null
  runBy: string | null
}

export const toProgramme = (row: RebateProgrammesTable): RebateProgramme => ({
  id: row.id,
  name: row.name,
  periodFrom: row.period_from,
  periodTo: row.period_to,
  basis: row.basis,
  brackets: JSON.parse(row.brackets) as RebateBracket[],
  tierRates: row.tier_rates === null ? null : (JSON.parse(row.tier_rates) as Record<string, number>),
  reward: row.reward,
  couponTemplateId: row.coupon_template_id,
  minRebate: Number(row.min_rebate),
  status: row.status,
  membersRewarded: Number(row.members_rewarded),
  totalRebate: Number(row.total_rebate),
  pointValueFen: row.point_value_fen === null ? null : Number(row.point_value_fen),
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  runAt: row.run_at,
  runBy: row.run_by,
})

const rulesOf = (p: RebateProgramme): RebateRules => ({ basis: p.basis, reward: p.reward, brackets: p.brackets, tierRates: p.tierRates, minRebate: p.minRebate })

export interface RebateLine {
  memberId: string
  cardNo: string
  /** masked, as stored: never the name itself */
  name: string | null
  tierCode: string | null
  basis: number
  rebate: number
  awarded: boolean
}

export interface RebatePreview {
  programmeId: string
  pointValueFen: number
  totals: { members: number; basis: number; rebate: number; belowMinimum: number; awarded: number; awardedRebate: number }
  items: RebateLine[]
  offset: number
  limit: number
}

const DEFAULT_CHUNK = 200

export const createRebatesService = ({ db, audit, clock, timezone, loyalty, coupons, chunkSize = DEFAULT_CHUNK, afterChunk }: RebatesDeps) => {
  const now = () => clock.now().toISOString()
  const today = () => dateIn(clock.now(), timezone)

  const assertCanSee = (actor: Actor) => {
    if (!can(actor, 'rewards.manage') && !can(actor, 'rewards.reports')) throw forbidden('FORBIDDEN', [], 'this role may not see rebate programmes')
  }

  const load = async (conn: Db | Trx, id: string): Promise<RebateProgrammesTable> => {
    const row = await repo.findProgramme(conn, id)
    if (!row) throw notFound('REBATE_PROGRAMME_NOT_FOUND', [{ field: 'id', reason: 'no such rebate programme' }])
    return row
  }

  /** Terms checked, trimmed and normalised; the coupon template must exist and give an amount. */
  const checkedTerms = async (input: ProgrammeInput) => {
    const cfg = await loyalty.config()
    const details = validateProgramme(input, cfg.tiers.map((t) => t.code))
    if (input.reward === 'coupon' && typeof input.couponTemplateId === 'string' && input.couponTemplateId !== '') {
      const template = await findTemplate(db, input.couponTemplateId)
      if (!template) details.push({ field: 'couponTemplateId', reason: 'no such coupon template' })
      else if (template.kind !== 'amount') details.push({ field: 'couponTemplateId', reason: `a ${template.kind} template: a rebate coupon must be of kind amount (its face value is the rebate)` })
      else if (template.status === 'archived') details.push({ field: 'couponTemplateId', reason: 'the template is archived' })
    }
    if (details.length) throw unprocessable('VALIDATION', details)
    const rates = input.tierRates && Object.keys(input.tierRates).length > 0 ? input.tierRates : null
    return {
      name: input.name.trim(),
      period_from: input.periodFrom,
      period_to: input.periodTo,
      basis: input.basis,
      brackets: JSON.stringify(input.brackets.map((b) => ({ min: b.min, rateBp: b.rateBp, fixed: b.fixed }))),
      tier_rates: rates === null ? null : JSON.stringify(rates),
      reward: input.reward,
      coupon_template_id: input.reward === 'coupon' ? input.couponTemplateId! : null,
      min_rebate: input.minRebate ?? 0,
    }
  }

  const list = async (actor: Actor): Promise<RebateProgramme[]> => {
    assertCanSee(actor)
    return (await repo.listProgrammes(db)).map(toProgramme)
  }

  const get = async (actor: Actor, id: string): Promise<RebateProgramme> => {
    assertCanSee(actor)
    return toProgramme(await load(db, id))
  }

  const create = async (actor: Actor, input: ProgrammeInput): Promise<RebateProgramme> => {
    assertCan(actor, 'rewards.manage')
    const terms = await checkedTerms(input)
    const at = now()
    const row: RebateProgrammesTable = {
      id: newId('rbp'), ...terms, status: 'draft', members_rewarded: 0, total_rebate: 0, point_value_fen: null,
      created_by: actorId(actor), created_at: at, updated_at: at, run_at: null, run_by: null,
    }
    await db.transaction().execute(async (trx) => {
      await repo.insertProgramme(trx, row)
      await audit.record(trx, actor, { action: 'rebate.create', entityType: 'rebate_programme', entityId: row.id, changes: { ...toProgramme(row) } })
    })
    return toProgramme(row)
  }

  const notDraft = (status: string) =>
    conflict('REBATE_PROGRAMME_NOT_DRAFT', [{ field: 'status', reason: `the programme is ${status}: once its run has started it cannot be changed` }])

  /** Changes a draft's terms; a programme whose run has started keeps them. */
  const update = async (actor: Actor, id: string, input: ProgrammeInput): Promise<RebateProgramme> => {
    assertCan(actor, 'rewards.manage')
    const before = await load(db, id)
    if (before.status !== 'draft') throw notDraft(before.status)
    const terms = await checkedTerms(input)
    const at = now()
    return db.transaction().execute(async (trx) => {
      // Conditional on draft: a run starting meanwhile wins, and this edit is refused.
      const row = await repo.updateDraft(trx, id, { ...terms, updated_at: at })
      if (!row) throw notDraft((await load(trx, id)).status)
      const { updatedAt: _b, ...b } = toProgramme(before)
      const { updatedAt: _a, ...a } = toProgramme(row)
      await audit.record(trx, actor, { action: 'rebate.update', entityType: 'rebate_programme', entityId: id, changes: diffFields(b, a) })
      return toProgramme(row)
    })
  }

  const remove = async (actor: Actor, id: string): Promise<void> => {
    assertCan(actor, 'rewards.manage')
    const before = await load(db, id)
    await db.transaction().execute(async (trx) => {
      if (!(await repo.deleteDraft(trx, id))) throw notDraft((await load(trx, id)).status)
      await audit.record(trx, actor, { action: 'rebate.delete', entityType: 'rebate_programme', entityId: id, changes: { name: before.name } })
    })
  }

  const tierOf = (cfg: LoyaltyConfig, code: string | null) => loyalty.effectiveTier(cfg, { tier_code: code })?.code ?? null

  /**
   * Each active member's basis in the period, from the receipts by business date (sales less
   * returns), with what a run would give them; members given their rebate already show what
   * they were given. Frozen, merged and erased members get nothing.
   */
  /** The lines of a programme; for `viewer`, only the members in their scope (a store's own), for a run all. */
  const compute = async (p: RebateProgramme, cfg: LoyaltyConfig, pointValueFen: number, viewer: Actor | null = null): Promise<RebateLine[]> => {
    const due = () => rebateBases(db, { programmeId: p.id, basis: p.basis, from: p.periodFrom, to: p.periodTo }, viewer)
    const awardsInScope = async () => {
      const awards = await repo.awardsOf(db, p.id)
      if (!viewer) return awards
      const stores = await findRegistrationStores(db, awards.map((w) => w.member_id))
      return awards.filter((w) => stores.has(w.member_id) && isInScope(viewer, stores.get(w.member_id)))
    }
    const [dueRows, awards] = await Promise.all([due(), awardsInScope()])
    const [labels, tiers] = await Promise.all([findMemberLabels(db, awards.map((w) => w.member_id)), ledger.tierCodesOf(db, awards.map((w) => w.member_id))])
    const givenRows = awards.filter((w) => labels.has(w.member_id)).map((w) => ({
      ...w, card_no: labels.get(w.member_id)!.cardNo, name_masked: labels.get(w.member_id)!.nameMasked, tier_code: tiers.get(w.member_id) ?? null,
    }))
    const rules = rulesOf(p)
    const lines: RebateLine[] = dueRows.map((r) => {
      const tierCode = tierOf(cfg, r.tier_code)
      const basis = Number(r.basis)
      return { memberId: r.member_id!, cardNo: r.card_no, name: r.name_masked, tierCode, basis, rebate: rebateFor(rules, basis, tierCode, pointValueFen), awarded: false }
    })
    for (const r of givenRows) {
      lines.push({ memberId: r.member_id, cardNo: r.card_no, name: r.name_masked, tierCode: tierOf(cfg, r.tier_code), basis: Number(r.basis), rebate: Number(r.rebate), awarded: true })
    }
    return lines
  }

  /** What a run gives (or gave), per member and in total; writes nothing. Store roles see their store's members. */
  const preview = async (actor: Actor, id: string, page: { offset?: number; limit?: number } = {}): Promise<RebatePreview> => {
    assertCanSee(actor)
    const p = toProgramme(await load(db, id))
    const cfg = await loyalty.config()
    const pointValueFen = p.pointValueFen ?? cfg.policy.pointValueFen
    const lines = await compute(p, cfg, pointValueFen, actor)
    const given = lines.filter((l) => l.rebate > 0)
    given.sort((a, b) => b.rebate - a.rebate || b.basis - a.basis || (a.memberId < b.memberId ? -1 : 1))
    const offset = Math.max(page.offset ?? 0, 0)
    const limit = Math.min(Math.max(page.limit ?? 50, 1), 200)
    return {
      programmeId: p.id,
      pointValueFen,
      totals: {
        members: given.length,
        basis: given.reduce((a, l) => a + l.basis, 0),
        rebate: given.reduce((a, l) => a + l.rebate, 0),
        belowMinimum: lines.length - given.length,
        awarded: given.filter((l) => l.awarded).length,
        awardedRebate: given.reduce((a, l) => a + (l.awarded ? l.rebate : 0), 0),
      },
      items: given.slice(offset, offset + limit),
      offset,
      limit,
    }
  }

  /**
   * Gives every due member their rebate, once. Chunks of members commit one by one (a large run
   * holds no huge transaction, and an interruption loses only its chunk); each chunk first locks
   * the programme's row, so two runs at once take turns, and an award row (unique per programme
   * and member) is written in the same transaction as its points or coupon. Running again resumes
   * with those not yet given; a completed programme's run changes nothing.
   */
  const run = async (actor: Actor, id: string): Promise<RebateProgramme> => {
    assertCan(actor, 'rewards.manage')
    let row = await load(db, id)
    if (row.status === 'completed') return toProgramme(row)
    const day = today()
    if (row.period_to >= day) {
      throw conflict('REBATE_PERIOD_OPEN', [{ field: 'periodTo', reason: `the period runs until ${row.period_to}: run it from the day after` }])
    }
    const cfg = await loyalty.config()
    if (row.status === 'draft') {
      const at = now()
      row = await repo.startRun(db, id, { point_value_fen: cfg.policy.pointValueFen, run_at: at, run_by: actorId(actor), updated_at: at }) ?? await load(db, id)
      if (row.status === 'completed') return toProgramme(row)
    }
    const p = toProgramme(row)
    const pointValueFen = p.pointValueFen ?? cfg.policy.pointValueFen
    const due = (await compute(p, cfg, pointValueFen)).filter((l) => !l.awarded && l.rebate > 0)
    due.sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0))
    const expiresOn = expiresOnFor(cfg.policy.expiry, day)
    const cause = { reference: id, reason: p.name, actorId: actorId(actor), actorName: actorName(actor) }

    for (let start = 0, chunk = 0; start < due.length; start += chunkSize, chunk++) {
      const members = due.slice(start, start + chunkSize)
      const more = await db.transaction().execute(async (trx) => {
        const at = now()
        if (!(await repo.holdRunning(trx, id, at))) return false
        let rewarded = 0
        let total = 0
        for (const m of members) {
          const account = p.reward === 'points' ? await ledger.lockAccount(trx, m.memberId, at) : null
          // Frozen or merged since the list was made (a merge locks the account too, so after
          // the lock this is settled): nothing for them, and no points stranded on a merged card.
          const member = await findMemberState(trx, m.memberId)
          if (member?.status !== 'active') continue
          if (!(await repo.claimAward(trx, { programme_id: id, member_id: m.memberId, basis: m.basis, rebate: m.rebate, coupon_id: null, entry_id: null, created_at: at }))) continue
          if (account) {
            const posted = await ledger.credit(trx, account, 'award', m.rebate, expiresOn, cause, at)
            await repo.setAwardGiven(trx, id, m.memberId, { entry_id: posted.entry.id })
          } else {
            const coupon = await coupons.internals.issueInTrx(trx, {
              templateId: p.couponTemplateId!, memberId: m.memberId, issueKey: `rebate:${id}`, source: 'rebate', issuedBy: actorName(actor), value: m.rebate, at,
            })
            await repo.setAwardGiven(trx, id, m.memberId, { coupon_id: coupon.id })
          }
          rewarded++
          total += m.rebate
        }
        if (rewarded > 0) {
          await repo.addToCounters(trx, id, rewarded, total)
        }
        await afterChunk?.(chunk, trx)
        return true
      })
      if (!more) break
    }

    return db.transaction().execute(async (trx) => {
      const done = await repo.completeRun(trx, id, now())
      if (!done) return toProgramme(await load(trx, id))
      await audit.record(trx, actor, {
        action: 'rebate.run', entityType: 'rebate_programme', entityId: id,
        changes: { membersRewarded: Number(done.members_rewarded), totalRebate: Number(done.total_rebate), reward: done.reward, pointValueFen: done.point_value_fen },
      })
      return toProgramme(done)
    })
  }

  /** Per programme: its counters match its awards; every award has its ledger entry or coupon. */
  const verify = async (): Promise<RewardsMismatch[]> => {
    const out: RewardsMismatch[] = []
    const [programmes, sums] = await Promise.all([
      repo.programmeCounters(db),
      repo.awardSums(db),
    ])
    for (const p of programmes) {
      const s = sums.find((x) => x.programme_id === p.id)
      const n = Number(s?.n ?? 0)
      const total = Number(s?.total ?? 0)
      if (p.status === 'draft' && n > 0) out.push({ area: 'rebates', id: p.id, problem: `a draft with ${n} awards` })
      if (Number(p.members_rewarded) !== n) out.push({ area: 'rebates', id: p.id, problem: `members rewarded ${p.members_rewarded} but ${n} awards` })
      if (Number(p.total_rebate) !== total) out.push({ area: 'rebates', id: p.id, problem: `total rebate ${p.total_rebate} but awards sum to ${total}` })
    }
    const pointsAwards = await repo.pointsAwards(db)
    const entries = new Map((await ledger.entriesByIds(db, pointsAwards.flatMap((w) => (w.entry_id ? [w.entry_id] : [])))).map((e) => [e.id, e]))
    const points = pointsAwards.map((w) => {
      const e = w.entry_id === null ? undefined : entries.get(w.entry_id)
      return { ...w, entry: e?.id ?? null, points: e?.points ?? null, kind: e?.kind ?? null, entry_member: e?.member_id ?? null, reference: e?.reference ?? null }
    }).filter((a) => a.entry === null || Number(a.points) !== Number(a.rebate) || a.kind !== 'award' || a.entry_member !== a.member_id || (a.reference !== null && a.reference !== a.programme_id))
      .slice(0, 100)
    for (const a of points) {
      out.push({ area: 'rebates', id: a.programme_id, problem: a.entry === null
        ? `member ${a.member_id}: a points award without its ledger entry`
        : `member ${a.member_id}: awarded ${a.rebate} points but entry ${a.entry} is ${a.kind} of ${a.points} for ${a.entry_member}` })
    }
    const given = await repo.brokenCouponAwards(db, 100)
    for (const a of given) {
      out.push({ area: 'rebates', id: a.programme_id, problem: a.coupon === null
        ? `member ${a.member_id}: a coupon award without its coupon`
        : `member ${a.member_id}: awarded ${a.rebate} fen but coupon ${a.coupon} is worth ${a.value} of template ${a.template_id}` })
    }
    return out
  }

  return { list, get, create, update, remove, preview, run, verify }
}

export type RebatesService = ReturnType<typeof createRebatesService>
