import { staffUserIdsByUsername } from '../modules/auth/index.js'
import { listAllStores } from '../modules/org/index.js'
import { createTicketsService } from '../modules/service/index.js'
import { ticketLookups, type Services } from '../services.js'
import type { Actor } from '../shared/actor.js'
import type { Clock } from '../shared/clock.js'
import { createRandom } from './demo-random.js'

// The demo chain's service desk: a team per store (its manager leads) and the chain's 客服中心,
// 采购 and 食品安全; the default categories with tighter food-safety deadlines; ~3 months of
// tickets in every state, made through the real use cases on a clock that walks through those
// months, so timelines, deadlines, reminders, escalations and follow-ups are what they would be.

const WEEKDAYS_9_TO_6 = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]]))
const HOLIDAYS = [
  '2026-01-01', '2026-01-02', '2026-01-03', '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21',
  '2026-02-22', '2026-02-23', '2026-04-04', '2026-04-05', '2026-04-06', '2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05',
  '2026-06-19', '2026-06-20', '2026-06-21', '2026-09-25', '2026-09-26', '2026-09-27', '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04',
  '2026-10-05', '2026-10-06', '2026-10-07',
]

/** What customers say, by category (the default categories' names). */
const STORIES: Record<string, Array<[description: string, outcome: string]>> = {
  商品质量: [['买的鲜牛奶打开有异味，保质期内', '退款并更换，已通知品控抽检同批次'], ['洗衣液瓶身漏液', '更换新品，已下架同批次'], ['苹果内部大面积褐变', '退款，已反馈采购与供应商']],
  食品安全: [['面包里发现异物（疑似塑料片）', '退款并赔付，供应商停货调查'], ['熟食区菜品有异味', '当日下架，已对门店熟食间全面检查'], ['冷冻饺子包装胀袋', '退款，已检查冷链记录并整改']],
  价格: [['价签 12.9 元，结账收 15.9 元', '按价签价退差价，已更正价签'], ['促销买一送一结账未生效', '补送赠品，已修正促销设置'], ['会员价未享受', '补退差价，已核查会员识别']],
  服务态度: [['收银员态度冷淡，催促付款', '已向顾客致歉，收银员接受服务培训'], ['导购无法回答商品问题', '致歉并安排专人讲解，已加强培训']],
  购物环境: [['地面湿滑无警示牌', '已放置警示牌并加强保洁巡检'], ['停车场指示不清', '已增设指示牌'], ['冷柜区温度过低', '已调整并加装门帘']],
  退换货: [['无小票要求退货被拒', '按会员消费记录查得购买记录，已办理退货'], ['退货退款迟迟未到账', '已核实渠道延迟，款项已到账']],
  会员权益: [['积分未到账', '已补录积分并致歉'], ['生日券没有收到', '已补发生日券'], ['想升级金卡需要多少积分', '已告知升级规则']],
  其他: [['希望增加夜间营业时间', '已记录，转运营评估'], ['找不到无障碍卫生间', '已增设指引']],
}

export interface DemoServiceDeskResult {
  teams: number
  tickets: number
}

/**
 * Seeds the desk. Safe to run again: teams are added when there are none, tickets when there are
 * none. `tickets` is how many to make over the 90 days before now.
 */
