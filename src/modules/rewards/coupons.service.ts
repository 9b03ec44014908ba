import { sql } from 'kysely'
import type { Db, Engine, Trx } from '../../db/database.js'
import { isUniqueViolation } from '../../db/errors.js'
import type { AuditService } from '../audit/index.js'
import type { Clock } from '../../shared/clock.js'
import { conflict, unprocessable } from '../../shared/errors.js'
import type { EventBus } from '../../shared/events.js'
import { newId } from '../../shared/ids.js'
import { dateIn } from '../../shared/time.js'
import type { LoyaltyService } from '../loyalty/index.js'
import type { CouponSource, CouponTemplatesTable } from './coupons.table.js'
import { addDays, randomCode, type RewardsMismatch } from './rewards-rules.js'

export interface CouponsDeps {
  db: Db
  engine: Engine
  audit: AuditService
  clock: Clock
  timezone: string
  loyalty: LoyaltyService
  events?: EventBus
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

/** The validity of a coupon issued on `today` under a template: fixed dates, or N days from issue. */
export const validityOf = (template: Pick<CouponTemplatesTable, 'valid_from' | 'valid_to' | 'valid_days'>, today: string): { from: string; to: string } => {
  if (template.valid_days !== null) return { from: today, to: addDays(today, template.valid_days - 1) }
  return { from: template.valid_from ?? today, to: template.valid_to ?? '9999-12-31' }
}

export const createCouponsService = ({ db, engine, clock, timezone }: CouponsDeps) => {
  const today = () => dateIn(clock.now(), timezone)

  /**
   * Issues one coupon inside the caller's transaction (a rebate's run, a draw's prize): counts it
   * against the template's budget; `inserted` is false when the key issued it already.
   */
  const issueInTrx = async (trx: Trx, input: IssueInTrxInput): Promise<{ id: string; code: string; inserted: boolean }> => {
    const existing = await trx.selectFrom('coupons').select(['id', 'code']).where('template_id', '=', input.templateId)
      .where('member_id', '=', input.memberId).where('issue_key', '=', input.issueKey).executeTakeFirst()
    if (existing) return { ...existing, inserted: false }
    const template = await trx.selectFrom('coupon_templates').selectAll().where('id', '=', input.templateId).executeTakeFirst()
    if (!template) throw unprocessable('COUPON_TEMPLATE_NOT_FOUND', [{ field: 'templateId', reason: 'no such coupon template' }])
    if (template.status !== 'active') throw conflict('COUPON_TEMPLATE_INACTIVE', [{ field: 'templateId', reason: `the template is ${template.status}` }])
    const counted = await trx.updateTable('coupon_templates').set({ issued_count: sql`issued_count + 1` })
      .where('id', '=', template.id).where((eb) => eb.or([eb('max_issued', 'is', null), eb('issued_count', '<', eb.ref('max_issued'))]))
      .returning('id').executeTakeFirst()
    if (!counted) throw conflict('COUPON_BUDGET_EXHAUSTED', [{ field: 'templateId', reason: `all ${template.max_issued} coupons of this template are issued` }])
    const validity = validityOf(template, today())
    for (let attempt = 0; ; attempt++) {
      const row = {
        id: newId('cpn'), code: randomCode(), template_id: template.id, member_id: input.memberId, status: 'issued' as const,
        value: input.value ?? template.value, issue_key: input.issueKey, source: input.source, issued_by: input.issuedBy, issued_at: input.at,
        valid_from: validity.from, valid_to: validity.to, used_at: null, used_receipt_id: null, used_store_id: null, discount: 0, bonus_points: 0,
        voided_at: null, voided_by: null, void_reason: null, expired_at: null, restored_at: null,
      }
      try {
        await trx.insertInto('coupons').values(row).execute()
        return { id: row.id, code: row.code, inserted: true }
      } catch (err) {
        // 80 random bits collide essentially never; a retry covers it without failing the caller.
        if (attempt < 2 && engine === 'sqlite' && isUniqueViolation(err)) continue
        throw err
      }
    }
  }

  /** issued = unused + used + expired + voided, per template, and every used coupon names its receipt. */
  const verify = async (): Promise<RewardsMismatch[]> => {
    const out: RewardsMismatch[] = []
    const counts = await db.selectFrom('coupons').select(['template_id', 'status', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('discount').as('discount')])
      .groupBy(['template_id', 'status']).execute()
    const templates = await db.selectFrom('coupon_templates').select(['id', 'issued_count', 'max_issued', 'redeemed_value', 'max_redeemed_value']).execute()
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
    const orphans = await db.selectFrom('coupons').leftJoin('receipts', 'receipts.id', 'coupons.used_receipt_id').select(['coupons.id'])
      .where('coupons.status', '=', 'used').where('receipts.id', 'is', null).limit(100).execute()
    for (const o of orphans) out.push({ area: 'coupons', id: o.id, problem: 'used, but on no receipt' })
    return out
  }

  return { verify, internals: { issueInTrx } }
}

export type CouponsService = ReturnType<typeof createCouponsService>
