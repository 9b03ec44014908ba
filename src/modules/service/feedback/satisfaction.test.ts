import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../../test/context.js'
import { createKpisService } from '../../analytics/kpis/kpis.service.js'
import { createSatisfactionReader } from './satisfaction.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => { t = await context() })

// Satisfaction in the KPIs and the CRM report: every survey's answers in the period.
describe('satisfaction KPIs', () => {
  it('gives CSAT and NPS per month with 环比 and 同比, and fills the report’s satisfaction line per store', async () => {
    const questions = [{ id: 'csat', kind: 'rating' as const, label: '满意度', required: true }, { id: 'nps', kind: 'nps' as const, label: '推荐', required: true }]
    const one = await t.services.surveys.create(t.actors.hq_marketing, { title: '一', questions })
    const two = await t.services.surveys.create(t.actors.hq_marketing, { title: '二', questions })
    for (const s of [one, two]) await t.services.surveys.open(t.actors.hq_marketing, s.id)
    const link = async (surveyId: string, storeId: string) => (await t.services.surveys.links(t.actors.hq_admin, surveyId)).find((l) => l.storeId === storeId)!.token
    const given: Array<{ month: string; store: string; csat: number; nps: number }> = []
    const answer = async (at: string, surveyId: string, storeId: string, csat: number, nps: number) => {
      t.clock.set(at)
      await t.services.surveys.respond(await link(surveyId, storeId), { answers: [{ questionId: 'csat', value: csat }, { questionId: 'nps', value: nps }] })
      given.push({ month: at.slice(0, 7), store: storeId, csat, nps })
    }
    await answer('2025-03-10T04:00:00Z', one.id, t.stores.a, 4, 3)
    await answer('2026-02-10T04:00:00Z', one.id, t.stores.a, 5, 10)
    await answer('2026-02-11T04:00:00Z', one.id, t.stores.b, 3, 6)
    await answer('2026-03-01T04:00:00Z', one.id, t.stores.a, 4, 9)
    await answer('2026-03-01T05:00:00Z', two.id, t.stores.a, 5, 8)
    await answer('2026-03-02T01:00:00Z', two.id, t.stores.b, 1, 0)
    // A closed survey's answers still count.
    await t.services.surveys.close(t.actors.hq_marketing, one.id)
    t.clock.set('2026-03-20T02:00:00Z')

    const plain = (rows: typeof given) => {
      if (!rows.length) return { csat: null, nps: null }
      const sat = rows.filter((r) => r.csat >= 4).length
      const p = rows.filter((r) => r.nps >= 9).length
      const d = rows.filter((r) => r.nps <= 6).length
      return { csat: Math.round((sat * 1000) / rows.length) / 1000, nps: Math.round(((p - d) * 1000) / rows.length) / 10 }
    }
    const result = await t.services.kpis.kpis(t.actors.hq_admin, { grain: 'month', from: '2026-02-01', to: '2026-03-31' })
    const march = result.periods.find((p) => p.key === '2026-03')!
    // March is still running: its 环比 and 同比 bases are the first 20 days of February and of March 2025.
    const now = plain(given.filter((g) => g.month === '2026-03'))
    const prev = plain(given.filter((g) => g.month === '2026-02'))
    const ly = plain(given.filter((g) => g.month === '2025-03'))
    expect(march.satisfaction).toMatchObject({
      answers: 3,
      csat: { value: now.csat, previous: prev.csat, lastYear: ly.csat },
      nps: { value: now.nps, previous: prev.nps, lastYear: ly.nps },
    })
    expect(march.satisfaction!.csat.lastYearChange).toBeCloseTo((now.csat! - ly.csat!) / ly.csat!, 4)
    const mine = await t.services.kpis.kpis(t.actors.store_manager, { grain: 'month', from: '2026-03-01', to: '2026-03-31' })
    expect(mine.periods[0]!.satisfaction).toMatchObject({ answers: 2, csat: { value: plain(given.filter((g) => g.month === '2026-03' && g.store === t.stores.a)).csat } })

    const report = await t.services.kpis.report(t.actors.hq_admin, { period: '2026-02' })
    expect(report.satisfaction).toMatchObject({ available: true, answers: 2, ...plain(given.filter((g) => g.month === '2026-02')) })
    const line = (b: typeof report.summary) => b.lines.find((l) => l.metric === 'satisfaction')!
    expect(line(report.summary).actual).toBe(plain(given.filter((g) => g.month === '2026-02')).csat)
    const storeB = report.stores.find((s) => s.id === t.stores.b)!
    expect(line(storeB).actual).toBe(plain(given.filter((g) => g.month === '2026-02' && g.store === t.stores.b)).csat)
    const empty = await t.services.kpis.report(t.actors.hq_admin, { period: '2026-01' })
    expect(empty.satisfaction).toMatchObject({ available: false, csat: null })
    expect(line(empty.summary).actual).toBeNull()
  })

  it('reads the report’s stores and regions in a constant number of queries, a region’s CSAT from its stores’ pooled counts', async () => {
    const region = await t.services.org.createRegion(t.actors.hq_admin, { code: 'SAT', name: '满意度区' })
    for (const id of [t.stores.a, t.stores.b]) await t.services.org.updateStore(t.actors.hq_admin, id, { regionId: region.id })
    const extra = await t.services.org.createStore(t.actors.system, { code: 'SAT03', name: '第三店', city: '上海', district: '黄浦区' })
    await t.services.org.updateStore(t.actors.hq_admin, extra.id, { regionId: region.id })
    const s = await t.services.surveys.create(t.actors.hq_marketing, { title: '区域', questions: [{ id: 'csat', kind: 'rating', label: '满意度', required: true }] })
    await t.services.surveys.open(t.actors.hq_marketing, s.id)
    const links = await t.services.surveys.links(t.actors.hq_admin, s.id)
    const answer = async (storeId: string, value: number, i: number) => {
      t.clock.set(`2025-06-${String(10 + i).padStart(2, '0')}T04:00:00Z`)
      await t.services.surveys.respond(links.find((l) => l.storeId === storeId)!.token, { answers: [{ questionId: 'csat', value }] })
    }
    // Store a: three satisfied (100%); store b: one unhappy (0%). Pooled: 3 of 4 = 75% (an average of the stores would say 50%).
    for (const [i, [store, value]] of ([[t.stores.a, 5], [t.stores.a, 4], [t.stores.a, 5], [t.stores.b, 1]] as const).entries()) await answer(store, value, i)
    t.clock.set('2025-07-20T02:00:00Z')

    let queries = 0
    const reader = createSatisfactionReader(t.services.db)
    const counting = Object.assign((...args: Parameters<typeof reader>) => { queries++; return reader(...args) }, {
      byStore: (...args: Parameters<typeof reader.byStore>) => { queries += args[1].length; return reader.byStore(...args) },
    })
    const kpis = createKpisService({ db: t.services.db, engine: t.services.engine, clock: t.clock, timezone: 'Asia/Shanghai', audit: t.services.audit, satisfaction: counting })
    const report = await kpis.report(t.actors.hq_admin, { period: '2025-06' })
    // The period and last year: one grouped query each, however many stores and regions.
    expect(queries).toBe(2)
    const line = (b: typeof report.summary) => b.lines.find((l) => l.metric === 'satisfaction')!
    expect(line(report.regions.find((r) => r.id === region.id)!).actual).toBe(0.75)
    expect(line(report.stores.find((st) => st.id === t.stores.a)!).actual).toBe(1)
    expect(line(report.stores.find((st) => st.id === t.stores.b)!).actual).toBe(0)
    expect(line(report.stores.find((st) => st.id === extra.id)!).actual).toBeNull()
    expect(report.satisfaction).toMatchObject({ available: true, answers: 4, csat: 0.75 })
    // The same figures as the service's own report.
    expect(await t.services.kpis.report(t.actors.hq_admin, { period: '2025-06' })).toEqual(report)
  })
})
