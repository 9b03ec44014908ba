import type { Role } from '../src/modules/auth/index.js'
import type { CreateProductInput } from '../src/modules/catalog/index.js'
import type { ReturnInput } from '../src/modules/transactions/index.js'
import type { DrawInput } from '../src/modules/rewards/draw-rules.js'
import type { GiftInput } from '../src/modules/rewards/gift-rules.js'
import type { ProgrammeInput } from '../src/modules/rewards/rebate-rules.js'
import type { TemplateInput } from '../src/modules/rewards/index.js'
import type { Services } from '../src/services.js'
import type { Actor } from '../src/shared/actor.js'
import { nextReceiptNo, sale, type SaleSpec } from './receipts.js'

// Factories build test data the way the application does: through the services, as the staff
// who would do it, with defaults a test overrides only where it matters. What they return is
// what the service returns.

/** What the factories need of a test context. */
export interface FactoryDeps {
  services: Services
  actors: Record<Exclude<Role, 'region_manager'>, Actor> & { system: Actor }
}

let counter = 0
const next = () => `${process.pid}-${++counter}`

export const factories = ({ services, actors }: FactoryDeps) => {
  const { catalog, coupons, gifts, draws, rebates, receipts } = services

  const product = (input: Partial<CreateProductInput> & { by?: Actor } = {}) => {
    const { by, ...fields } = input
    const sku = fields.sku ?? `SKU-T${next()}`
    return catalog.create(by ?? actors.hq_admin, { name: `测试商品 ${sku}`, listPrice: 1000, ...fields, sku })
  }

  /** A sale posted at the till (cashier of store A by default): one line of 100 yuan paid in cash unless told. */
  const receipt = async (spec: Partial<SaleSpec> & { by?: Actor } = {}) => {
    const { by, ...rest } = spec
    return (await receipts.postSale(by ?? actors.cashier, sale({ lines: [['SKU-T', 1, 10_000]], ...rest }))).result
  }

  /** A return of a posted sale at the desk (the store manager, so no approval is needed): all of it unless lines are given. */
  const returnOf = async (input: Partial<ReturnInput> & { originalReceiptNo: string; by?: Actor }) => {
    const { by, ...rest } = input
    return (await receipts.postReturn(by ?? actors.store_manager, { receiptNo: nextReceiptNo('RT'), reason: 'quality', businessAt: '2026-03-02T01:30:00.000Z', ...rest })).result
  }

  /** A coupon template (满100减10 for 30 days unless told), active unless a status is given. */
  const couponTemplate = async (input: Partial<TemplateInput> & { status?: 'active' | 'paused' | 'archived' } = {}) => {
    const { status, ...fields } = input
    const template = await coupons.createTemplate(actors.hq_marketing, { name: '满100减10', kind: 'threshold', value: 1000, minSpend: 10_000, validDays: 30, ...fields })
    return status && status !== 'active' ? coupons.setTemplateStatus(actors.hq_marketing, template.id, status) : template
  }

  /** A coupon issued to a member at the service desk. */
  const coupon = async (input: { templateId: string; memberId: string; by?: Actor }) =>
    coupons.issueOne(input.by ?? actors.service_agent, { templateId: input.templateId, memberId: input.memberId })

  /** A gift of the catalogue (a 3,000-point flask, central stock), with no stock unless given. */
  const gift = (input: Partial<GiftInput> & { initialStock?: Array<{ location: string; quantity: number }> } = {}) =>
    gifts.create(actors.hq_marketing, { name: '保温杯', pointsPrice: 3000, stockMode: 'central', pickupDays: 14, ...input })

  /** A gift redeemed for a member at the till (the member needs the points). */
  const giftOrder = (input: { giftId: string; memberId: string; quantity?: number; by?: Actor }) => {
    const { by, ...rest } = input
    return gifts.redeem(by ?? actors.cashier, rest)
  }

  /** A draw of March 2026 with one prize of 100 points, active unless told. */
  const draw = async (input: Partial<DrawInput> & { active?: boolean } = {}) => {
    const { active = true, ...fields } = input
    const created = await draws.create(actors.hq_marketing, {
      name: '三月抽奖', startsAt: '2026-03-01T00:00:00.000Z', endsAt: '2026-04-01T00:00:00.000Z', entryPoints: 50,
      noPrizeWeight: 0, fallbackPrize: null, prizes: [{ name: '100积分', kind: 'points', points: 100, stock: 10, weight: 1 }], ...fields,
    })
    return active ? draws.activate(actors.hq_marketing, created.id) : created
  }

  /** A rebate programme on March 2026's spending, paid in points unless told. */
  const rebate = (input: Partial<ProgrammeInput> = {}) =>
    rebates.create(actors.hq_marketing, {
      name: '返利 2026-03', periodFrom: '2026-03-01', periodTo: '2026-03-28', basis: 'spend',
      brackets: [{ min: 100_000, rateBp: 100, fixed: 0 }], reward: 'points', ...input,
    })

  return { product, receipt, return: returnOf, couponTemplate, coupon, gift, giftOrder, draw, rebate }
}

export type Factories = ReturnType<typeof factories>
