import { activeMemberIds } from '../modules/members/index.js'
import { listAllStores } from '../modules/org/index.js'
import { createSuggestionsService, createSurveysService } from '../modules/service/index.js'
import type { Services } from '../services.js'
import type { Actor } from '../shared/actor.js'
import type { Clock } from '../shared/clock.js'
import { createRandom, type Random } from './demo-random.js'

// The demo chain's suggestion box and surveys: a running chain survey with a few hundred answers
// over the last four months across the stores (some by invited members), an older survey that
// has closed, and ~40 suggestions in every status. Made through the real use cases on a clock
// that walks through those months, so dates, periods and trends are what they would be.

const DAY = 86_400_000
export const RUNNING_SURVEY = '2026 顾客满意度调查'
const CLOSED_SURVEY = '春节购物体验调查'

const QUESTIONS = [
  { id: 'csat', kind: 'rating' as const, label: '您对本次购物的整体满意度如何？', labelEn: 'How satisfied are you with your visit?', required: true },
  { id: 'nps', kind: 'nps' as const, label: '您有多大可能向亲友推荐我们？', labelEn: 'How likely are you to recommend us to a friend?', required: true },
  { id: 'areas', kind: 'matrix' as const, label: '请为以下方面打分', labelEn: 'Please rate each of these' },
  {
    id: 'visit', kind: 'single' as const, label: '您多久来一次本店？', labelEn: 'How often do you shop here?',
    choices: [{ id: 'daily', label: '几乎每天', labelEn: 'Almost daily' }, { id: 'weekly', label: '每周一两次', labelEn: 'Once or twice a week' }, { id: 'monthly', label: '每月几次', labelEn: 'A few times a month' }, { id: 'rarely', label: '很少来', labelEn: 'Rarely' }],
  },
  { id: 'comment', kind: 'text' as const, label: '您还有什么意见或建议？', labelEn: 'Anything else you would like to tell us?' },
]

/** What customers write, by mood: whole sentences, so the frequent words read like the chain's issues. */
const PRAISE = ['生鲜蔬菜很新鲜', '收银员服务热情，结账很快', '会员积分活动很实惠', '店里干净整洁，购物环境舒适', '水果品质好，价格也公道', '烘焙区面包很好吃', '员工主动帮忙找商品', '促销活动力度大']
const COMPLAINTS = ['周末收银台排队时间太长', '停车场车位太少', '部分商品价格比别家贵', '熟食区品种太少', '冷冻区经常缺货', '价签和结账价格不一致', '希望多开几个收银台', '购物车不够用', '进口零食品种太少', '会员积分兑换的商品太少']
const WISHES = ['希望延长营业时间', '希望增加自助收银', '希望开通线上配送', '希望增加有机蔬菜', '希望多搞会员日活动']

const sentence = (r: Random, csat: number): string => {
  const parts = csat >= 4 ? [r.pick(PRAISE), ...(r.chance(0.4) ? [r.pick(WISHES)] : [])] : csat === 3 ? [r.pick(PRAISE), r.pick(COMPLAINTS)] : [r.pick(COMPLAINTS), ...(r.chance(0.5) ? [r.pick(COMPLAINTS)] : [])]
  return `${[...new Set(parts)].join('，')}。`
}

/** A rating 1–5 around a store's level: most customers are content, a store's weakness shows. */
const rating = (r: Random, level: number) => Math.min(5, Math.max(1, Math.round(level + r.normal() * 0.9)))

