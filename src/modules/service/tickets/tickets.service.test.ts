import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { jobRegistry } from '../../../services.js'
import type { Actor } from '../../../shared/actor.js'

const context = useTestContext()
let t: TestContext
let storeTeam: string
let deskTeam: string
let agent2: { id: string; username: string; actor: Actor }
const categories: Record<string, string> = {}
const START = '2026-03-02T02:00:00.000Z' // Monday 10:00 in Shanghai

beforeAll(async () => {
  t = await context()
  for (const c of await t.services.tickets.listCategories(t.actors.hq_admin)) categories[c.name] = c.id
  agent2 = await t.given.staff('service_agent', t.stores.a)
  const hq = t.actors.hq_admin
  // Store A's team: its manager leads, two agents; a chain-wide desk team.
  storeTeam = (await t.services.tickets.createTeam(hq, { name: '门店 A', kind: 'store', storeId: t.stores.a, leadUserId: t.users.store_manager!.id })).id
  await t.services.tickets.addTeamMember(hq, storeTeam, t.users.service_agent!.id)
  await t.services.tickets.addTeamMember(hq, storeTeam, agent2.id)
  deskTeam = (await t.services.tickets.createTeam(hq, { name: '客服中心', kind: 'desk' })).id
})

beforeEach(() => {
  t.clock.set(START)
})

const complaint = async (input: Partial<Parameters<TestContext['services']['tickets']['create']>[1]> = {}, by?: Actor) => {
  const member = input.memberId === undefined && !input.contactPhone && !input.contactName ? await t.given.member() : null
  return t.services.tickets.create(by ?? t.actors.service_agent, {
    categoryId: categories['商品质量']!, description: '买的牛奶已过期', ...(member ? { memberId: member.id } : {}), ...input,
  })
}

const events = (d: { timeline: Array<{ kind: string }> }) => d.timeline.map((e) => e.kind)

