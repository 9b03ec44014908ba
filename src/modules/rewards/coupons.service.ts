import type { Db, Trx } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import type { Actor } from '../../shared/actor.js'
import { actorName, assertCan, can } from '../../shared/actor.js'
import { conflict, DomainError, forbidden, notFound, unprocessable, type ErrorDetail } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { assertInScope, homeStoreId, isChainWide, isInScope } from '../../shared/scope.js'
import { dateIn } from '../../shared/time.js'
import { diffFields } from '../audit/index.js'
import { couponSalesByTemplate, couponTenderMismatches, membersWithoutWelcome, usedCouponsWithoutReceipt } from '../analytics/index.js'
import { findProductsBySkus } from '../catalog/index.js'
import { findMemberLabels, findMemberState, findRegistrationStores, memberIdsInScope, type MembersService } from '../members/index.js'
import { regionsByIds, storesByIds } from '../org/index.js'
import * as repo from './coupons.repository.js'
import { validateTemplate, type CouponOnBasket, type CouponTemplate, type TemplateInput } from './coupon-rules.js'
import type { CouponSource, CouponStatus, CouponsTable, CouponTemplatesTable, TemplateStatus } from './coupons.table.js'
import { addDays, jsonList, randomCode, type RewardsMismatch } from './rewards-rules.js'
import type { RewardsBaseDeps } from './rewards.types.js'

export interface CouponsDeps extends RewardsBaseDeps {
  members: MembersService
}

export interface IssueInTrxInput {
  templateId: string
  memberId: string
  /** one coupon per (template, member, issueKey): issuing again with the same key changes nothing */
  issueKey: string
  source: CouponSource
  issuedBy: string | null
  /** the face value for amount/threshold coupons when not the template's (a rebate) */
  value?: number
  at: string
}

export interface CouponView {
  id: string
  code: string
  /** what the member's QR code holds; the till's scanner reads it */
  qrPayload: string
  templateId: string
  templateName: string
  kind: CouponTemplate['kind']
  value: number
  memberId: string
  /** the member's card, to show beside the id */
  memberCardNo: string | null
  status: CouponStatus
  validFrom: string
  validTo: string
  issuedAt: string
  source: CouponSource
  issuedBy: string | null
  usedAt: string | null
  usedReceiptId: string | null
  usedStoreId: string | null
  discount: number
  bonusPoints: number
  voidedAt: string | null
  voidedBy: string | null
  voidReason: string | null
}

export interface TemplateReport {
  templateId: string
  name: string
  kind: CouponTemplate['kind']
  issued: number
  unused: number
  used: number
  expired: number
  voided: number
  /** used ÷ issued, 0–1 */
  redemptionRate: number
  discountGiven: number
  bonusPoints: number
  /** receipts that used a coupon of this template, and their totals (fen) */
  receipts: number
  sales: number
}

export interface BulkIssueResult {
  id: string
  templateId: string
  issueKey: string
  total: number
  issued: number
  skipped: number
  failed: number
  /** code: 'empty' or 'unknown_member' (for a console to translate); reason: the same in English */
  errors: Array<{ line: number; value: string; code: string; reason: string }>
  status: 'running' | 'completed' | 'failed'
}

/** The validity of a coupon issued on `today` under a template: fixed dates, or N days from issue. */
export const validityOf = (template: Pick<CouponTemplatesTable, 'valid_from' | 'valid_to' | 'valid_days'>, today: string): { from: string; to: string } => {
  if (template.valid_days !== null) return { from: today, to: addDays(today, template.valid_days - 1) }
  return { from: template.valid_from ?? today, to: template.valid_to ?? '9999-12-31' }
}

export const QR_PREFIX = 'PATRON:CPN:'

/** A code as typed or scanned: the QR prefix, spaces, dashes and case do not matter. */
export const normalizeCode = (raw: string): string => {
  let s = raw.trim().toUpperCase()
  if (s.startsWith(QR_PREFIX)) s = s.slice(QR_PREFIX.length)
  return s.replace(/[\s-]/g, '')
}

export const toTemplate = (row: CouponTemplatesTable): CouponTemplate => ({
  id: row.id, name: row.name, description: row.description, kind: row.kind, value: Number(row.value), maxDiscount: row.max_discount === null ? null : Number(row.max_discount),
  minSpend: Number(row.min_spend), freeSku: row.free_sku, scope: row.scope === null ? null : JSON.parse(row.scope), storeIds: jsonList(row.store_ids), regionIds: jsonList(row.region_ids),
  minTier: row.min_tier, validFrom: row.valid_from, validTo: row.valid_to, validDays: row.valid_days, stacking: row.stacking, stacksWith: jsonList(row.stacks_with) ?? [],
  restoreOnReturn: row.restore_on_return === 1, autoIssue: row.auto_issue === 'registration' ? 'registration' : null,
  maxIssued: row.max_issued === null ? null : Number(row.max_issued), maxRedeemedValue: row.max_redeemed_value === null ? null : Number(row.max_redeemed_value),
  issuedCount: Number(row.issued_count), redeemedValue: Number(row.redeemed_value), status: row.status,
})

