import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../test/context.js'
import type { Actor } from '../shared/actor.js'
import { newId } from '../shared/ids.js'
import { seedDemoServiceDesk } from './demo-service-desk.js'

const context = useTestContext()
let t: TestContext
const system: Actor = { kind: 'system', name: 'seed-demo' }

beforeAll(async () => {
  t = await context()
  // The demo's staff names for the two test stores (SHA01, BJB01), as demo-data makes them.
  const at = t.clock.now().toISOString()
  for (const [username, role, storeId] of [
    ['manager.sha01', 'store_manager', t.stores.a], ['service.sha01', 'service_agent', t.stores.a],
    ['manager.bjb01', 'store_manager', t.stores.b], ['service.bjb01', 'service_agent', t.stores.b],
  ] as const) {
    await t.services.db.insertInto('staff_users').values({
      id: newId('usr'), username, display_name: username, password_hash: 'x', role, store_id: storeId, status: 'active', password_changed_at: at, created_at: at, updated_at: at,
    }).execute()
  }
  for (let i = 0; i < 15; i++) await t.given.member()
  for (let i = 0; i < 3; i++) await t.given.product()
})

describe('the demo service desk', () => {
  it('makes teams and three months of tickets in every state, quickly; a re-run adds nothing', async () => {
    const started = Date.now()
    const result = await seedDemoServiceDesk(t.services, system, { seed: 3, tickets: 90 })
    const seconds = (Date.now() - started) / 1000
    expect(result.teams).toBe(5)
    expect(result.tickets).toBe(90)
    // SQLite (the demo's default) in a second or two; PostgreSQL pays a commit per step.
    if (!process.env.PATRON_TEST_DATABASE_URL) expect(seconds).toBeLessThan(4)
    const rows = await t.services.db.selectFrom('tickets').selectAll().execute()
    const statuses = new Set(rows.map((r) => r.status))
    expect([...statuses].sort()).toEqual(['assigned', 'closed', 'in_progress', 'new', 'resolved'])
    expect(rows.some((r) => Number(r.escalation_level) > 0 && ['new', 'assigned', 'in_progress'].includes(r.status))).toBe(true)
    expect(rows.some((r) => Number(r.reopen_count) > 0 && r.status === 'in_progress')).toBe(true)
    const days = rows.map((r) => r.business_date).sort()
    expect(days[0]! < '2025-12-20').toBe(true)
    const follow = await t.services.db.selectFrom('ticket_followups').selectAll().execute()
    expect(follow.some((f) => f.done_at === null)).toBe(true)
    expect(follow.some((f) => f.satisfaction !== null)).toBe(true)
    expect((await t.services.db.selectFrom('ticket_compensations').selectAll().execute()).length).toBeGreaterThan(0)
    const report = await t.services.tickets.report(t.actors.hq_admin, { from: '2025-12-01', to: '2026-03-02', period: 'month' })
    expect(report.total).toBe(90)
    expect(report.satisfaction.responses).toBeGreaterThan(0)
    expect(await seedDemoServiceDesk(t.services, system, { seed: 3 })).toEqual({ teams: 0, tickets: 0 })
  })
})