describe('intake', () => {
  it('takes a complaint for the member at the store, numbers it by the local date and sets deadlines in working time', async () => {
    const member = await t.given.member()
    const product = await t.given.product()
    const receipt = await t.given.receipt({ member: { id: member.id } })
    const d = await t.services.tickets.create(t.actors.cashier, {
      memberId: member.id, categoryId: categories['食品安全']!, severity: 'high', description: '酸奶胀包', productId: product.id, receiptId: receipt.receiptId,
    })
    expect(d.ticketNo).toMatch(/^TS-20260302-\d{4}$/)
    expect(d).toMatchObject({
      kind: 'complaint', status: 'new', storeId: t.stores.a, teamId: storeTeam, channel: 'desk', memberId: member.id, productName: product.name,
      // high: 60 and 480 working minutes from Monday 10:00 with the default hours (08:00–22:00 every day).
      firstResponseDueAt: '2026-03-02T03:00:00.000Z', resolutionDueAt: '2026-03-02T10:00:00.000Z', escalationLevel: 0,
    })
    expect(events(d)).toEqual(['created'])
    expect((await t.services.audit.list(t.actors.hq_admin, { action: 'ticket.create', entityId: d.id })).items).toHaveLength(1)
    const next = await complaint()
    expect(Number(next.ticketNo.slice(-4))).toBe(Number(d.ticketNo.slice(-4)) + 1)
  })

  it('keeps an anonymous contact encrypted and masked; the handling desk sees it in full', async () => {
    const d = await complaint({ contactName: '李雷', contactPhone: '13912345678' }, t.actors.cashier)
    expect(d).toMatchObject({ memberId: null, contactName: '李*', contactPhone: '139****5678', preferredContact: 'phone' })
    expect(d.contactPhoneFull).toBeNull()
    const row = await t.services.db.selectFrom('tickets').selectAll().where('id', '=', d.id).executeTakeFirstOrThrow()
    expect(JSON.stringify(row)).not.toContain('13912345678')
    expect(await t.services.tickets.get(t.actors.service_agent, d.id)).toMatchObject({ contactPhoneFull: '13912345678', contactNameFull: '李雷' })
  })

  it.each([
    ['no member and no contact', { memberId: undefined, contactName: null }, 'memberId'],
    ['an unknown receipt', { receiptId: 'rct_nope' }, 'receiptId'],
    ['an unknown product', { productId: 'prd_nope' }, 'productId'],
    ['an unknown category', { categoryId: 'scg_nope' }, 'categoryId'],
    ['a bad phone', { contactPhone: '12', memberId: undefined }, 'contactPhone'],
  ])('refuses %s, naming the field', async (_name, input, field) => {
    const member = await t.given.member()
    await expect(t.services.tickets.create(t.actors.service_agent, { categoryId: categories['价格']!, description: '价签不符', memberId: member.id, ...input } as never))
      .rejects.toMatchObject({ status: 422, details: [expect.objectContaining({ field })] })
  })

  it('takes a store role\'s intake for its own store only, and a till\'s as from the till', async () => {
    await expect(complaint({ storeId: t.stores.b })).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE', status: 403 })
    const pos: Actor = { kind: 'pos', keyId: 'key_test', name: 'A 1号收银台', storeId: t.stores.a }
    expect(await complaint({}, pos)).toMatchObject({ channel: 'till', storeId: t.stores.a })
    await expect(complaint({}, t.actors.analyst)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    // HQ names the store.
    await expect(complaint({}, t.actors.hq_admin)).rejects.toMatchObject({ details: [{ field: 'storeId' }] })
    expect(await complaint({ storeId: t.stores.b }, t.actors.hq_admin)).toMatchObject({ storeId: t.stores.b, teamId: null })
  })
})

describe('queues and scope', () => {
  it('shows a store\'s staff their store\'s tickets only; HQ sees all', async () => {
    const a = await complaint()
    const b = await complaint({}, t.actors.cashierB)
    const mine = await t.services.tickets.list(t.actors.store_manager, { limit: 200 })
    expect(mine.items.map((x) => x.id)).toContain(a.id)
    expect(mine.items.map((x) => x.id)).not.toContain(b.id)
    await expect(t.services.tickets.get(t.actors.store_manager, b.id)).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
    await expect(t.services.tickets.list(t.actors.store_manager, { storeId: t.stores.b })).rejects.toMatchObject({ code: 'OUT_OF_STORE_SCOPE' })
    const all = await t.services.tickets.list(t.actors.hq_admin, { limit: 200 })
    expect(all.items.map((x) => x.id)).toEqual(expect.arrayContaining([a.id, b.id]))
  })

  it('answers the mine, team, unassigned, due soon and overdue queues', async () => {
    const x = await complaint({ severity: 'critical' })
    await t.services.tickets.take(t.actors.service_agent, x.id)
    const y = await complaint({ severity: 'low' })
    const ids = async (queue: 'mine' | 'team' | 'unassigned' | 'due_soon' | 'overdue', who: Actor = t.actors.service_agent) =>
      (await t.services.tickets.list(who, { queue, limit: 200 })).items.map((i) => i.id)
    expect(await ids('mine')).toContain(x.id)
    expect(await ids('mine')).not.toContain(y.id)
    expect(await ids('team', agent2.actor)).toEqual(expect.arrayContaining([x.id, y.id]))
    expect(await ids('unassigned')).toContain(y.id)
    expect(await ids('unassigned')).not.toContain(x.id)
    // critical: resolution due in 240 working minutes; taking it was the first response.
    t.clock.set('2026-03-02T04:30:00.000Z')
    expect(await ids('due_soon')).toContain(x.id)
    expect(await ids('overdue')).not.toContain(x.id)
    t.clock.set('2026-03-02T06:30:00.000Z')
    expect(await ids('overdue')).toContain(x.id)
    expect(await ids('overdue')).not.toContain(y.id)
  })

  it('lists a member\'s tickets', async () => {
    const member = await t.given.member()
    const d = await complaint({ memberId: member.id })
    expect((await t.services.tickets.memberTickets(t.actors.service_agent, member.id)).items.map((i) => i.id)).toEqual([d.id])
  })
})

describe('handling', () => {
  it('lets one of two agents taking at once win; the other is told who has it (409 TICKET_TAKEN)', async () => {
    const d = await complaint()
    const results = await Promise.allSettled([
      t.services.tickets.take(t.actors.service_agent, d.id), t.services.tickets.take(agent2.actor, d.id),
    ])
    const won = results.filter((r) => r.status === 'fulfilled')
    const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[]
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(1)
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<TestContext['services']['tickets']['take']>>>).value
    expect(lost[0]!.reason).toMatchObject({ code: 'TICKET_TAKEN', status: 409 })
    expect(lost[0]!.reason.details[0].reason).toContain(winner.assigneeName)
    expect(winner).toMatchObject({ status: 'in_progress', firstRespondedAt: START })
    expect(events(winner)).toEqual(['created', 'taken'])
  })

  it('assigns to a team and a person; a reassignment needs a reason and is on the timeline', async () => {
    const d = await complaint()
    const assigned = await t.services.tickets.assign(t.actors.store_manager, d.id, { teamId: storeTeam, assigneeId: agent2.id })
    expect(assigned).toMatchObject({ status: 'assigned', assigneeId: agent2.id, firstRespondedAt: null })
    await expect(t.services.tickets.assign(t.actors.store_manager, d.id, { teamId: deskTeam })).rejects.toMatchObject({ code: 'TICKET_REASON_REQUIRED', details: [{ field: 'reason' }] })
    await expect(t.services.tickets.assign(t.actors.store_manager, d.id, { teamId: deskTeam, assigneeId: agent2.id, reason: '转客服中心' }))
      .rejects.toMatchObject({ code: 'TICKET_ASSIGNEE_NOT_IN_TEAM' })
    const moved = await t.services.tickets.assign(t.actors.store_manager, d.id, { teamId: deskTeam, reason: '需要客服中心跟进' })
    expect(moved).toMatchObject({ status: 'new', teamId: deskTeam, assigneeId: null })
    const last = moved.timeline.at(-1)!
    expect(last).toMatchObject({ kind: 'reassigned', body: '需要客服中心跟进' })
  })

  it('keeps internal notes apart from replies; the first reply is the first response', async () => {
    const d = await complaint()
    t.clock.set('2026-03-02T02:20:00.000Z')
    const noted = await t.services.tickets.note(t.actors.service_agent, d.id, { body: '已联系供应商' })
    expect(noted.firstRespondedAt).toBeNull()
    t.clock.set('2026-03-02T02:30:00.000Z')
    const replied = await t.services.tickets.reply(t.actors.service_agent, d.id, { body: '您好，我们正在处理', channel: 'phone' })
    expect(replied.firstRespondedAt).toBe('2026-03-02T02:30:00.000Z')
    expect(replied.timeline.filter((e) => e.kind === 'note' || e.kind === 'reply').map((e) => [e.kind, e.channel])).toEqual([['note', null], ['reply', 'phone']])
  })
})