/** A code shown to someone who may not redeem it (a template's list for a till): enough to tell coupons apart, not to use one. */
export const maskCode = (code: string): string => `${'*'.repeat(Math.max(code.length - 4, 4))}${code.slice(-4)}`

const toView = (row: CouponsTable, template: Pick<CouponTemplatesTable, 'name' | 'kind'>, memberCardNo: string | null = null): CouponView => ({
  id: row.id, code: row.code, qrPayload: `${QR_PREFIX}${row.code}`, templateId: row.template_id, templateName: template.name, kind: template.kind, value: Number(row.value),
  memberId: row.member_id, memberCardNo, status: row.status, validFrom: row.valid_from, validTo: row.valid_to, issuedAt: row.issued_at, source: row.source, issuedBy: row.issued_by,
  usedAt: row.used_at, usedReceiptId: row.used_receipt_id, usedStoreId: row.used_store_id, discount: Number(row.discount), bonusPoints: row.bonus_points,
  voidedAt: row.voided_at, voidedBy: row.voided_by, voidReason: row.void_reason,
})

const templateRow = (input: TemplateInput): Omit<CouponTemplatesTable, 'id' | 'issued_count' | 'redeemed_value' | 'status' | 'created_by' | 'created_at' | 'updated_at'> => ({
  name: input.name.trim(), description: input.description?.trim() || null, kind: input.kind, value: input.value, max_discount: input.maxDiscount ?? null,
  min_spend: input.minSpend ?? 0, free_sku: input.freeSku?.trim() || null, scope: input.scope ? JSON.stringify(input.scope) : null,
  store_ids: input.storeIds ? JSON.stringify(input.storeIds) : null, region_ids: input.regionIds ? JSON.stringify(input.regionIds) : null,
  min_tier: input.minTier ?? null, valid_from: input.validDays != null ? null : input.validFrom ?? null, valid_to: input.validDays != null ? null : input.validTo ?? null,
  valid_days: input.validDays ?? null, stacking: input.stacking ?? 'none', stacks_with: input.stacking === 'listed' ? JSON.stringify(input.stacksWith ?? []) : null,
  restore_on_return: input.restoreOnReturn ? 1 : 0, auto_issue: input.autoIssue ?? null, max_issued: input.maxIssued ?? null, max_redeemed_value: input.maxRedeemedValue ?? null,
})

/** Bulk issues write this many coupons per transaction: an interruption loses at most one chunk, and a re-run finishes the rest. */
const ISSUE_CHUNK = 2_000
const MAX_BULK = 200_000