const SUGGESTIONS: Array<{ category: 'productsRange' | 'service' | 'environment' | 'prices' | 'membership' | 'other'; text: string; change?: string; reply?: string }> = [
  { category: 'productsRange', text: '希望增加进口零食和饮料的品种', change: '零食区新增进口商品货架，约 60 个单品', reply: '感谢建议，进口零食专区已上架' },
  { category: 'productsRange', text: '能不能卖一些有机蔬菜', change: '生鲜区新增有机蔬菜专柜', reply: '有机蔬菜专柜已开设，欢迎选购' },
  { category: 'productsRange', text: '希望有小包装的米面，一个人吃不完', change: '新增 1kg 装大米和 500g 装面粉', reply: '小包装米面已上架' },
  { category: 'service', text: '周末收银台太少，排队太久', change: '周末高峰增开 2 个收银台，并增设 4 台自助收银机', reply: '已增开收银台并引入自助收银' },
  { category: 'service', text: '希望提供免费的送货上门服务', reply: '目前暂不提供免费配送，满 99 元可享优惠配送' },
  { category: 'service', text: '服务台工作人员很耐心，点赞' },
  { category: 'environment', text: '停车场指示牌不清楚，找不到入口', change: '停车场增设 6 块指示牌和地面导向线', reply: '已增设指示牌，感谢提醒' },
  { category: 'environment', text: '冷柜区太冷了，希望加个门帘', change: '冷柜区加装风帘', reply: '已加装风帘' },
  { category: 'environment', text: '卫生间希望增加母婴室' },
  { category: 'prices', text: '牛奶价格比附近超市贵一元', reply: '已与供应商协商，暂时无法调整，会员日有优惠' },
  { category: 'prices', text: '希望多做一些买一送一活动' },
  { category: 'prices', text: '价签字太小，老年人看不清', change: '价签字号放大，重点商品增加大字价签', reply: '价签已更换为大字版' },
  { category: 'membership', text: '积分兑换的商品太少了', change: '积分商城新增 12 种日用品', reply: '已增加积分兑换商品' },
  { category: 'membership', text: '希望生日当月积分翻倍', reply: '感谢建议，将在明年会员方案中评估' },
  { category: 'membership', text: '会员卡能不能绑定微信' },
  { category: 'other', text: '希望延长晚上营业时间到十点', change: '周五、周六营业至 22:00', reply: '周末已延长营业时间' },
  { category: 'other', text: '购物袋太薄，容易破' },
  { category: 'other', text: '希望开通线上下单、门店自提' },
]

export interface DemoFeedbackResult {
  responses: number
  suggestions: number
}

/**
 * Seeds the surveys and suggestions. Safe to run again: nothing is added when the running survey
 * exists already.
 */