export const seedDemoServiceDesk = async (services: Services, actor: Actor, options: { seed?: number; tickets?: number } = {}): Promise<DemoServiceDeskResult> => {
  const { db, tickets, members, catalog } = services
  const random = createRandom(options.seed ?? 1, 'service-desk')
  const users = await staffUserIdsByUsername(db)
  const stores = await listAllStores(db, { status: 'open' })
  let teams = 0
  if ((await tickets.listTeams(actor)).length === 0) {
    for (const s of stores) {
      const code = s.code.toLowerCase()
      const team = await tickets.createTeam(actor, { name: `门店 ${s.name}`, kind: 'store', storeId: s.id, leadUserId: users.get(`manager.${code}`) ?? null })
      const agent = users.get(`service.${code}`)
      if (agent) await tickets.addTeamMember(actor, team.id, agent)
      teams++
    }
    const desk = await tickets.createTeam(actor, { name: '客服中心', kind: 'desk', leadUserId: users.get('admin') ?? null })
    for (const s of stores.slice(0, 3)) {
      const agent = users.get(`service.${s.code.toLowerCase()}`)
      if (agent) await tickets.addTeamMember(actor, desk.id, agent)
    }
    await tickets.createTeam(actor, { name: '采购', kind: 'purchasing', leadUserId: users.get('marketing') ?? null, workingHours: WEEKDAYS_9_TO_6 })
    await tickets.createTeam(actor, { name: '食品安全', kind: 'food_safety', leadUserId: users.get('admin') ?? null, workingHours: WEEKDAYS_9_TO_6 })
    teams += 3
    const food = (await tickets.listCategories(actor)).find((c) => c.name === '食品安全')
    if (food) {
      await tickets.savePolicies(actor, [
        { categoryId: food.id, severity: 'critical', firstResponseMinutes: 15, resolutionMinutes: 120, remindBeforeMinutes: 5 },
        { categoryId: food.id, severity: 'high', firstResponseMinutes: 30, resolutionMinutes: 240, remindBeforeMinutes: 10 },
        { categoryId: food.id, severity: 'normal', firstResponseMinutes: 60, resolutionMinutes: 480, remindBeforeMinutes: 15 },
      ])
    }
    await tickets.saveSettings(actor, { holidays: HOLIDAYS, followUpDays: 3 })
  }

  if ((await tickets.list(actor, { limit: 1 })).items.length > 0 || stores.length === 0) return { teams, tickets: 0 }
  const count = options.tickets ?? 90
  const memberPool = (await members.list(actor, { limit: 200 })).items.filter((m) => m.status === 'active')
  const productPool = (await catalog.list(actor, { limit: 100 })).items
  const categories = (await tickets.listCategories(actor)).filter((c) => c.parentId === null)
  const allTeams = await tickets.listTeams(actor)
  const storeTeam = new Map(allTeams.filter((t) => t.kind === 'store').map((t) => [t.storeId!, t]))
  const chainTeam = (kind: string) => allTeams.find((t) => t.kind === kind)
  const staffActor = (username: string, storeId: string | null): Actor | null => {
    const id = users.get(username)
    return id ? { kind: 'staff', userId: id, username, role: username.startsWith('manager.') ? 'store_manager' : 'service_agent', storeId } : null
  }

  // The desk's own clock walks through the months; everything else keeps the real one.
  const end = services.clock.now().getTime()
  let current = end
  const clock: Clock = { now: () => new Date(current) }
  const desk = createTicketsService({
    db, audit: services.audit, clock, timezone: services.timezone, keyring: services.keyring,
    grantPoints: (a, input) => services.loyalty.adjust(a, input),
    coupons: { template: (a, id) => services.coupons.getTemplate(a, id), issue: (a, input) => services.coupons.issueOne(a, input) },
    lookups: ticketLookups(services),
  })
  const at = async (ms: number) => {
    current = Math.min(ms, end)
    // The SLA job as it would have run: reminders and escalations at their time.
    await desk.checkSla()
  }
  const HOUR = 3_600_000
  const DAY = 24 * HOUR
  // Older first, so ticket numbers rise with the days; the last few are from today.
  // Complaints come in while the stores are open: an older ticket's time moves into 09:00–21:00 local.
  const hourOf = new Intl.DateTimeFormat('en-GB', { timeZone: services.timezone, hour: '2-digit', hourCycle: 'h23' })
  const inOpeningHours = (ms: number) => {
    const hour = Number(hourOf.format(new Date(ms)))
    return hour >= 9 && hour < 21 ? ms : ms + (random.int(9, 20) - hour) * HOUR
  }
  const starts = Array.from({ length: count }, (_, i) => (i >= count - 6 ? end - random.int(10, 300) * 60_000 : Math.min(inOpeningHours(end - random.int(1, 90) * DAY + random.int(-6, 6) * HOUR), end - DAY)))
    .sort((a, b) => a - b)
  let made = 0
  let reopenedOnce = false
  for (const [i, start] of starts.entries()) {
    const store = stores[random.int(0, stores.length - 1)]!
    const code = store.code.toLowerCase()
    const agent = staffActor(`service.${code}`, store.id)
    const manager = staffActor(`manager.${code}`, store.id)
    if (!agent || !manager) continue
    const category = random.chance(0.8) ? categories[random.int(0, categories.length - 1)]! : categories[0]!
    const [description, outcome] = random.pick(STORIES[category.name] ?? STORIES['其他']!)
    const member = memberPool.length && random.chance(0.85) ? random.pick(memberPool) : null
    const severity = category.name === '食品安全' ? random.pick(['high', 'critical', 'normal'] as const) : random.pick(['low', 'normal', 'normal', 'normal', 'high'] as const)
    await at(start)
    const ticket = await desk.create(agent, {
      kind: category.name === '其他' || (category.name === '会员权益' && random.chance(0.5)) ? 'request' : 'complaint',
      memberId: member?.id ?? null, contactName: member ? null : '顾客', contactPhone: member ? null : `139${String(10_000_000 + random.int(0, 89_999_999)).slice(0, 8)}`,
      storeId: store.id, categoryId: category.id, severity, channel: random.pick(['desk', 'desk', 'phone', 'till'] as const), description,
      productId: ['商品质量', '食品安全'].includes(category.name) && productPool.length ? random.pick(productPool).id : null,
      preferredContact: random.pick(['phone', 'phone', 'sms', 'wechat'] as const),
    })
    made++
    const age = end - start
    // The newest stay new (unassigned) or assigned; a few older open ones run late and escalate.
    if (age < 6 * HOUR && random.chance(0.5)) continue
    if (age < 6 * HOUR) {
      await desk.assign(manager, ticket.id, { teamId: storeTeam.get(store.id)?.id ?? ticket.teamId!, assigneeId: agent.kind === 'staff' ? agent.userId : null })
      continue
    }
    const foodTeam = chainTeam('food_safety')
    if (category.name === '食品安全' && foodTeam && random.chance(0.6)) {
      await at(start + random.int(5, 40) * 60_000)
      await desk.assign(manager, ticket.id, { teamId: foodTeam.id, reason: '涉及食品安全，转食品安全组' })
    }
    const lateStart = i % 9 === 4
    await at(start + (lateStart ? random.int(5, 9) * HOUR : random.int(5, 90) * 60_000))
    await desk.take(agent, ticket.id)
    await desk.reply(agent, ticket.id, { body: '您好，已收到您的反馈，我们正在核实处理。', channel: random.pick(['phone', 'sms', 'wechat'] as const) })
    if (random.chance(0.5)) await desk.note(agent, ticket.id, { body: '已联系门店核实情况，等待品控回复。' })
    // Open for a while: in progress (some of them past their deadline by now).
    if (age < 2 * DAY && random.chance(0.6)) continue
    const resolveAt = start + (lateStart ? random.int(30, 60) * HOUR : random.int(2, 20) * HOUR)
    if (resolveAt >= end) continue
    if (member && random.chance(0.2)) {
      await at(resolveAt - HOUR)
      await desk.compensate(manager, ticket.id, { kind: 'points', points: random.pick([100, 200, 300, 500]), requestKey: `demo-${ticket.id}`, note: '致歉积分' })
    }
    await at(resolveAt)
    await desk.resolve(agent, ticket.id, { outcome, reply: `处理结果：${outcome}`, replyChannel: 'phone' })
    const callAt = resolveAt + random.int(1, 3) * DAY
    // Resolved recently: the follow-up call is still to make.
    if (callAt >= end) continue
    await at(callAt)
    if (random.chance(0.1)) await desk.recordFollowUp(agent, ticket.id, { reached: false, comment: '电话无人接听' })
    const unhappy = !reopenedOnce ? age > 20 * DAY : random.chance(0.06)
    const satisfaction = unhappy ? random.int(1, 2) : random.pick([3, 4, 4, 5, 5, 5])
    await desk.recordFollowUp(agent, ticket.id, { reached: true, satisfaction, comment: unhappy ? '对处理结果不满意，要求进一步处理' : '满意' })
    if (!unhappy) continue
    // Reopened: the first one stays in progress, later ones are put right and closed.
    if (!reopenedOnce) {
      reopenedOnce = true
      continue
    }
    const again = callAt + random.int(4, 30) * HOUR
    if (again >= end) continue
    await at(again)
    await desk.resolve(agent, ticket.id, { outcome: `${outcome}；另赠致歉礼品`, reply: '已再次处理并致歉', replyChannel: 'phone' })
    if (again + DAY < end) {
      await at(again + DAY)
      await desk.recordFollowUp(agent, ticket.id, { reached: true, satisfaction: 4, comment: '这次满意' })
    }
  }
  await at(end)
  return { teams, tickets: made }
}
