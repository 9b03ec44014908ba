import { InvalidArgumentError } from 'commander'
import { RULE_LEVELS, type MinedRule, type RuleLevel, type RuleRun } from '../../modules/analytics/index.js'
import type { Actor } from '../../shared/actor.js'
import type { Patron } from '../bootstrap.js'
import type { ReportOutput } from './output.js'

const actor: Actor = { kind: 'system', name: 'cli:analytics-rules' }
const round = (v: number, digits: number) => Number(v.toFixed(digits))
const items = (side: MinedRule['antecedent']) => `{${side.map((i) => (i.sku ? `${i.label} (${i.sku})` : i.label)).join(', ')}}`

/** What a mining run prints: what was mined, then every rule found (the strongest first). */
export const rulesOutput = (run: RuleRun, rules: MinedRule[]): ReportOutput => ({
  json: { run, rules },
  tables: [{
    title: `Association rules at the ${run.level} level, sales ${run.from} to ${run.to}${run.storeId ? ' of one store' : ''}${run.membersOnly ? ", members' only" : ''}: ${run.baskets} baskets, ${run.items} items, ${run.itemsets} frequent itemsets (support ≥ ${run.minSupport}), ${run.rules} rules (confidence ≥ ${run.minConfidence}${run.minLift > 0 ? `, lift ≥ ${run.minLift}` : ''}) in ${run.seconds} s`,
    columns: ['rank', 'if bought', 'then also', 'baskets', 'support', 'confidence', 'lift'],
    rows: rules.map((r) => [r.rank, items(r.antecedent), items(r.consequent), r.baskets, round(r.support, 4), round(r.confidence, 4), round(r.lift, 4)]),
  }],
})

const share = (name: string, v: unknown, zero: boolean): number | undefined => {
  if (v === undefined) return undefined
  const n = Number(v)
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1 || (!zero && n === 0)) throw new InvalidArgumentError(`${name} must be a number ${zero ? 'from 0' : 'above 0 and up'} to 1`)
  return n
}

/**
 * `patron analytics rules --min-support S --min-confidence C [--level L] [--from D --to D]
 * [--store CODE] [--members-only] [--min-lift L] [--max-length N]`: mines the sales' baskets and
 * prints every rule (stored as a run too, as the console's 关联规则 would).
 */
export const rulesReport = {
  name: 'rules',
  description: "Mine association rules over the sales' baskets (each sale's distinct items at a level) and print them, the highest lift first",
  options: [
    { flags: '--min-support <share>', description: 'an itemset is frequent in at least this share of the baskets (default 0.01)' },
    { flags: '--min-confidence <share>', description: 'default 0.2' },
    { flags: '--min-lift <lift>', description: 'default 0: every rule passing support and confidence' },
    { flags: '--level <level>', description: `${RULE_LEVELS.join(', ')} (default category)` },
    { flags: '--max-length <n>', description: 'items in a rule, both sides (default 4)' },
    { flags: '--members-only', description: "members' sales only" },
  ],
  async run(patron: Patron, opts: { [key: string]: unknown }): Promise<ReportOutput> {
    const level = opts.level as string | undefined
    if (level !== undefined && !(RULE_LEVELS as readonly string[]).includes(level)) throw new InvalidArgumentError(`--level must be one of ${RULE_LEVELS.join(', ')}`)
    const minLift = opts.minLift === undefined ? undefined : Number(opts.minLift)
    if (minLift !== undefined && (!Number.isFinite(minLift) || minLift < 0)) throw new InvalidArgumentError('--min-lift must be a number from 0')
    const maxLength = opts.maxLength === undefined ? undefined : Number(opts.maxLength)
    if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < 2 || maxLength > 10)) throw new InvalidArgumentError('--max-length must be a whole number from 2 to 10')
    const { run, rules } = await patron.services.rules.mine(actor, {
      ...(level ? { level: level as RuleLevel } : {}),
      ...(typeof opts.from === 'string' ? { from: opts.from } : {}), ...(typeof opts.to === 'string' ? { to: opts.to } : {}),
      ...(typeof opts.storeId === 'string' ? { storeId: opts.storeId } : {}),
      membersOnly: opts.membersOnly === true,
      minSupport: share('--min-support', opts.minSupport, false), minConfidence: share('--min-confidence', opts.minConfidence, true),
      ...(minLift !== undefined ? { minLift } : {}), ...(maxLength !== undefined ? { maxLength } : {}),
    })
    return rulesOutput(run, rules)
  },
}