export const seedDemoFeedback = async (services: Services, actor: Actor, options: { seed?: number; responses?: number } = {}): Promise<DemoFeedbackResult> => {
  const { db } = services
  if ((await services.surveys.list(actor)).some((s) => s.title === RUNNING_SURVEY)) return { responses: 0, suggestions: 0 }
  const r = createRandom(options.seed ?? 1, 'feedback')
  const stores = await listAllStores(db, { status: 'open', limit: 50 })
  if (stores.length === 0) return { responses: 0, suggestions: 0 }
  const end = services.clock.now().getTime()
  let current = end
  const clock: Clock = { now: () => new Date(current) }
  const deps = { db, engine: services.engine, audit: services.audit, clock, timezone: services.timezone, keyring: services.keyring }
  const surveys = createSurveysService(deps)
  const box = createSuggestionsService(deps)
  // Each store's level: most do well, one or two have a weakness the figures show.
  const level = new Map(stores.map((s, i) => [s.id, i % 5 === 3 ? 3.1 : 3.9 + r.next() * 0.6]))
  const members = (await activeMemberIds(db)).slice(0, 2000)

  const answerAt = async (token: string, storeId: string | null, at: number, withText: boolean) => {
    current = at
    const csat = rating(r, level.get(storeId ?? '') ?? 4)
    const nps = Math.min(10, Math.max(0, Math.round(csat * 2 - 0.5 + r.normal() * 1.3)))
    await surveys.respond(token, {
      language: r.chance(0.95) ? 'zh-CN' : 'en-US',
      answers: [
        { questionId: 'csat', value: csat },
        { questionId: 'nps', value: nps },
        { questionId: 'areas', rows: ['quality', 'service', 'price', 'environment'].map((rowId) => ({ rowId, value: rating(r, (level.get(storeId ?? '') ?? 4) + (rowId === 'price' ? -0.4 : 0)) })) },
        ...(r.chance(0.85) ? [{ questionId: 'visit', choiceId: r.pick(['daily', 'weekly', 'weekly', 'monthly', 'rarely']) }] : []),
        ...(withText ? [{ questionId: 'comment', text: sentence(r, csat) }] : []),
      ],
    })
  }

  // The older survey: ran for a month over the Spring Festival, then closed.
  current = end - 150 * DAY
  const old = await surveys.create(actor, { title: CLOSED_SURVEY, titleEn: 'Spring Festival shopping survey', questions: QUESTIONS, closesAt: new Date(end - 110 * DAY).toISOString() })
  await surveys.open(actor, old.id)
  const oldLinks = (await surveys.links(actor, old.id)).filter((l) => l.storeId)
  let responses = 0
  for (let i = 0; i < 60; i++) {
    const link = r.pick(oldLinks)
    await answerAt(link.token, link.storeId, end - 150 * DAY + r.int(0, 39) * DAY + r.int(9, 20) * 3_600_000, r.chance(0.5))
    responses++
  }
  current = end - 109 * DAY
  await surveys.close(actor, old.id)

  // The running survey: a QR link per store, and invitations after complaints and first purchases.
  current = end - 120 * DAY
  const running = await surveys.create(actor, {
    title: RUNNING_SURVEY, titleEn: '2026 customer satisfaction survey', intro: '感谢您抽出一分钟，帮助我们做得更好。', introEn: 'Thank you for taking a minute to help us do better.',
    questions: QUESTIONS, triggers: ['after_complaint', 'after_first_purchase'],
  })
  await surveys.open(actor, running.id)
  const links = (await surveys.links(actor, running.id)).filter((l) => l.storeId)
  const total = options.responses ?? 300
  const invited = Math.min(members.length, Math.round(total / 5))
  for (let i = 0; i < invited; i++) {
    current = end - r.int(1, 118) * DAY
    await surveys.inviteFor('after_first_purchase', { memberId: members[i]!, storeId: r.pick(stores).id, ref: `demo-${i}`, at: new Date(current).toISOString() })
  }
  // Most invited members answer (a few never do: the counts show it).
  for (const inv of await surveys.internals.openInvitations(running.id, Math.round(invited * 0.8))) {
    await answerAt(inv.token, inv.store_id, Math.min(end, Date.parse(inv.created_at) + r.int(2, 96) * 3_600_000), r.chance(0.6))
    responses++
  }
  const times = Array.from({ length: total - responses + 60 }, () => end - r.int(0, 119) * DAY - r.int(1, 12) * 3_600_000).sort((a, b) => a - b)
  for (const at of times) {
    const link = r.pick(links)
    await answerAt(link.token, link.storeId, at, r.chance(0.55))
    responses++
  }

  // The suggestion box: ~40 over the months, in every status; the adopted ones say what changed.
  let suggestions = 0
  for (let i = 0; i < 40; i++) {
    const s = SUGGESTIONS[i % SUGGESTIONS.length]!
    const store = r.pick(stores)
    // The last few came in this week and wait to be read.
    current = i >= 34 ? end - r.int(1, 6) * DAY : end - r.int(12, 120) * DAY - r.int(1, 10) * 3_600_000
    const made = await box.create(actor, {
      category: s.category, text: s.text, storeId: store.id, channel: r.pick(['desk', 'desk', 'receipt_qr', 'receipt_qr', 'api'] as const),
      ...(i % 7 === 0 && members.length ? { memberId: r.pick(members) } : {}),
    })
    suggestions++
    const age = end - current
    current += r.int(1, 5) * DAY
    if (current > end) current = end
    // The newest stay received; older ones are under review or decided.
    if (age < 10 * DAY) continue
    if (s.change && i < SUGGESTIONS.length * 1.5) {
      await box.update(actor, made.id, { status: 'adopted', changeNote: s.change, reply: s.reply ?? null })
    } else if (s.reply && !s.change) {
      await box.update(actor, made.id, { status: 'declined', reply: s.reply })
    } else {
      await box.update(actor, made.id, { status: 'under_review', reply: r.chance(0.5) ? '感谢您的建议，我们正在评估' : null })
    }
  }
  return { responses, suggestions }
}