describe('compensation', () => {
  const balance = async (memberId: string) => (await t.services.loyalty.points(t.actors.hq_admin, memberId)).balance

  it('grants goodwill points once for a double click (same requestKey), audited', async () => {
    const member = await t.given.member()
    const d = await complaint({ memberId: member.id })
    const before = await balance(member.id)
    const [one, two] = await Promise.all([
      t.services.tickets.compensate(t.actors.service_agent, d.id, { kind: 'points', points: 100, requestKey: 'click-1' }),
      t.services.tickets.compensate(t.actors.service_agent, d.id, { kind: 'points', points: 100, requestKey: 'click-1' }),
    ])
    expect(one.id).toBe(two.id)
    const again = await t.services.tickets.compensate(t.actors.service_agent, d.id, { kind: 'points', points: 100, requestKey: 'click-1' })
    expect(again).toMatchObject({ id: one.id, status: 'granted' })
    expect(await balance(member.id)).toBe(before + 100)
    const detail = await t.services.tickets.get(t.actors.service_agent, d.id)
    expect(detail.compensations).toHaveLength(1)
    expect(events(detail).filter((k) => k === 'compensation')).toHaveLength(1)
    expect((await t.services.audit.list(t.actors.hq_admin, { action: 'ticket.compensate', entityId: d.id })).items).toHaveLength(1)
  })

  it('limits grants per ticket by role, counting what was granted already', async () => {
    const d = await complaint()
    // service_agent: 500 points per ticket by default.
    await t.services.tickets.compensate(t.actors.service_agent, d.id, { kind: 'points', points: 400, requestKey: 'a' })
    await expect(t.services.tickets.compensate(t.actors.service_agent, d.id, { kind: 'points', points: 200, requestKey: 'b' }))
      .rejects.toMatchObject({ code: 'COMPENSATION_LIMIT', status: 422, details: [{ field: 'points' }] })
    // store_manager: 2000.
    expect(await t.services.tickets.compensate(t.actors.store_manager, d.id, { kind: 'points', points: 200, requestKey: 'c' })).toMatchObject({ status: 'granted' })
    await expect(t.services.tickets.compensate(t.actors.cashier, d.id, { kind: 'points', points: 1, requestKey: 'd' })).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('refuses a role the settings give no limit, and a ticket without a member', async () => {
    const settings = await t.services.tickets.settings(t.actors.hq_admin)
    await t.services.tickets.saveSettings(t.actors.hq_admin, { compensationLimits: { store_manager: settings.compensationLimits.store_manager! } })
    try {
      const d = await complaint()
      await expect(t.services.tickets.compensate(t.actors.service_agent, d.id, { kind: 'points', points: 1, requestKey: 'x' }))
        .rejects.toMatchObject({ code: 'COMPENSATION_NOT_ALLOWED', status: 403 })
    } finally {
      await t.services.tickets.saveSettings(t.actors.hq_admin, { compensationLimits: settings.compensationLimits })
    }
    const anon = await complaint({ contactPhone: '13900001111' })
    await expect(t.services.tickets.compensate(t.actors.store_manager, anon.id, { kind: 'points', points: 1, requestKey: 'y' })).rejects.toMatchObject({ code: 'TICKET_NO_MEMBER' })
  })

  it('issues a coupon within the face-value limit', async () => {
    const member = await t.given.member()
    const d = await complaint({ memberId: member.id })
    const small = await t.given.couponTemplate({ name: '致歉券 10元', kind: 'amount', value: 1000, minSpend: 0 } as never)
    const big = await t.given.couponTemplate({ name: '致歉券 50元', kind: 'amount', value: 5000, minSpend: 0 } as never)
    const c = await t.services.tickets.compensate(t.actors.service_agent, d.id, { kind: 'coupon', couponTemplateId: small.id, requestKey: 'k1' })
    expect(c).toMatchObject({ kind: 'coupon', status: 'granted', faceValue: 1000, couponTemplateName: '致歉券 10元' })
    expect((await t.services.coupons.memberCoupons(t.actors.hq_admin, member.id)).map((x) => x.id)).toContain(c.couponId)
    await expect(t.services.tickets.compensate(t.actors.service_agent, d.id, { kind: 'coupon', couponTemplateId: big.id, requestKey: 'k2' }))
      .rejects.toMatchObject({ code: 'COMPENSATION_LIMIT', details: [{ field: 'couponTemplateId' }] })
  })
})

describe('resolution and follow-up', () => {
  it('resolves with an outcome, publishes ticket.resolved and sets a follow-up call N days on', async () => {
    const d = await complaint()
    await t.services.tickets.take(t.actors.service_agent, d.id)
    t.clock.set('2026-03-02T05:00:00.000Z')
    const r = await t.services.tickets.resolve(t.actors.service_agent, d.id, { outcome: '退款并致歉', reply: '已为您退款', replyChannel: 'phone' })
    expect(r).toMatchObject({ status: 'resolved', outcome: '退款并致歉', resolvedAt: '2026-03-02T05:00:00.000Z' })
    // 3 days (the default): the end of Thursday 5 March, Shanghai.
    expect(r.followUps).toMatchObject([{ dueAt: '2026-03-05T16:00:00.000Z', assigneeId: t.users.service_agent!.id, doneAt: null }])
    expect(events(r).slice(-3)).toEqual(['reply', 'resolved', 'follow_up_due'])
    const subscribers = jobRegistry().subscribers('ticket.resolved').length
    const queued = await t.services.db.selectFrom('job_queue').select('payload').where('payload', 'like', `%${d.id}%`).execute()
    expect(queued).toHaveLength(subscribers)
    const tasks = await t.services.tickets.followUps(t.actors.service_agent, { limit: 200 })
    expect(tasks.items.map((x) => x.ticketId)).toContain(d.id)
  })

  it('reopens on an unsatisfied follow-up (≤ 2) and closes on a satisfied one', async () => {
    const d = await complaint()
    await t.services.tickets.resolve(t.actors.service_agent, d.id, { outcome: '更换商品' })
    await expect(t.services.tickets.recordFollowUp(t.actors.service_agent, d.id, { reached: true })).rejects.toMatchObject({ details: [{ field: 'satisfaction' }] })
    const notReached = await t.services.tickets.recordFollowUp(t.actors.service_agent, d.id, { reached: false, comment: '无人接听' })
    expect(notReached.status).toBe('resolved')
    expect(notReached.followUps[0]!.doneAt).toBeNull()
    t.clock.set('2026-03-03T02:00:00.000Z')
    const reopened = await t.services.tickets.recordFollowUp(t.actors.service_agent, d.id, { reached: true, satisfaction: 2, comment: '还是不满意' })
    expect(reopened).toMatchObject({ status: 'in_progress', reopenCount: 1, resolvedAt: null, resolutionBreached: false })
    expect(reopened.resolutionDueAt! > '2026-03-03T02:00:00.000Z').toBe(true)
    expect(events(reopened).slice(-2)).toEqual(['follow_up', 'reopened'])
    await t.services.tickets.resolve(t.actors.service_agent, d.id, { outcome: '补偿积分并致歉' })
    const closed = await t.services.tickets.recordFollowUp(t.actors.service_agent, d.id, { reached: true, satisfaction: 5 })
    expect(closed).toMatchObject({ status: 'closed', reopenCount: 1 })
    expect(closed.followUps.map((f) => f.satisfaction)).toEqual([2, 5])
    await expect(t.services.tickets.recordFollowUp(t.actors.service_agent, d.id, { reached: true, satisfaction: 4 })).rejects.toMatchObject({ code: 'TICKET_NO_FOLLOW_UP' })
    await expect(t.services.tickets.take(t.actors.service_agent, d.id)).rejects.toMatchObject({ code: 'TICKET_NOT_OPEN' })
  })

  it('closes an unresolved ticket only with a reason', async () => {
    const d = await complaint()
    await expect(t.services.tickets.close(t.actors.service_agent, d.id)).rejects.toMatchObject({ code: 'TICKET_REASON_REQUIRED' })
    expect(await t.services.tickets.close(t.actors.service_agent, d.id, { reason: '重复登记' })).toMatchObject({ status: 'closed' })
  })
})

describe('SLA: reminders and escalation', () => {
  const sla = () => t.services.tickets.checkSla()
  const kinds = async (id: string) => events(await t.services.tickets.get(t.actors.hq_admin, id))

  it('reminds once before each deadline and escalates one level per breached deadline, each once however often it runs', async () => {
    // critical: first response 30, resolution 240, reminders 10 working minutes before.
    const d = await complaint({ severity: 'critical' })
    t.clock.set('2026-03-02T02:19:00.000Z')
    await sla()
    expect(await kinds(d.id)).toEqual(['created'])
    t.clock.set('2026-03-02T02:21:00.000Z')
    await sla()
    await sla()
    expect(await kinds(d.id)).toEqual(['created', 'reminder'])
    t.clock.set('2026-03-02T02:30:00.000Z')
    await Promise.all([sla(), sla()])
    const first = await t.services.tickets.get(t.actors.hq_admin, d.id)
    expect(first).toMatchObject({ escalationLevel: 1, escalatedTo: 'team_lead', escalatedUserId: t.users.store_manager!.id, firstResponseBreached: true })
    expect(events(first).filter((k) => k === 'escalated')).toHaveLength(1)
    // Responding late does not undo the breach; the resolution deadline still counts.
    await t.services.tickets.take(t.actors.service_agent, d.id)
    t.clock.set('2026-03-02T05:51:00.000Z')
    await sla()
    t.clock.set('2026-03-02T06:00:00.000Z')
    await sla()
    await sla()
    const second = await t.services.tickets.get(t.actors.hq_admin, d.id)
    expect(second).toMatchObject({ escalationLevel: 2, escalatedTo: 'store_manager', escalatedUserId: t.users.store_manager!.id, resolutionBreached: true })
    expect(second.timeline.filter((e) => e.kind === 'reminder').map((e) => e.data.deadline)).toEqual(['first_response', 'resolution'])
    expect(second.timeline.filter((e) => e.kind === 'escalated').map((e) => [e.data.deadline, e.data.level])).toEqual([['first_response', 1], ['resolution', 2]])
    const overdue = await t.services.tickets.list(t.actors.store_manager, { queue: 'overdue', limit: 200 })
    expect(overdue.items.find((i) => i.id === d.id)).toMatchObject({ escalationLevel: 2, escalatedTo: 'store_manager' })
  })

  it('counts deadlines across a night and a holiday in the team\'s hours', async () => {
    const hq = t.actors.hq_admin
    const team = await t.services.tickets.createTeam(hq, {
      name: '采购', kind: 'purchasing', workingHours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]])) as never,
    })
    const before = await t.services.tickets.settings(hq)
    await t.services.tickets.saveSettings(hq, { holidays: ['2026-03-03'] })
    try {
      t.clock.set('2026-03-02T09:50:00.000Z') // Monday 17:50
      // normal: first response 240 working minutes: 10 on Monday, none on the holiday, 230 on Wednesday from 09:00.
      const d = await complaint({ teamId: team.id })
      expect(d.firstResponseDueAt).toBe('2026-03-04T04:50:00.000Z')
      t.clock.set('2026-03-03T06:00:00.000Z') // the holiday
      await t.services.tickets.checkSla()
      expect((await t.services.tickets.get(hq, d.id)).escalationLevel).toBe(0)
      t.clock.set('2026-03-04T04:51:00.000Z')
      await t.services.tickets.checkSla()
      expect(await t.services.tickets.get(hq, d.id)).toMatchObject({ escalationLevel: 1, escalatedTo: 'team_lead', escalatedUserId: null })
    } finally {
      await t.services.tickets.saveSettings(hq, { holidays: before.holidays })
    }
  })

  it('escalates, at the next run, deadlines that passed while nothing ran: one level each, once', async () => {
    const d = await complaint({ severity: 'high' }, t.actors.cashierB)
    t.clock.set('2026-03-05T02:00:00.000Z') // three days of downtime
    const first = await t.services.tickets.checkSla()
    expect(first.escalated).toBeGreaterThanOrEqual(2)
    const after = await t.services.tickets.get(t.actors.hq_admin, d.id)
    expect(after).toMatchObject({ escalationLevel: 2, escalatedTo: 'store_manager', escalatedUserId: t.users.managerB!.id, firstResponseBreached: true, resolutionBreached: true })
    // No reminder for a deadline already passed: escalation says it.
    expect(events(after)).toEqual(['created', 'escalated', 'escalated'])
    await t.services.tickets.checkSla()
    expect(events(await t.services.tickets.get(t.actors.hq_admin, d.id))).toEqual(['created', 'escalated', 'escalated'])
  })

  it('runs as the scheduled job service.checkSla through the worker', async () => {
    expect(jobRegistry().schedules.find((x) => x.name === 'service.checkSla')).toMatchObject({ everyMinutes: 1 })
    const d = await complaint({ severity: 'critical' })
    t.clock.set('2026-03-02T02:31:00.000Z')
    await t.services.outbox.enqueue(t.services.db, 'service.checkSla', {})
    const drained = await t.drainJobs()
    expect(drained.failed).toBe(0)
    expect((await t.services.tickets.get(t.actors.hq_admin, d.id)).escalationLevel).toBe(1)
  })

  it('follows the chain setting: a chain starting at the region', async () => {
    const hq = t.actors.hq_admin
    const before = await t.services.tickets.settings(hq)
    await t.services.tickets.saveSettings(hq, { escalationChain: ['region', 'hq'] })
    try {
      const d = await complaint({ severity: 'critical' })
      t.clock.set('2026-03-03T02:00:00.000Z')
      await t.services.tickets.checkSla()
      expect(await t.services.tickets.get(hq, d.id)).toMatchObject({ escalationLevel: 2, escalatedTo: 'hq' })
      const escalated = (await t.services.tickets.get(hq, d.id)).timeline.filter((e) => e.kind === 'escalated').map((e) => e.data.to)
      expect(escalated).toEqual(['region', 'hq'])
    } finally {
      await t.services.tickets.saveSettings(hq, { escalationChain: before.escalationChain })
    }
  })

  it("escalates to the region's manager, who sees the ticket", async () => {
    const hq = t.actors.hq_admin
    const before = await t.services.tickets.settings(hq)
    const region = await t.services.org.createRegion(hq, { code: 'ESC', name: '华东区' })
    await t.services.org.updateStore(hq, t.stores.b, { regionId: region.id })
    const boss = await t.given.staff('region_manager', null, region.id)
    await t.services.tickets.saveSettings(hq, { escalationChain: ['region', 'hq'] })
    try {
      t.clock.set('2026-03-02T02:00:00.000Z')
      const d = await complaint({ severity: 'critical' }, t.actors.cashierB)
      t.clock.set('2026-03-02T02:31:00.000Z')
      await t.services.tickets.checkSla()
      expect(await t.services.tickets.get(hq, d.id)).toMatchObject({ escalationLevel: 1, escalatedTo: 'region', escalatedUserId: boss.id })
      expect((await t.services.tickets.get(boss.actor, d.id)).id).toBe(d.id)
    } finally {
      await t.services.tickets.saveSettings(hq, { escalationChain: before.escalationChain })
      await t.services.org.updateStore(hq, t.stores.b, { regionId: null })
    }
  })
})

