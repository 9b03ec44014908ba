import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../test/context.js'
import { testEngine } from '../../test/db.js'
import { RUNNING_SURVEY, seedDemoFeedback } from './demo-feedback.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => { t = await context() })

describe('the demo chain’s suggestions and surveys', () => {
  it('has a running survey with answers across stores and months, a closed one, and suggestions in every status; fast; a re-run adds nothing', async () => {
    for (let i = 0; i < 30; i++) await t.given.member()
    t.clock.set('2026-06-30T08:00:00Z')
    const started = performance.now()
    const first = await seedDemoFeedback(t.services, t.actors.system, { seed: 3 })
    const seconds = (performance.now() - started) / 1000
    expect(first.suggestions).toBe(40)
    expect(first.responses).toBeGreaterThanOrEqual(300)
    // About a second on SQLite (the demo's engine); PostgreSQL pays a round trip per query. The test machine is shared: room is left.
    expect(seconds).toBeLessThan(testEngine() === 'postgres' ? 30 : 5)

    const surveys = await t.services.surveys.list(t.actors.hq_admin)
    const running = surveys.find((s) => s.title === RUNNING_SURVEY)!
    expect(running).toMatchObject({ status: 'open', triggers: ['after_complaint', 'after_first_purchase'] })
    expect(surveys.some((s) => s.status === 'closed' && s.responses === 60)).toBe(true)
    const r = await t.services.surveys.results(t.actors.hq_admin, running.id, {})
    expect(r.responses).toBe(running.responses)
    expect(r.byStore.filter((b) => b.storeId).length).toBe(2)
    expect(r.trend.length).toBeGreaterThanOrEqual(4)
    expect(r.csat.rate).toBeGreaterThan(40)
    expect(r.nps.score).not.toBeNull()
    expect(r.words.length).toBeGreaterThan(10)
    const linked = await t.services.db.selectFrom('survey_responses').select((eb) => eb.fn.countAll<number>().as('n')).where('survey_id', '=', running.id).where('member_id', 'is not', null).executeTakeFirstOrThrow()
    expect(Number(linked.n)).toBeGreaterThan(0)
    const invitations = await t.services.surveys.invitationCounts(t.actors.hq_admin, running.id)
    expect(invitations.responded).toBeGreaterThan(0)
    expect(invitations.responded).toBeLessThan(invitations.total)

    const stats = await t.services.suggestions.stats(t.actors.hq_admin, { from: '2026-01-01', to: '2026-06-30' })
    expect(stats.total).toBe(40)
    expect(stats.byStatus.every((s) => s.count > 0)).toBe(true)
    expect(stats.adopted.every((a) => a.changeNote)).toBe(true)

    expect(await seedDemoFeedback(t.services, t.actors.system, { seed: 3 })).toEqual({ responses: 0, suggestions: 0 })
  })
})