export const createCouponsService = ({ db, engine, audit, clock, timezone, loyalty, members }: CouponsDeps) => {
  const now = () => clock.now().toISOString()
  const today = () => dateIn(clock.now(), timezone)

  const templateById = async (conn: Db | Trx, id: string): Promise<CouponTemplatesTable> => {
    const row = await repo.findTemplate(conn, id)
    if (!row) throw notFound('COUPON_TEMPLATE_NOT_FOUND', [{ field: 'templateId', reason: 'no such coupon template' }])
    return row
  }

  const checkTemplate = async (conn: Db | Trx, input: TemplateInput, selfId: string | null) => {
    const cfg = await loyalty.config()
    const details = validateTemplate(input, cfg.tiers.map((t) => t.code))
    if (input.storeIds?.length) {
      const found = await storesByIds(conn, input.storeIds)
      const missing = input.storeIds.filter((id) => !found.some((f) => f.id === id))
      if (missing.length) details.push({ field: 'storeIds', reason: `no such store: ${missing.join(', ')}` })
    }
    if (input.regionIds?.length) {
      const found = await regionsByIds(conn, input.regionIds)
      const missing = input.regionIds.filter((id) => !found.some((f) => f.id === id))
      if (missing.length) details.push({ field: 'regionIds', reason: `no such region: ${missing.join(', ')}` })
    }
    if (input.stacking === 'listed' && input.stacksWith?.length) {
      const others = input.stacksWith.filter((id) => id !== selfId)
      const found = await repo.existingTemplateIds(conn, others)
      const missing = others.filter((id) => !found.has(id))
      if (missing.length) details.push({ field: 'stacksWith', reason: `no such template: ${missing.join(', ')}` })
    }
    if (input.kind === 'free_item' && typeof input.freeSku === 'string' && input.freeSku.trim()) {
      if (!(await findProductsBySkus(conn, [input.freeSku.trim()])).has(input.freeSku.trim())) details.push({ field: 'freeSku', reason: 'no product with this SKU' })
    }
    if (details.length) throw unprocessable('VALIDATION', details)
  }

  const listTemplates = async (actor: Actor, filter: { status?: TemplateStatus } = {}): Promise<CouponTemplate[]> => {
    assertCan(actor, 'rewards.read')
    return (await repo.listTemplates(db, filter)).map(toTemplate)
  }

  const getTemplate = async (actor: Actor, id: string): Promise<CouponTemplate> => {
    assertCan(actor, 'rewards.read')
    return toTemplate(await templateById(db, id))
  }

  const createTemplate = async (actor: Actor, input: TemplateInput): Promise<CouponTemplate> => {
    assertCan(actor, 'rewards.manage')
    await checkTemplate(db, input, null)
    const at = now()
    const row: CouponTemplatesTable = {
      id: newId('ctp'), ...templateRow(input), issued_count: 0, redeemed_value: 0, status: 'active', created_by: actorName(actor), created_at: at, updated_at: at,
    }
    await db.transaction().execute(async (trx) => {
      await repo.insertTemplate(trx, row)
      await audit.record(trx, actor, { action: 'coupon.template.create', entityType: 'coupon_template', entityId: row.id, changes: { after: input } })
    })
    return toTemplate(row)
  }

  /** Changes a template; coupons already issued keep their face value and validity, and follow its other rules. */
  const updateTemplate = async (actor: Actor, id: string, input: TemplateInput): Promise<CouponTemplate> => {
    assertCan(actor, 'rewards.manage')
    const before = await templateById(db, id)
    if (before.status === 'archived') throw conflict('COUPON_TEMPLATE_ARCHIVED', [{ field: 'id', reason: 'an archived template cannot change' }])
    if (before.issued_count > 0 && input.kind !== before.kind) throw conflict('COUPON_TEMPLATE_IN_USE', [{ field: 'kind', reason: 'coupons of this template were issued: its kind cannot change' }])
    await checkTemplate(db, input, id)
    const changes = templateRow(input)
    if (changes.max_issued !== null && changes.max_issued < before.issued_count) {
      throw unprocessable('VALIDATION', [{ field: 'maxIssued', reason: `${before.issued_count} are issued already` }])
    }
    return db.transaction().execute(async (trx) => {
      // The checks above, again in the update itself: an issue or an archive may have come in between.
      const row = await repo.updateTemplateIfStill(trx, id, changes, now())
      if (!row) throw conflict('COUPON_TEMPLATE_IN_USE', [{ field: 'id', reason: 'the template changed meanwhile (coupons issued, or archived): reload it and try again' }])
      await audit.record(trx, actor, { action: 'coupon.template.update', entityType: 'coupon_template', entityId: id, changes: diffFields(toTemplate(before) as never, toTemplate(row) as never) })
      return toTemplate(row)
    })
  }

  /** Pause (no new issues or uses), resume, or archive (for good). */
  const setTemplateStatus = async (actor: Actor, id: string, status: TemplateStatus): Promise<CouponTemplate> => {
    assertCan(actor, 'rewards.manage')
    const before = await templateById(db, id)
    if (before.status === 'archived' && status !== 'archived') throw conflict('COUPON_TEMPLATE_ARCHIVED', [{ field: 'status', reason: 'an archived template cannot be used again' }])
    return db.transaction().execute(async (trx) => {
      const row = await repo.setTemplateStatus(trx, id, status, now())
      if (!row) throw conflict('COUPON_TEMPLATE_ARCHIVED', [{ field: 'status', reason: 'an archived template cannot be used again' }])
      await audit.record(trx, actor, { action: 'coupon.template.status', entityType: 'coupon_template', entityId: id, changes: { status: { before: before.status, after: status } } })
      return toTemplate(row)
    })
  }

  /**
   * Issues one coupon inside the caller's transaction (a rebate's run, a draw's prize): counts it
   * against the template's budget; `inserted` is false when the key issued it already.
   */
  const issueInTrx = async (trx: Trx, input: IssueInTrxInput): Promise<{ id: string; code: string; inserted: boolean }> => {
    const existing = await repo.findIssued(trx, input)
    if (existing) return { ...existing, inserted: false }
    const template = await repo.findTemplate(trx, input.templateId)
    if (!template) throw unprocessable('COUPON_TEMPLATE_NOT_FOUND', [{ field: 'templateId', reason: 'no such coupon template' }])
    if (template.status !== 'active') throw conflict('COUPON_TEMPLATE_INACTIVE', [{ field: 'templateId', reason: `the template is ${template.status}` }])
    if (!(await repo.countIssued(trx, template.id, 1))) throw conflict('COUPON_BUDGET_EXHAUSTED', [{ field: 'templateId', reason: `all ${template.max_issued} coupons of this template are issued` }])
    const validity = validityOf(template, today())
    for (let attempt = 0; ; attempt++) {
      const row = newCoupon(template, input.memberId, input.issueKey, input.source, input.issuedBy, input.at, validity, input.value)
      try {
        await repo.insertCoupon(trx, row)
        return { id: row.id, code: row.code, inserted: true }
      } catch (err) {
        // 80 random bits collide essentially never; a retry covers it without failing the caller.
        if (attempt < 2 && engine === 'sqlite' && isUniqueViolation(err, 'code')) continue
        throw err
      }
    }
  }

  const newCoupon = (template: CouponTemplatesTable, memberId: string, issueKey: string, source: CouponSource, issuedBy: string | null, at: string,
    validity: { from: string; to: string }, value?: number): CouponsTable => ({
    id: newId('cpn'), code: randomCode(), template_id: template.id, member_id: memberId, status: 'issued', value: value ?? Number(template.value),
    issue_key: issueKey, source, issued_by: issuedBy, issued_at: at, valid_from: validity.from, valid_to: validity.to, used_at: null, used_receipt_id: null,
    used_store_id: null, discount: 0, bonus_points: 0, voided_at: null, voided_by: null, void_reason: null, expired_at: null, restored_at: null,
  })

  const liveMember = async (conn: Db | Trx, memberId: string) => {
    const member = await members.internals.resolve(conn, { id: memberId })
    if (!member) throw notFound('MEMBER_NOT_FOUND', [{ field: 'memberId', reason: 'no such member' }])
    return member
  }

  /** A coupon to one member by staff (goodwill, a complaint), audited; the same issueKey gives the same coupon. */
  const issueOne = async (actor: Actor, input: { templateId: string; memberId: string; issueKey?: string; note?: string }): Promise<CouponView> => {
    assertCan(actor, 'rewards.issue')
    const member = await liveMember(db, input.memberId)
    assertInScope(actor, member.registration_store_id)
    if (member.status !== 'active') throw conflict('MEMBER_NOT_ACTIVE', [{ field: 'memberId', reason: `the member is ${member.status}` }])
    const template = await templateById(db, input.templateId)
    const key = input.issueKey?.trim() || `staff:${newId('cpn')}`
    if (key.length > 100) throw unprocessable('VALIDATION', [{ field: 'issueKey', reason: 'at most 100 characters' }])
    const at = now()
    const issue = () => db.transaction().execute(async (trx) => {
      const r = await issueInTrx(trx, { templateId: template.id, memberId: member.id, issueKey: key, source: 'staff', issuedBy: actorName(actor), at })
      if (r.inserted) {
        await audit.record(trx, actor, {
          action: 'coupon.issue', entityType: 'member', entityId: member.id, storeId: member.registration_store_id,
          changes: { templateId: template.id, template: template.name, couponId: r.id, note: input.note ?? null },
        })
      }
      return r
    })
    let issued: { id: string }
    try {
      issued = await issue()
    } catch (err) {
      // A double click on PostgreSQL: both clicks found no coupon for the key and the second's
      // insert met the first's; that transaction is gone, so ask again and get the first coupon.
      if (!isUniqueViolation(err)) throw err
      const first = await repo.findIssued(db, { templateId: template.id, memberId: member.id, issueKey: key })
      if (!first) throw err
      issued = first
    }
    const row = await repo.findCoupon(db, issued.id)
    return toView(row!, template)
  }

  /**
   * Issues a template to many members (an uploaded list, later a segment). Keys are member ids,
   * cards, phones or external codes; each member gets one coupon per issueKey, so a re-run (after
   * an interruption, or by mistake) issues only to those without one. Chunks commit on their own.
   */
  const issueBulk = async (actor: Actor, input: { templateId: string; issueKey: string; keys: string[]; sourceName?: string },
    hooks: { afterChunk?: (done: number) => void | Promise<void>; chunkSize?: number } = {}): Promise<BulkIssueResult> => {
    assertCan(actor, 'rewards.issue')
    const details: ErrorDetail[] = []
    const issueKey = typeof input.issueKey === 'string' ? input.issueKey.trim() : ''
    if (issueKey.length < 1 || issueKey.length > 100) details.push({ field: 'issueKey', reason: '1 to 100 characters: a re-run with the same key issues nothing twice' })
    if (!Array.isArray(input.keys) || input.keys.length === 0 || input.keys.length > MAX_BULK) details.push({ field: 'keys', reason: `1 to ${MAX_BULK.toLocaleString('en')} member keys` })
    if (details.length) throw unprocessable('VALIDATION', details)
    const template = await templateById(db, input.templateId)
    if (template.status !== 'active') throw conflict('COUPON_TEMPLATE_INACTIVE', [{ field: 'templateId', reason: `the template is ${template.status}` }])
    const errors: BulkIssueResult['errors'] = []
    const resolved = await members.internals.resolveKeys(db, input.keys.map((k) => String(k)))
    const memberIds: string[] = []
    const seen = new Set<string>()
    // Frozen members keep what they have but get nothing new.
    const inactive = new Set<string>()
    let duplicates = 0
    input.keys.forEach((raw, i) => {
      const key = String(raw).trim()
      const member = resolved.get(String(raw))
      if (key === '') errors.push({ line: i + 1, value: '', code: 'empty', reason: 'empty' })
      else if (!member) errors.push({ line: i + 1, value: key.slice(0, 64), code: 'unknown_member', reason: 'no member with this id, card, phone or code' })
      else if (seen.has(member.id)) duplicates++
      else {
        seen.add(member.id)
        memberIds.push(member.id)
        if (member.status !== 'active') inactive.add(member.id)
      }
    })
    await assertKeysInScope(actor, input.keys, resolved)
    const already = new Set<string>()
    for (let i = 0; i < memberIds.length; i += 1000) {
      for (const id of await repo.membersIssued(db, template.id, issueKey, memberIds.slice(i, i + 1000))) already.add(id)
    }
    const todo = memberIds.filter((id) => !already.has(id) && !inactive.has(id))
    if (template.max_issued !== null && Number(template.issued_count) + todo.length > Number(template.max_issued)) {
      throw conflict('COUPON_BUDGET_EXHAUSTED', [{ field: 'keys', reason: `${todo.length} to issue but only ${Number(template.max_issued) - Number(template.issued_count)} left in the budget` }])
    }
    const at = now()
    const runId = newId('cis')
    await repo.insertIssueRun(db, {
      id: runId, template_id: template.id, issue_key: issueKey, source_name: (input.sourceName ?? 'list').slice(0, 200), status: 'running', total: input.keys.length,
      issued: 0, skipped: already.size + duplicates + inactive.size, failed: errors.length, errors: JSON.stringify(errors.slice(0, 1000)), error_message: null,
      created_by: actorName(actor), store_id: homeStoreId(actor), created_at: at, finished_at: null,
    })
    const validity = validityOf(template, today())
    let issued = 0
    try {
      const size = hooks.chunkSize ?? ISSUE_CHUNK
      for (let i = 0; i < todo.length; i += size) {
        const chunk = todo.slice(i, i + size)
        const n = await db.transaction().execute(async (trx) => {
          const rows = chunk.map((memberId) => newCoupon(template, memberId, issueKey, 'bulk', actorName(actor), at, validity))
          let inserted = 0
          const per = Math.floor(10_000 / Object.keys(rows[0]!).length)
          for (let k = 0; k < rows.length; k += per) {
            inserted += await repo.insertCouponsUnlessIssued(trx, rows.slice(k, k + per))
          }
          if (!(await repo.countIssued(trx, template.id, inserted))) throw conflict('COUPON_BUDGET_EXHAUSTED', [{ field: 'keys', reason: 'the budget ran out during the issue' }])
          await repo.addIssueProgress(trx, runId, inserted, chunk.length - inserted)
          return inserted
        })
        issued += n
        await hooks.afterChunk?.(issued)
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      // The chunks committed before the failure issued coupons: the audit trail says so too.
      await db.transaction().execute(async (trx) => {
        await repo.finishIssueRun(trx, runId, { status: 'failed', error_message: message.slice(0, 500), finished_at: now() })
        if (issued > 0) {
          await audit.record(trx, actor, {
            action: 'coupon.issue.bulk', entityType: 'coupon_template', entityId: template.id,
            changes: { runId, issueKey, keys: input.keys.length, issued, failedWith: message.slice(0, 200) },
          })
        }
      })
      throw err
    }
    await db.transaction().execute(async (trx) => {
      await repo.finishIssueRun(trx, runId, { status: 'completed', finished_at: now() })
      await audit.record(trx, actor, {
        action: 'coupon.issue.bulk', entityType: 'coupon_template', entityId: template.id,
        changes: { runId, issueKey, keys: input.keys.length, issued, skipped: already.size + duplicates + inactive.size + (todo.length - issued), failed: errors.length },
      })
    })
    return getIssue(runId)
  }

  /**
   * A store's staff issue to their own store's members only: a list naming members of another
   * store is refused whole, naming the lines, before anything is issued.
   */
  const assertKeysInScope = async (actor: Actor, keys: readonly string[], resolved: Map<string, { id: string }>) => {
    if (isChainWide(actor)) return
    const ids = [...new Set([...resolved.values()].map((m) => m.id))]
    const outside = new Set<string>()
    for (const [id, storeId] of await findRegistrationStores(db, ids)) if (!isInScope(actor, storeId)) outside.add(id)
    if (outside.size === 0) return
    const details: ErrorDetail[] = []
    keys.forEach((raw, i) => {
      const m = resolved.get(String(raw))
      if (m && outside.has(m.id) && details.length < 20) details.push({ field: `keys.${i}`, reason: 'a member of another store' })
    })
    throw forbidden('OUT_OF_STORE_SCOPE', details, `${outside.size} of these members belong to another store; a store issues to its own members`)
  }

  const getIssue = async (id: string): Promise<BulkIssueResult> => {
    const r = await repo.findIssueRun(db, id)
    if (!r) throw notFound('COUPON_ISSUE_NOT_FOUND', [{ field: 'id', reason: 'no such issue run' }])
    return { id: r.id, templateId: r.template_id, issueKey: r.issue_key, total: r.total, issued: r.issued, skipped: r.skipped, failed: r.failed, errors: JSON.parse(r.errors), status: r.status }
  }

  const listIssues = async (actor: Actor, templateId: string): Promise<Array<BulkIssueResult & { sourceName: string; createdBy: string | null; createdAt: string; finishedAt: string | null; errorMessage: string | null }>> => {
    assertCan(actor, 'rewards.read')
    await templateById(db, templateId)
    // A run's errors quote the keys it was given (phones among them): a store sees its own runs.
    const rows = await repo.issueRunsOfTemplate(db, templateId, actor, 100)
    return rows.map((r) => ({
      id: r.id, templateId: r.template_id, issueKey: r.issue_key, total: r.total, issued: r.issued, skipped: r.skipped, failed: r.failed, errors: JSON.parse(r.errors),
      status: r.status, sourceName: r.source_name, createdBy: r.created_by, createdAt: r.created_at, finishedAt: r.finished_at, errorMessage: r.error_message,
    }))
  }

  const withTemplates = async (rows: CouponsTable[]): Promise<CouponView[]> => {
    if (rows.length === 0) return []
    const ids = [...new Set(rows.map((r) => r.template_id))]
    const templates = new Map((await repo.templateLabels(db, { ids })).map((t) => [t.id, t]))
    const memberIds = [...new Set(rows.map((r) => r.member_id))]
    const labels = await findMemberLabels(db, memberIds)
    return rows.map((r) => toView(r, templates.get(r.template_id)!, labels.get(r.member_id)?.cardNo ?? null))
  }

  /** A member's coupons, the usable ones first, then the newest. */
  const memberCoupons = async (actor: Actor, memberId: string, filter: { status?: CouponStatus } = {}): Promise<CouponView[]> => {
    assertCan(actor, 'rewards.read')
    const member = await liveMember(db, memberId)
    const views = await withTemplates(await repo.couponsOfMember(db, member.id, { status: filter.status, limit: 500 }))
    const rank = (v: CouponView) => (v.status === 'issued' && v.validTo >= today() ? 0 : 1)
    return views.sort((a, b) => rank(a) - rank(b))
  }

  /** The coupons of one template (its detail page), newest first. */
  const templateCoupons = async (actor: Actor, templateId: string, page: { status?: CouponStatus; cursor?: string; limit?: number } = {}): Promise<{ items: CouponView[]; nextCursor: string | null }> => {
    assertCan(actor, 'rewards.read')
    await templateById(db, templateId)
    const limit = Math.min(Math.max(page.limit ?? 50, 1), 200)
    // A store's staff see their own store's members' coupons; codes only for those who manage
    // coupons (a till redeems the code a member shows, never one read off this list).
    const rows = await repo.couponsOfTemplate(db, templateId, { status: page.status, cursor: page.cursor, limit: limit + 1, memberIds: memberIdsInScope(db, actor) })
    const views = await withTemplates(rows.slice(0, limit))
    const items = can(actor, 'rewards.issue') ? views : views.map((v) => ({ ...v, code: maskCode(v.code), qrPayload: maskCode(v.qrPayload) }))
    return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
  }

  const byCode = async (actor: Actor, code: string): Promise<CouponView> => {
    assertCan(actor, 'rewards.read')
    const row = await repo.findCouponByCode(db, normalizeCode(code))
    if (!row) throw notFound('COUPON_NOT_FOUND', [{ field: 'code', reason: 'no coupon has this code' }])
    return (await withTemplates([row]))[0]!
  }

  /** Voids an unused coupon (issued by mistake, a member's complaint settled otherwise), with the reason; audited. */
  const voidCoupon = async (actor: Actor, id: string, reasonText: string): Promise<CouponView> => {
    assertCan(actor, 'rewards.issue')
    const reason = typeof reasonText === 'string' ? reasonText.trim() : ''
    if (reason.length < 2 || reason.length > 200) throw unprocessable('VALIDATION', [{ field: 'reason', reason: 'say why, in 2 to 200 characters' }])
    const row = await repo.findCoupon(db, id)
    if (!row) throw notFound('COUPON_NOT_FOUND', [{ field: 'id', reason: 'no such coupon' }])
    const owner = await findMemberState(db, row.member_id)
    assertInScope(actor, owner?.registration_store_id ?? null, 'coupon')
    const at = now()
    const updated = await db.transaction().execute(async (trx) => {
      const done = await repo.voidCoupon(trx, id, { at, by: actorName(actor), reason })
      if (!done) throw conflict('COUPON_NOT_VOIDABLE', [{ field: 'id', reason: `the coupon is ${row.status}` }])
      await audit.record(trx, actor, { action: 'coupon.void', entityType: 'member', entityId: row.member_id, storeId: owner?.registration_store_id ?? null, changes: { couponId: id, code: row.code, reason, before: row.status } })
      return done
    })
    return (await withTemplates([updated]))[0]!
  }

  /** Marks unused coupons whose last day has passed as expired (the daily job). */
  const expireDue = async (): Promise<{ expired: number }> => {
    return { expired: await repo.expireCoupons(db, today(), now()) }
  }

  /** Per template: issued, used, expired, voided, the redemption rate, the discount given and the sales on receipts that used it. */
  const report = async (actor: Actor, filter: { templateId?: string } = {}): Promise<TemplateReport[]> => {
    assertCan(actor, 'rewards.reports')
    const templates = await repo.templateLabels(db, filter.templateId ? { ids: [filter.templateId] } : {})
    if (templates.length === 0) {
      if (filter.templateId) throw notFound('COUPON_TEMPLATE_NOT_FOUND', [{ field: 'templateId', reason: 'no such coupon template' }])
      return []
    }
    const ids = templates.map((t) => t.id)
    // A store's manager reads the figures of their own store's members' coupons (as the liability report).
    const counts = await repo.countsByTemplate(db, ids, memberIdsInScope(db, actor))
    // A receipt with two coupons of different templates counts for each; per template once.
    const sales = await couponSalesByTemplate(db, ids, actor)
    return templates.map((t) => {
      const mine = counts.filter((c) => c.template_id === t.id)
      const n = (s: CouponStatus) => Number(mine.find((c) => c.status === s)?.n ?? 0)
      const issued = mine.reduce((a, c) => a + Number(c.n), 0)
      const used = n('used')
      const s = sales.find((x) => x.template_id === t.id)
      return {
        templateId: t.id, name: t.name, kind: t.kind, issued, unused: n('issued'), used, expired: n('expired'), voided: n('voided'),
        redemptionRate: issued ? Math.round((used / issued) * 10_000) / 10_000 : 0,
        discountGiven: Number(mine.find((c) => c.status === 'used')?.discount ?? 0), bonusPoints: Number(mine.find((c) => c.status === 'used')?.bonus ?? 0),
        receipts: Number(s?.receipts ?? 0), sales: Number(s?.sales ?? 0),
      }
    })
  }

  // ---- the till: a basket's coupons, consumed by the receipt's commit -------------------------

  const toCouponOnBasket = (r: repo.BasketRow): CouponOnBasket => ({
    code: r.c_code, memberId: r.c_member_id, status: r.c_status, value: Number(r.c_value), validFrom: r.c_valid_from, validTo: r.c_valid_to, template: toTemplate(r),
  })

  /** The coupons named by codes, with their templates (missing codes marked), read in `conn`. */
  const loadForBasket = async (conn: Db | Trx, codes: readonly string[]): Promise<Array<CouponOnBasket | { code: string; missing: true }>> => {
    const wanted = codes.map(normalizeCode)
    if (wanted.length === 0) return []
    const rows = await repo.basketCouponsByCode(conn, wanted)
    return wanted.map((code) => {
      const r = rows.find((x) => x.c_code === code)
      return r ? toCouponOnBasket(r) : { code, missing: true as const }
    })
  }

  /** A member's unused coupons valid on `date` (what the till offers). */
  const usableForMember = async (conn: Db | Trx, memberId: string, date: string): Promise<CouponOnBasket[]> =>
    (await repo.basketCouponsOfMember(conn, memberId, date, 50)).map(toCouponOnBasket)

  /**
   * Marks applied coupons used by a receipt, inside its transaction. The update only takes a coupon
   * still unused, so of two tills committing one coupon at once exactly one succeeds (on PostgreSQL
   * the second waits for the first's row lock, then finds it used).
   */
  const redeemForReceipt = async (trx: Trx, applied: Array<{ code: string; discount: number; bonusPoints: number; field: string; budgeted: boolean }>, receipt: { id: string; storeId: string; date: string }, at: string): Promise<void> => {
    for (const a of applied) {
      // An offline till's receipt from before a coupon expired may still use it.
      const row = await repo.useCoupon(trx, a.code, { receiptId: receipt.id, storeId: receipt.storeId, date: receipt.date, at, discount: a.discount, bonusPoints: a.bonusPoints })
      if (!row) throw conflict('COUPON_ALREADY_USED', [{ field: a.field, reason: `coupon ${a.code} was used already (or voided) a moment ago` }])
      // Only a template with a budget counts what it gave, so unbudgeted coupons never queue on one template row.
      if (a.budgeted && a.discount > 0) {
        if (!(await repo.countRedeemed(trx, row.template_id, a.discount))) throw conflict('COUPON_BUDGET_EXHAUSTED', [{ field: a.field, reason: 'the budget of this coupon template is used up' }])
      }
    }
  }

  /**
   * A return of everything a receipt sold gives back the coupons it used, where their template
   * says so (expired ones come back expired); returns the codes given back.
   */
  const restoreForReceipt = async (trx: Trx, receiptId: string, date: string, at: string): Promise<Array<{ code: string; name: string }>> => {
    const used = await repo.restorableOfReceipt(trx, receiptId)
    for (const c of used) {
      const expired = c.valid_to < date
      await repo.restoreCoupon(trx, c.id, expired, at)
      if (c.max_redeemed_value !== null && Number(c.discount) > 0) {
        await repo.uncountRedeemed(trx, c.template_id, Number(c.discount))
      }
    }
    return used.map((c) => ({ code: c.code, name: c.name }))
  }

  /**
   * A campaign's (or a journey's) coupon for one recipient, in its own transaction: the run's (or
   * step's) key issues it once, so a repeat returns the same coupon.
   */
  const issueForCampaign = async (input: { templateId: string; memberId: string; issueKey: string; source?: 'campaign' | 'journey' }): Promise<{ id: string; code: string; validTo: string | null }> => {
    let issued: { id: string; code: string }
    try {
      issued = await db.transaction().execute((trx) => issueInTrx(trx, { templateId: input.templateId, memberId: input.memberId, issueKey: input.issueKey, source: input.source ?? 'campaign', issuedBy: null, at: now() }))
    } catch (err) {
      // Two workers on one recipient (PostgreSQL): the second's insert met the first's; take the first's coupon.
      if (!isUniqueViolation(err)) throw err
      const first = await repo.findIssued(db, input)
      if (!first) throw err
      issued = first
    }
    // The coupon's own last day (a template valid N days from issue has none of its own).
    const row = await repo.findCoupon(db, issued.id)
    return { id: issued.id, code: issued.code, validTo: row?.valid_to ?? null }
  }

  const issueWelcome = async (input: { memberId: string; at: string; registeredAt: string }): Promise<{ issued: number }> => {
    const templates = await repo.welcomeTemplateIds(db, input.registeredAt)
    let issued = 0
    for (const id of templates) {
      try {
        const r = await db.transaction().execute((trx) => issueInTrx(trx, { templateId: id, memberId: input.memberId, issueKey: 'registration', source: 'rule', issuedBy: null, at: input.at }))
        if (r.inserted) issued++
      } catch (err) {
        // A spent budget ends the welcome coupons quietly; a paused or archived template meanwhile too.
        if (!(err instanceof DomainError && (err.code === 'COUPON_BUDGET_EXHAUSTED' || err.code === 'COUPON_TEMPLATE_INACTIVE'))) throw err
      }
    }
    return { issued }
  }

  /**
   * A check (the daily `coupons.welcome` job): members who registered (not imported) more than an
   * hour ago, after a welcome template with budget left was created, and have no coupon of it. The
   * coupon is queued in the registration's transaction, so there should be none; it repairs nothing.
   */
  const findMissedWelcomes = async (): Promise<{ missing: number; members: Array<{ memberId: string; templateId: string }> }> => {
    const settled = new Date(clock.now().getTime() - 3_600_000).toISOString()
    const templates = await repo.welcomeTemplatesWithBudget(db)
    const members: Array<{ memberId: string; templateId: string }> = []
    for (const t of templates) {
      const missed = await membersWithoutWelcome(db, t.id, t.created_at, settled, 1000)
      members.push(...missed.map((m) => ({ memberId: m.id, templateId: t.id })))
    }
    return { missing: members.length, members: members.slice(0, 100) }
  }

  /** issued = unused + used + expired + voided, per template, within its budgets, and every used coupon names its receipt. */
  const verify = async (): Promise<RewardsMismatch[]> => {
    const out: RewardsMismatch[] = []
    const counts = await repo.statusCounts(db)
    const templates = await repo.templateBudgets(db)
    for (const t of templates) {
      const mine = counts.filter((c) => c.template_id === t.id)
      const byStatus = (s: string) => Number(mine.find((c) => c.status === s)?.n ?? 0)
      const total = mine.reduce((a, c) => a + Number(c.n), 0)
      const known = byStatus('issued') + byStatus('used') + byStatus('expired') + byStatus('voided')
      if (Number(t.issued_count) !== total) out.push({ area: 'coupons', id: t.id, problem: `issued count ${t.issued_count} but ${total} coupons exist` })
      if (known !== total) out.push({ area: 'coupons', id: t.id, problem: `${total - known} coupons in no known status` })
      if (t.max_issued !== null && total > Number(t.max_issued)) out.push({ area: 'coupons', id: t.id, problem: `${total} issued beyond the budget of ${t.max_issued}` })
      if (t.max_redeemed_value !== null) {
        const given = Number(mine.find((c) => c.status === 'used')?.discount ?? 0)
        if (given !== Number(t.redeemed_value)) out.push({ area: 'coupons', id: t.id, problem: `redeemed value ${t.redeemed_value} but used coupons took off ${given}` })
        if (given > Number(t.max_redeemed_value)) out.push({ area: 'coupons', id: t.id, problem: `${given} fen given beyond the budget of ${t.max_redeemed_value}` })
      }
    }
    const orphans = await usedCouponsWithoutReceipt(db, 100)
    for (const o of orphans) out.push({ area: 'coupons', id: o.id, problem: 'used, but on no receipt' })
    // Each used coupon is a coupon tender of its receipt with the same amount.
    const mismatched = await couponTenderMismatches(db, 100)
    for (const m of mismatched) out.push({ area: 'coupons', id: m.id, problem: m.amount === null ? 'used, but its receipt has no tender for it' : `took off ${m.discount} but its tender says ${m.amount}` })
    return out
  }

  return {
    listTemplates, getTemplate, createTemplate, updateTemplate, setTemplateStatus, issueOne, issueBulk, listIssues, getIssue: async (actor: Actor, id: string) => {
      assertCan(actor, 'rewards.read')
      return getIssue(id)
    },
    memberCoupons, templateCoupons, byCode, voidCoupon, expireDue, issueWelcome, issueForCampaign, findMissedWelcomes, report, verify,
    /** the till: a receipt's coupons used in its transaction, and given back by its return */
    redeemForReceipt, restoreForReceipt,
    internals: { issueInTrx, loadForBasket, usableForMember },
  }
}

export type CouponsService = ReturnType<typeof createCouponsService>