describe('configuration', () => {
  it('inherits a parent category\'s SLA policy, then the default', async () => {
    const hq = t.actors.hq_admin
    const child = await t.services.tickets.createCategory(hq, { parentId: categories['食品安全']!, name: '异物', nameEn: 'Foreign object' })
    await t.services.tickets.savePolicies(hq, [{ categoryId: categories['食品安全']!, severity: 'normal', firstResponseMinutes: 20, resolutionMinutes: 120, remindBeforeMinutes: 5 }])
    const d = await complaint({ categoryId: child.id })
    expect(d.firstResponseDueAt).toBe('2026-03-02T02:20:00.000Z')
    const other = await complaint({ categoryId: categories['价格']! })
    expect(other.firstResponseDueAt).toBe('2026-03-02T06:00:00.000Z')
    await expect(t.services.tickets.updateCategory(hq, categories['食品安全']!, { parentId: child.id })).rejects.toMatchObject({ details: [{ field: 'parentId' }] })
    await expect(t.services.tickets.savePolicies(t.actors.store_manager, [])).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('refuses working hours that overlap or are empty', async () => {
    await expect(t.services.tickets.createTeam(t.actors.hq_admin, { name: 'x', kind: 'other', workingHours: { mon: [['09:00', '12:00'], ['11:00', '13:00']] } }))
      .rejects.toMatchObject({ details: [{ field: 'workingHours' }] })
    await expect(t.services.tickets.saveSettings(t.actors.hq_admin, { workingHours: {} })).rejects.toMatchObject({ details: [{ field: 'workingHours' }] })
  })
})

describe('member data', () => {
  it('exports, moves on merge and erases the member\'s link and contact', async () => {
    const md = t.services.memberData.find((m) => m.name === 'tickets')!
    const member = await t.given.member()
    const d = await complaint({ memberId: member.id })
    await t.services.tickets.compensate(t.actors.service_agent, d.id, { kind: 'points', points: 10, requestKey: 'md' })
    expect(await md.count(t.services.db, member.id)).toBe(1)
    expect((await md.export(t.services.db, member.id)).tickets).toHaveLength(1)
    await t.services.db.transaction().execute((trx) => md.erase(trx, member.id, { holderId: 'mem_holder', at: '2026-03-01T00:00:00.000Z' }))
    const row = await t.services.db.selectFrom('tickets').selectAll().where('id', '=', d.id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ member_id: null, contact_phone_enc: null })
    expect(await md.count(t.services.db, member.id)).toBe(0)
  })
})
