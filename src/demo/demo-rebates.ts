import type { Services } from '../services.js'
import type { Actor } from '../shared/actor.js'
import { dateIn } from '../shared/time.js'

/**
 * One draft year-end rebate over the last calendar year (points on spend, by bracket, more for the
 * higher tiers), for the console to preview and run. Safe to run again: a programme of that name
 * is kept as it is.
 */
export const seedDemoRebates = async (services: Services, actor: Actor): Promise<{ created: boolean; id: string }> => {
  const year = Number(dateIn(services.clock.now(), services.timezone).slice(0, 4)) - 1
  const name = `${year} 年终返利`
  const existing = (await services.rebates.list(actor)).find((p) => p.name === name)
  if (existing) return { created: false, id: existing.id }
  const tiers = new Set((await services.loyalty.config()).tiers.map((t) => t.code))
  const tierRates = Object.fromEntries(([['gold', 200], ['diamond', 300]] as const).filter(([code]) => tiers.has(code)))
  const p = await services.rebates.create(actor, {
    name,
    periodFrom: `${year}-01-01`,
    periodTo: `${year}-12-31`,
    basis: 'spend',
    // From ¥100 of spend 1% back in points of the same value (100 points on ¥100 at the default
    // 1 fen a point), from ¥1,000 1.5% and 200 points, from ¥5,000 2% and 1,000 points.
    brackets: [
      { min: 10_000, rateBp: 100, fixed: 0 },
      { min: 100_000, rateBp: 150, fixed: 200 },
      { min: 500_000, rateBp: 200, fixed: 1_000 },
    ],
    tierRates: Object.keys(tierRates).length ? tierRates : null,
    reward: 'points',
    minRebate: 10,
  })
  return { created: true, id: p.id }
}
