import { TZDate } from '@date-fns/tz'
import { findPiecePricedProducts } from '../modules/catalog/index.js'
import { storeIdsByCode } from '../modules/org/index.js'
import { findReceiptNosWithPrefix } from '../modules/transactions/index.js'
import type { Services } from '../services.js'
import type { Actor } from '../shared/actor.js'
import { isDomainError } from '../shared/errors.js'
import { richestActiveMembers } from './demo-members.js'

/** Sales the demo's tasting attendees (and a few who did not come) made after it carry this prefix. */
export const EVENT_SALE_PREFIX = 'DEMO-E'
export const DEMO_TASTING_TITLE = '春季新品试吃会'
export const DEMO_PANEL_TITLE = '顾客座谈会'
export const DEMO_TALK_TITLE = '健康饮食讲座'

export interface DemoEventsResult {
  created: number
  registrations: number
  attended: number
  sales: number
}

const DAY = 86_400_000

/** 14:00 local time on the day `days` from `now` (the chain's zone). */
const localAfternoon = (now: Date, days: number, tz: string, hour = 14): Date => {
  const local = new TZDate(now.getTime() + days * DAY, tz)
  return new Date(new TZDate(local.getFullYear(), local.getMonth(), local.getDate(), hour, 0, 0, tz).getTime())
}

/**
 * The demo's member events (会员活动, issue 15 §5), through the same service the desk and the
 * tills use: a new-product tasting a month ago at the first store, with registrations (desk, till,
 * invitation), check-ins, a few cancellations and what attendees bought in the two weeks after;
 * next month's customer panel there, open with its first registrations; and a talk at the second
 * store being prepared. A re-run adds nothing (events are found by title, sales by prefix).
 */
export const seedDemoEvents = async (services: Services, actor: Actor): Promise<DemoEventsResult> => {
  const { db, memberEvents: events, receipts, clock, timezone } = services
  const result: DemoEventsResult = { created: 0, registrations: 0, attended: 0, sales: 0 }
  const stores = await storeIdsByCode(db)
  const first = stores.get('SH001') ?? [...stores.values()][0]
  const second = stores.get('SH002') ?? first
  if (!first || !second) return result
  const existing = new Set((await events.list(actor, { limit: 200 })).items.map((e) => e.title))
  const now = clock.now()
  const people = (await richestActiveMembers(db, 0, 60)).map((m) => m.member_id)
  if (people.length < 10) return result

  // ---- the tasting, a month ago: 40 seats, 30 registered, 20 came ----
  if (!existing.has(DEMO_TASTING_TITLE)) {
    const startsAt = localAfternoon(now, -30, timezone)
    const e = await events.create(actor, {
      title: DEMO_TASTING_TITLE, kind: 'launch', storeId: first, capacity: 40, startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
      description: '春季新品现场试吃：有机酸奶、手工面包、时令水果。到场会员可领取试吃装一份。',
    })
    result.created++
    await events.open(actor, e.id)
    const registered = people.slice(0, 30)
    for (const [i, memberId] of registered.entries()) {
      const channel = i % 5 === 0 ? 'till' : i % 3 === 0 ? 'campaign' : 'desk'
      await events.register(actor, e.id, { memberId, channel, at: new Date(startsAt.getTime() - (10 - (i % 9)) * DAY).toISOString() })
      result.registrations++
    }
    for (const memberId of registered.slice(26)) await events.cancelRegistration(actor, e.id, memberId, { reason: '临时有事' })
    for (const [i, memberId] of registered.slice(0, 20).entries()) {
      await events.checkIn(actor, e.id, { memberId, at: new Date(startsAt.getTime() + (i % 20) * 60_000).toISOString() })
      result.attended++
    }
    await events.close(actor, e.id)
  }

  // ---- what came after: attendees buy the new products on the day and in the next two weeks ----
  const tasting = (await events.list(actor, { limit: 200 })).items.find((e) => e.title === DEMO_TASTING_TITLE)
  const done = await findReceiptNosWithPrefix(db, EVENT_SALE_PREFIX)
  if (tasting && done.length === 0) {
    const goods = await findPiecePricedProducts(db, 800, 5_000, 20)
    const regs = (await events.registrations(actor, tasting.id, { limit: 200 })).items
    const attendees = regs.filter((r) => r.status === 'attended').map((r) => r.memberId)
    const noShows = regs.filter((r) => r.status === 'registered').map((r) => r.memberId)
    // Two in three attendees buy (some twice); one no-show in three.
    const buyers = [...attendees.filter((_, i) => i % 3 !== 2).map((id, i) => [id, 1 + (i % 2)] as const), ...noShows.filter((_, i) => i % 3 === 0).map((id) => [id, 1] as const)]
    let n = 0
    for (const [i, [memberId, times]] of buyers.entries()) {
      for (let k = 0; k < times && goods.length > 0; k++) {
        const p = goods[(i * 5 + k * 3) % goods.length]!
        const quantity = 1 + ((i + k) % 3)
        const amount = p.listPrice * quantity
        const businessAt = new Date(new Date(tasting.startsAt).getTime() + (k === 0 && i % 2 === 0 ? 2 * 3_600_000 : (1 + ((i * 3 + k * 5) % 13)) * DAY)).toISOString()
        try {
          await receipts.postSale(actor, {
            storeId: tasting.storeId, till: '02', receiptNo: `${EVENT_SALE_PREFIX}${String(++n).padStart(5, '0')}`, businessAt, member: { id: memberId },
            lines: [{ sku: p.sku, name: p.name, quantity, unitPrice: p.listPrice, amount }], tenders: [{ kind: i % 2 ? 'wechat_pay' : 'alipay', amount }], total: amount,
          }, { source: 'till' })
          result.sales++
        } catch (err) {
          // A member frozen or merged since: the sale is left out.
          if (!isDomainError(err)) throw err
        }
      }
    }
  }

  // ---- next month's customer panel, open: the first members registered ----
  if (!existing.has(DEMO_PANEL_TITLE)) {
    const startsAt = localAfternoon(now, 30, timezone)
    const e = await events.create(actor, {
      title: DEMO_PANEL_TITLE, kind: 'panel', storeId: first, capacity: 12, startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 90 * 60_000).toISOString(),
      description: '每月一次，请会员来店里聊聊商品、价格和服务，听听大家的意见。到场送 200 积分。',
    })
    result.created++
    await events.open(actor, e.id)
    for (const [i, memberId] of people.slice(30, 37).entries()) {
      await events.register(actor, e.id, { memberId, channel: i % 2 ? 'till' : 'desk' })
      result.registrations++
    }
  }

  // ---- a talk at the second store, still a draft ----
  if (!existing.has(DEMO_TALK_TITLE)) {
    const startsAt = localAfternoon(now, 14, timezone, 10)
    await events.create(actor, {
      title: DEMO_TALK_TITLE, kind: 'talk', storeId: second, capacity: 50, startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
      description: '营养师讲解春季饮食搭配，现场答疑。',
    })
    result.created++
  }
  return result
}
